"""The pytest plugin: fixtures and the calendar-version pin, run in a separate pytest session (pytester)."""

from __future__ import annotations

import pytest

# imported here, before pytester snapshots sys.modules: an extension module (numpy) cannot be loaded twice
import tthc.calendar.working_calendar
import tthc.records.model
import tthc.records.sample  # noqa: F401
from tthc.testing import calendar_data_version

pytest_plugins = ("pytester",)


def test_the_marker_is_registered(pytestconfig: pytest.Config) -> None:
    assert any(m.startswith("tthc_calendar_version(") for m in pytestconfig.getini("markers"))


def test_fixtures_give_the_bundled_data(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from tthc.calendar.working_calendar import WorkingCalendar
        from tthc.catalog.collection import Catalog
        from tthc.records.model import DossierRecord

        def test_fixtures(tthc_calendar, tthc_sample_catalog, tthc_dossiers, tthc_dossier_file, tthc_calendar_version):
            assert isinstance(tthc_calendar, WorkingCalendar)
            assert isinstance(tthc_sample_catalog, Catalog) and len(tthc_sample_catalog) > 10
            assert 0 < len(tthc_dossiers) <= 200 and all(isinstance(r, DossierRecord) for r in tthc_dossiers)
            assert all(r.procedure_code in tthc_sample_catalog for r in tthc_dossiers)
            assert {r.channel.value for r in tthc_dossiers} == {"direct", "online", "postal"}
            assert len({r.received_at.year for r in tthc_dossiers}) >= 3
            assert tthc_dossier_file.read_text(encoding="utf-8").count("\\n") == len(tthc_dossiers) + 1
            assert tthc_calendar_version.count("-") == 1
        """
    )
    pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_matching_pin_runs_the_test(pytester: pytest.Pytester) -> None:
    version = calendar_data_version()
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.tthc_calendar_version({version!r})
        def test_exact():
            pass

        @pytest.mark.tthc_calendar_version({version.split("-")[0]!r})
        def test_year():
            pass
        """
    )
    pytester.runpytest("-p", "no:randomly", "--strict-markers").assert_outcomes(passed=2)


def test_a_stale_pin_fails_clearly_or_skips(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.tthc_calendar_version("2024-00000000")
        def test_fails():
            pass

        @pytest.mark.tthc_calendar_version("2024", on_mismatch="skip")
        def test_skips():
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "-rs")
    result.assert_outcomes(errors=1, skipped=1)
    result.stdout.fnmatch_lines(["*pinned to 2024-00000000*", "*pinned to 2024:*"])


def test_the_ini_option_turns_failures_into_skips(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntthc_calendar_mismatch = skip\n")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.tthc_calendar_version("1999-deadbeef")
        def test_skips():
            pass
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(skipped=1)


def test_a_malformed_pin_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.tthc_calendar_version(2026)
        def test_bad():
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*expected one version string*"])


def test_the_header_names_the_calendar_version_when_verbose(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_ok():\n    pass\n")
    result = pytester.runpytest("-p", "no:randomly", "-v")
    result.stdout.fnmatch_lines([f"tthc *: calendar data {calendar_data_version()}"])
