"""Every date and instant option reads the same forms as the record readers — ISO 8601 and dd/mm/yyyy — through the
one parser (:mod:`tthc.foundation.datetimes`), and refuses an impossible date with one line naming the option."""

from __future__ import annotations

import json

import pytest

from tthc.cli._app import app

# (command line with {} for the value, the ISO form, the dd/mm/yyyy form)
OPTIONS = [
    pytest.param(["due", "--received", "{}", "--processing-time", "5 ngày làm việc", "--json"],
                 "2026-11-20 16:30", "20/11/2026 16:30", id="due --received"),
    pytest.param(["due", "--received", "{}", "--processing-time", "5 ngày làm việc", "--json"],
                 "2026-11-20T16:30", "20/11/2026 16:30", id="due --received T"),
    pytest.param(["quote", "1.011432.000.00.00.H21", "--channel", "online", "--postal", "return", "--on", "{}",
                  "--json"], "2020-04-01", "01/04/2020", id="quote --on"),
    pytest.param(["eligibility", "1.011432.000.00.00.H21", "--on", "{}", "--json"], "2020-04-15", "15/04/2020",
                 id="eligibility --on"),
    pytest.param(["audit", "--on", "{}", "--json"], "2025-07-01", "01/07/2025", id="audit --on"),
    pytest.param(["validate", "--sample", "--as-of", "{}", "--json"], "2024-06-30 17:00", "30/06/2024 17:00",
                 id="validate --as-of"),
    pytest.param(["kpi", "--sample", "--by", "total", "--as-of", "{}", "--json"], "2024-06-30 17:00",
                 "30/06/2024 17:00", id="kpi --as-of"),
]  # fmt: skip


def _json(args: list[str], value: str, capsys: pytest.CaptureFixture[str]) -> object:
    code = app([value if a == "{}" else a for a in args])
    out = capsys.readouterr()
    assert code in (0, 1), out.err or out.out
    return json.loads(out.out)


@pytest.mark.parametrize(("args", "iso", "dmy"), OPTIONS)
def test_iso_and_day_month_year_give_the_same_answer(
    args: list[str], iso: str, dmy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _json(args, iso, capsys) == _json(args, dmy, capsys)


@pytest.mark.parametrize(("args", "iso", "dmy"), OPTIONS)
@pytest.mark.parametrize("impossible", ["30/02/2026", "2026-02-30", "31/04/2026 10:00", "29/02/2025"])
def test_an_impossible_date_is_one_line_naming_the_option(
    args: list[str], iso: str, dmy: str, impossible: str, capsys: pytest.CaptureFixture[str]
) -> None:
    option = args[args.index("{}") - 1]
    plain = [a for a in args if a != "--json"]
    assert app([impossible if a == "{}" else a for a in plain]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"tthc: {option}: expected ")
    assert captured.err.count("\n") == 1
    assert repr(impossible) in captured.err


def test_the_boundaries_of_a_month_either_side(capsys: pytest.CaptureFixture[str]) -> None:
    """29/02 exists in 2028, not in 2027; 31/12 and 01/01 roll nothing over."""
    base = ["eligibility", "1.011432.000.00.00.H21", "--json", "--on"]
    assert app([*base, "29/02/2028"]) in (0, 1)
    assert app([*base, "29/02/2027"]) == 2
    assert app([*base, "31/12/2027"]) in (0, 1)
    assert app([*base, "32/12/2027"]) == 2
    capsys.readouterr()


@pytest.mark.parametrize(
    ("option", "value", "detail"),
    [
        ("--on", "13/02/2026 16:30", "a day, without a time of day"),
        ("--on", "2026-02-13T16:30", "a day, without a time of day"),
        ("--on", "13/02/26", "a 2-digit year is ambiguous: write the year in full"),
    ],
)
def test_a_day_option_says_what_is_wrong(
    option: str, value: str, detail: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert app(["audit", option, value]) == 2
    assert capsys.readouterr().err.rstrip("\n").endswith(f"got {value!r} ({detail})")


def test_the_instant_option_refuses_a_two_digit_year(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["due", "--received", "20/11/26 16:30", "--processing-time", "1 ngày"]) == 2
    assert "(a 2-digit year is ambiguous: write the year in full)" in capsys.readouterr().err


def test_one_parser_for_the_readers_and_the_options() -> None:
    from tthc.foundation import datetimes
    from tthc.records import model

    assert model.parse_local_datetime is datetimes.parse_local_datetime
