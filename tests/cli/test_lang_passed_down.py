"""The CLI's answers in the run's language (issue 14): `quote` and `eligibility` pass the resolved `--lang` to the
library explicitly (not only through ``TTHC_LANG``), and `due --json` gives `effective_time` in that language."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from tthc.cli._app import app

QUOTE = ["quote", "2.001417", "--channel", "postal", "--postal", "send", "--on", "01/04/2026", "--json"]
ELIGIBILITY = ["eligibility", "2.001417", "--on", "01/04/2026", "--json"]
DUE = ["due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc", "--json"]


def _run(capsys: pytest.CaptureFixture[str], args: list[str], expected: int = 0) -> Any:
    assert app(args) == expected
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("module", "function", "args", "exit_code"),
    [
        ("tthc.fees.quotes", "quote", QUOTE, 0),
        ("tthc.postal.eligibility", "check_postal_eligibility", ELIGIBILITY, 0),
    ],
)
@pytest.mark.parametrize(("flag", "env"), [("en", "vi"), ("vi", "en")])
def test_the_library_gets_the_language_of_the_run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    module: str,
    function: str,
    args: list[str],
    exit_code: int,
    flag: str,
    env: str,
) -> None:
    """Passed as ``lang=``, not left to ``TTHC_LANG`` (which a library call deeper down may not read)."""
    target = importlib.import_module(module)
    real = getattr(target, function)
    seen: list[object] = []

    def spy(*a: Any, **kw: Any) -> Any:
        seen.append(kw.get("lang"))
        return real(*a, **kw)

    monkeypatch.setattr(target, function, spy)
    monkeypatch.setenv("TTHC_LANG", env)
    _run(capsys, ["--lang", flag, *args], exit_code)
    assert seen == [flag]


def test_quote_answers_in_the_flag_language_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TTHC_LANG", "vi")
    en = _run(capsys, ["--lang", "en", *QUOTE])
    monkeypatch.setenv("TTHC_LANG", "en")
    vi = _run(capsys, ["--lang", "vi", *QUOTE])
    assert en["lines"][1]["notes"][0] == "weight not given: the lightest bracket (up to 100 g) used"
    assert vi["lines"][1]["notes"][0] == "không cho biết khối lượng: dùng nấc khối lượng nhẹ nhất (đến 100 g)"
    assert en.keys() == vi.keys()


def test_eligibility_answers_in_the_flag_language_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TTHC_LANG", "vi")
    en = _run(capsys, ["--lang", "en", *ELIGIBILITY])
    monkeypatch.setenv("TTHC_LANG", "en")
    vi = _run(capsys, ["--lang", "vi", *ELIGIBILITY])
    assert en["reasons"][1]["message"] == "personal presence is not required"
    assert vi["reasons"][1]["message"] == "không yêu cầu có mặt trực tiếp"


def test_due_json_effective_time_in_the_run_language(capsys: pytest.CaptureFixture[str]) -> None:
    vi = _run(capsys, ["--lang", "vi", *DUE])
    en = _run(capsys, ["--lang", "en", *DUE])
    assert (vi["processing_time"], en["processing_time"]) == ("5 ngày làm việc", "5 ngày làm việc")  # as given
    assert vi["effective_time"] == "5 ngày làm việc"
    assert en["effective_time"] == "5 working days"


def test_due_json_effective_time_is_vietnamese_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _run(capsys, DUE)["effective_time"] == "5 ngày làm việc"
