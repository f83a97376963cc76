"""`tthc batch due|quote|eligibility`: JSON Lines in, one line out per line in, in order; bad lines inline."""

from __future__ import annotations

import io
import json

import pytest

from tthc.cli._app import app


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], text: str
) -> tuple[int, list[dict[str, object]]]:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    code = app(["batch", *args])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_due_lines_in_order_with_a_bad_line_inline(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        '{"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc"}',
        "not json",
        "",
        '{"received_at": "2026-11-20T16:30:00", "processing_time": "20"}',
        '{"received_at": "2026-02-13T16:30:00", "procedure": "1.002809", "channel": "online"}',
    ]
    code, out = _run(monkeypatch, capsys, ["due", "--chunk", "2"], "\n".join(lines) + "\n")
    assert code == 1  # some line has an error
    assert [o["line"] for o in out] == [1, 2, 3, 4, 5]
    assert out[0] == {"line": 1, "due_at": "2026-12-01T17:00:00+07:00", "projected": False, "reason": None}
    assert out[1]["error"]["status"] == 422  # type: ignore[index]
    assert out[2]["error"]["expected"] == "a JSON object"  # type: ignore[index]
    assert out[3]["error"]["field"] == "processing_time"  # type: ignore[index]
    assert out[4]["due_at"] == "2026-03-02T17:00:00+07:00"


def test_chunking_does_not_change_the_answers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "".join(
        json.dumps({"received_at": f"2026-02-{d:02d}T{h:02d}:10:00", "processing_time": f"{n} ngày làm việc"}) + "\n"
        for d in range(1, 28) for h in (8, 15) for n in (0, 1, 5)
    )  # fmt: skip
    code1, one = _run(monkeypatch, capsys, ["due", "--chunk", "1"], text)
    code2, many = _run(monkeypatch, capsys, ["due", "--chunk", "1000"], text)
    assert code1 == code2 == 0
    assert one == many
    assert len(one) == 27 * 2 * 3


def test_quote_and_eligibility(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(monkeypatch, capsys, ["quote"],
                     '{"procedure": "1.002809", "channel": "online", "on": "2025-03-03"}\n'
                     '{"procedure": "9.999999", "channel": "online"}\n')  # fmt: skip
    assert code == 1
    assert out[0]["total"] == {"VND": "115000"}
    assert "data_versions" not in out[0]
    assert out[1]["error"]["status"] == 404  # type: ignore[index]
    code, out = _run(monkeypatch, capsys, ["eligibility"], '{"procedure": "2.002209", "on": "2026-03-02"}\n')
    assert code == 0
    assert out[0]["verdict"]["eligible"] is False  # type: ignore[index]


def test_an_empty_input_is_an_empty_output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(monkeypatch, capsys, ["due"], "") == (0, [])
    assert app(["batch", "nothing"]) == 2
