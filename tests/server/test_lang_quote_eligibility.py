"""``?lang=`` on ``/v1/quote`` and ``/v1/eligibility``, like ``/v1/due``: Vietnamese by default, English on request."""

from __future__ import annotations

from typing import Any

import pytest

QUOTE = {"procedure": "1.002809", "channel": "postal", "on": "2026-03-02", "postal": "both"}
ELIGIBILITY = {"procedure": "1.002809", "service": "both", "on": "2026-03-02"}


def _messages(client: Any, query: str = "") -> dict[str, str]:
    verdict = client.post(f"/v1/eligibility{query}", json=ELIGIBILITY).json()["verdict"]
    return {r["code"]: r["message"] for r in verdict["reasons"]}


def test_eligibility_reasons_follow_lang(client: Any) -> None:
    vi, en = _messages(client, "?lang=vi"), _messages(client, "?lang=en")
    assert vi["general_rule_allows"] == "không yêu cầu có mặt trực tiếp"
    assert en["general_rule_allows"] == "personal presence is not required"
    assert vi.keys() == en.keys()


def test_quote_notes_follow_lang_and_amounts_do_not(client: Any) -> None:
    vi = client.post("/v1/quote?lang=vi", json=QUOTE).json()
    en = client.post("/v1/quote?lang=en", json=QUOTE).json()
    assert vi["total"] == en["total"]
    vi_notes = [n for line in vi["quote"]["lines"] for n in line["notes"]]
    en_notes = [n for line in en["quote"]["lines"] for n in line["notes"]]
    assert len(vi_notes) == len(en_notes) > 0
    assert vi_notes != en_notes
    assert any(n.startswith("weight not") for n in en_notes)
    assert not any(n.startswith("weight not") for n in vi_notes)


def test_the_default_is_vietnamese(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _messages(client) == _messages(client, "?lang=vi")


@pytest.mark.parametrize(("path", "body"), [("/v1/quote", QUOTE), ("/v1/eligibility", ELIGIBILITY)])
def test_an_unknown_lang_is_a_problem_naming_it(client: Any, path: str, body: dict[str, str]) -> None:
    r = client.post(f"{path}?lang=fr", json=body)
    assert r.status_code == 422
    assert r.json()["field"] == "lang"
