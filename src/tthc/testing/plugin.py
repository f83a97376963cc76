"""The pytest plugin of ``tthc`` (entry point ``pytest11``: active in every suite once ``tthc[testing]`` is installed).

Fixtures (all session-scoped, all immutable):

* ``tthc_calendar`` — the bundled public-sector working calendar (frozen: a compiled, immutable table);
* ``tthc_calendar_version`` — its data version (:func:`tthc.testing.calendar_data_version`), to copy into a pin;
* ``tthc_sample_catalog`` — the bundled sample catalog (:meth:`tthc.catalog.model.Catalog.sample`);
* ``tthc_dossiers`` — a small dossier dataset: 200 records spread over the bundled sample, all valid;
* ``tthc_dossier_file`` — the same records as a CSV file with the canonical columns.

Marker ``@pytest.mark.tthc_calendar_version("2026-0fc4666f")`` pins a test to the calendar data it was written
against: when the bundled data differs, the test fails (or is skipped) with a message naming both versions,
instead of failing on a due date that moved. A bare year (``"2026"``) pins only how far the schedule is announced.
``on_mismatch="skip"`` on the marker, or the ini option ``tthc_calendar_mismatch = skip``, skips instead of failing.

Nothing heavy is imported until a fixture or the marker is used.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar
    from tthc.catalog.collection import Catalog
    from tthc.records.model import DossierRecord

__all__ = [
    "DATASET_SIZE",
    "tthc_calendar",
    "tthc_calendar_version",
    "tthc_dossier_file",
    "tthc_dossiers",
    "tthc_sample_catalog",
]

DATASET_SIZE = 200
"""Records in the ``tthc_dossiers`` dataset."""

_MARKER = "tthc_calendar_version"
_INI = "tthc_calendar_mismatch"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        _INI,
        "what a tthc_calendar_version pin does when the bundled calendar data differs: fail (default) or skip",
        default="fail",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(version, on_mismatch='fail'): pin the tthc calendar data version the test was written against "
        "('<year>-<digest>' or a bare year); fail or skip when the bundled data differs",
    )


def pytest_report_header(config: pytest.Config) -> str | None:
    if config.get_verbosity() < 1:
        return None  # building the calendar takes a moment; say it only when asked for detail
    from tthc import __version__
    from tthc.testing import calendar_data_version

    return f"tthc {__version__}: calendar data {calendar_data_version()}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker(_MARKER)
    if marker is None:
        return
    from tthc.testing import calendar_data_version, calendar_version_matches

    if len(marker.args) != 1 or not isinstance(marker.args[0], str):
        raise pytest.UsageError(
            f"{item.nodeid}: {_MARKER}: expected one version string such as '2026-0fc4666f' or '2026', "
            f"got {marker.args!r}"
        )
    pinned = marker.args[0]
    on_mismatch = marker.kwargs.get("on_mismatch", item.config.getini(_INI))
    if on_mismatch not in ("fail", "skip"):
        raise pytest.UsageError(
            f"{item.nodeid}: {_MARKER}: on_mismatch: expected 'fail' or 'skip', got {on_mismatch!r}"
        )
    actual = calendar_data_version()
    if calendar_version_matches(pinned, actual):
        return
    message = (
        f"tthc calendar data is {actual}, this test is pinned to {pinned}: the public-sector schedule or the "
        "holidays data changed, so due dates may have moved; re-check the expected values and update the pin"
    )
    if on_mismatch == "skip":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def tthc_calendar() -> WorkingCalendar:
    """The bundled public-sector working calendar (immutable)."""
    from tthc.calendar.working_calendar import public_sector_calendar

    return public_sector_calendar()


@pytest.fixture(scope="session")
def tthc_calendar_version(tthc_calendar: WorkingCalendar) -> str:
    """The data version of ``tthc_calendar`` — the value to put in ``@pytest.mark.tthc_calendar_version``."""
    from tthc.testing import calendar_data_version

    return calendar_data_version(tthc_calendar)


@pytest.fixture(scope="session")
def tthc_sample_catalog() -> Catalog:
    """The bundled sample catalog (illustrative procedures, not an official list)."""
    from tthc.catalog.collection import Catalog

    return Catalog.sample()


@functools.cache
def _sample_rows() -> tuple[dict[str, str], ...]:
    """``DATASET_SIZE`` rows spread evenly over the bundled sample (which is sorted by receipt), so the dataset
    spans its years, Tết, make-up Saturdays, the three channels and the 2025 reform."""
    from tthc.records.sample import sample_path

    with sample_path().open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    step = max(len(rows) // DATASET_SIZE, 1)
    return tuple(rows[::step][:DATASET_SIZE])


@pytest.fixture(scope="session")
def tthc_dossiers() -> tuple[DossierRecord, ...]:
    """A small dossier dataset: records spread over the bundled sample (valid against the sample catalog)."""
    from tthc.records.model import DossierRecord

    return tuple(DossierRecord.from_row(r) for r in _sample_rows())


@pytest.fixture(scope="session")
def tthc_dossier_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``tthc_dossiers`` records as a CSV file (canonical columns), for code that reads files."""
    rows = _sample_rows()
    path = tmp_path_factory.mktemp("tthc") / "dossiers.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path
