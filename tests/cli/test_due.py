"""`tthc due`: text and JSON output, procedure lookup, usage errors."""

from __future__ import annotations

import json

import pytest

from tthc.cli._app import app


def test_due_text(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue example: Fri 20 Nov 2026 16:30, 5 working days → Tue 1 Dec 2026 (15:00 cut-off, 24 Nov off)."""
    assert app(["due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Due: Tue 2026-12-01 17:00")
    assert "15:00 cut-off (" in out  # each step cites its rule (the cut-off's instrument lives in counting_rules.json)
    assert "BLDS 2015 Điều 147.2" in out


def test_due_json_with_example_reductions(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc", "--channel", "online",
            "--online-level", "full", "--example-reductions", "--json"]  # fmt: skip
    assert app(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["due_at"] == "2026-11-27T17:00:00+07:00"
    assert data["effective_time"] == "3 working days"
    assert any("[example]" in s for s in data["steps"])


def test_due_no_culture_day_and_projected(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["due", "--received", "2026-11-20 16:30", "--processing-time", "5", "--no-culture-day"]) == 2
    capsys.readouterr()
    assert app(["due", "--received", "2026-12-28 09:00", "--processing-time", "10 ngày làm việc"]) == 0
    assert "PROJECTED" in capsys.readouterr().out


def test_due_with_procedure_from_sample_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.catalog.collection import Catalog

    proc = next(p for p in Catalog.sample() if any(o.processing_time is not None for o in p.channels))
    assert app(["due", "--received", "2026-11-23 09:00", "--procedure", str(proc.code), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["procedure"] == str(proc.code)


def test_due_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["due", "--received", "2026-11-20 16:30"]) == 2
    assert app(["due", "--received", "yesterday", "--processing-time", "1 Ngày"]) == 2
    assert "tthc: --received: expected " in capsys.readouterr().err  # the option as typed, not the API argument


def test_due_bare_number_asks_for_the_unit(capsys: pytest.CaptureFixture[str]) -> None:
    """A bare '20' (356 real portal records publish one) has no unit: the CLI says what to type, never guesses."""
    assert app(["due", "--received", "2026-11-20 09:00", "--processing-time", "20"]) == 2
    err = capsys.readouterr().err
    assert "--processing-time: expected a time with its unit, e.g. '20 ngày làm việc'" in err
    assert "does not guess" in err
