"""`tthc due --json`: the notes of the rules applied are in the run's language (issue 14); the key stays `note`."""

from __future__ import annotations

import json

import pytest

from tthc.cli._app import app

ARGS = ["due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc", "--json"]


def _notes(capsys: pytest.CaptureFixture[str], *lang: str) -> dict[str, str]:
    assert app([*lang, *ARGS]) == 0
    rules = json.loads(capsys.readouterr().out)["rules_applied"]
    assert all("note_vi" not in r for r in rules)
    return {r.get("article", r["document"]): r["note"] for r in rules}


def test_notes_follow_lang(capsys: pytest.CaptureFixture[str]) -> None:
    vi, en = _notes(capsys, "--lang", "vi"), _notes(capsys, "--lang", "en")
    assert vi["Điều 147.2"] == "khi thời hạn tính bằng ngày thì ngày đầu tiên của thời hạn không được tính"
    assert en["Điều 147.2"] == "for periods in days the first day is not counted"
    assert vi.keys() == en.keys()


def test_the_default_is_vietnamese(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _notes(capsys)["Điều 148.1"] == (
        "thời hạn tính bằng ngày kết thúc vào cuối ngày cuối cùng của thời hạn; "
        "với cơ quan, đó là lúc hết giờ hành chính"
    )
