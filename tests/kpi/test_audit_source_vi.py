"""Audit sources in the reader's language (issue 14): the legal citations as written, "provincial letters" and
"catalog record" worded in the language asked; English unchanged; Vietnamese by default."""

from __future__ import annotations

from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.kpi.audit import AuditFinding, audit_catalog, audit_source

CAT = Catalog.sample()
ON = date(2024, 6, 1)
RULE_EN = "NĐ 43/2011/NĐ-CP Điều 3.4; NĐ 42/2022/NĐ-CP [2nd]; provincial letters"
RULE_VI = "NĐ 43/2011/NĐ-CP Điều 3.4; NĐ 42/2022/NĐ-CP [2nd]; công văn của các tỉnh"


def _upgrade(lang: str | None) -> AuditFinding:
    found = audit_catalog(CAT, on=ON, lang=lang)
    return next(f for f in found if f.code == "UPGRADE_CANDIDATE" and f.procedure == "2.000720")


def test_the_source_of_a_finding_in_vietnamese_and_in_english() -> None:
    f = _upgrade("vi")
    record = CAT["2.000720"].source
    assert record
    assert f.source == f"{RULE_VI}; bản ghi danh mục: {record}"
    assert f.text("vi").endswith(f"[{RULE_VI}; bản ghi danh mục: {record}]")
    # the same finding worded in English, and one made in English: as before
    assert f.text("en").endswith(f"[{RULE_EN}; catalog record: {record}]")
    assert _upgrade("en").source == f"{RULE_EN}; catalog record: {record}"


def test_rule_sources_by_code() -> None:
    assert audit_source("UPGRADE_CANDIDATE", "vi") == RULE_VI
    assert audit_source("UPGRADE_CANDIDATE", "en") == RULE_EN
    # a source with no letters is a citation only: the same in both languages
    assert audit_source("POSTAL_CHANNEL_NOT_ELIGIBLE", "vi") == "QĐ 45/2016/QĐ-TTg Điều 1.2"
    assert audit_source("POSTAL_CHANNEL_NOT_ELIGIBLE", "en") == "QĐ 45/2016/QĐ-TTg Điều 1.2"


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert audit_source("UPGRADE_CANDIDATE") == RULE_VI
    assert _upgrade(None).source.startswith(RULE_VI + "; bản ghi danh mục: ")
