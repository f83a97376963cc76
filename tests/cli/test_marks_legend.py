"""The marks ``[open]``, ``[2nd]`` and ``~`` are explained under the output that shows them, and only there."""

from __future__ import annotations

import pytest

from tthc.cli._app import app
from tthc.cli._common import legend

OPEN_EN = "[open] = not settled by the law: a documented default, configurable"
SECOND_EN = "[2nd] = read in a secondary source (news, a portal, another system), not in the legal text"
TILDE_EN = "~ = an estimate: the published price is a range, one value of it is shown"


def test_no_marks_no_legend() -> None:
    assert legend("due Fri 2026-11-27 17:00", "en") is None
    assert legend("", "vi") is None


@pytest.mark.parametrize(
    ("text", "meanings"),
    [
        ("NĐ 118/2025 [open]", [OPEN_EN]),
        ("Vietnam Post notice [2nd]", [SECOND_EN]),
        ("30,000 đ ~ — notice", [TILDE_EN]),
        ("price ~", [TILDE_EN]),  # at the end of a line
        ("~ first", [TILDE_EN]),
        ("[2nd] then [open] then 1 ~ x", [OPEN_EN, SECOND_EN, TILDE_EN]),  # in a fixed order, each once
        ("[open] [open]", [OPEN_EN]),
    ],
)
def test_each_mark_shown_is_explained_once(text: str, meanings: list[str]) -> None:
    assert legend(text, "en") == "Marks: " + "; ".join(meanings)


@pytest.mark.parametrize("text", ["~/exports/a.csv", "a~b", "[opened]", "[2nd", "open", "2nd"])
def test_look_alikes_are_not_marks(text: str) -> None:
    assert legend(text, "en") is None


def test_the_legend_in_vietnamese() -> None:
    assert legend("x [open] y ~ z", "vi") == (
        "Ký hiệu: [open] = pháp luật chưa quy định rõ: áp dụng mặc định nêu trong tài liệu, có thể cấu hình; "
        "~ = giá ước tính: giá công bố là một khoảng, hiển thị một giá trị trong khoảng đó"
    )


def test_due_explains_the_open_mark_of_its_trace(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("[open]" in line for line in lines[1:-1])
    assert lines[-1] == f"Marks: {OPEN_EN}"


def test_due_without_a_mark_has_no_legend(capsys: pytest.CaptureFixture[str]) -> None:
    # received Monday 09:00, 1 working day, no culture day or cut-off in the way: nothing [open] in the trace
    assert app(["due", "--received", "2026-03-02 09:00", "--processing-time", "1 ngày làm việc"]) == 0
    out = capsys.readouterr().out
    assert "[open]" not in out
    assert "Marks:" not in out


def test_quote_explains_all_three(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["quote", "1.011432.000.00.00.H21", "--channel", "online", "--postal", "return", "--on", "01/04/2020"]
    assert app(args) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"Marks: {OPEN_EN}; {SECOND_EN}; {TILDE_EN}"


def test_json_output_has_no_legend(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc", "--json"]) == 0
    assert "Marks:" not in capsys.readouterr().out
