"""The bundled tariff's notice in the reader's language (issue 14): ``document_vi`` in the reference of
``bcci_tariffs.json``; a Vietnamese quote cites the notice by its Vietnamese name, an English one as before."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.fees import quote
from tthc.fees.tariffs import Tariff
from tthc.foundation.data_files import load_json
from tthc.foundation.references import LegalReference

CAT = Catalog.sample()
NOTICE_EN = (
    "Vietnam Post notice: Công bố giá cước tại Trung tâm Dịch vụ hành chính công trực tuyến tỉnh Khánh Hòa [2nd]"
)
NOTICE_VI = (
    "Thông báo của Bưu điện Việt Nam: Công bố giá cước tại Trung tâm Dịch vụ hành chính công trực tuyến tỉnh Khánh Hòa "
    "[2nd]"
)


def _send_line(lang: str | None) -> str:
    q = quote(
        CAT["1.011432.000.00.00.H21"], channel="postal", postal="send", route="same_district", on=date(2021, 1, 4)
    )
    return next(line for line in q.explain(lang).splitlines() if "26.000 đ" in line)


def test_the_notice_in_vietnamese_and_in_english() -> None:
    assert _send_line("vi") == f"  cước gửi hồ sơ: 26.000 đ — {NOTICE_VI}"
    assert _send_line("en") == f"  cước gửi hồ sơ [send]: 26.000 đ — {NOTICE_EN}"


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _send_line(None).endswith(NOTICE_VI)


def test_other_references_are_cited_as_written() -> None:
    ref = LegalReference(document="659/UBND-KGVX", issued=date(2020, 3, 27))
    assert ref.text("vi") == ref.text("en") == "659/UBND-KGVX, 27/03/2020"
    assert Tariff.bundled().reference.text("en") == NOTICE_EN
    assert Tariff.bundled().reference.text("vi") == NOTICE_VI


def test_every_bundled_tariff_text_is_in_both_languages() -> None:
    for t in load_json("bcci_tariffs.json")["tariffs"]:
        assert t["reference"]["document"], t["id"]
        assert t["reference"].get("document_vi"), f"{t['id']}: the notice has no Vietnamese name (document_vi)"
        vat = t.get("vat", {})
        assert bool(vat.get("note")) == bool(vat.get("note_vi")), f"{t['id']}: the VAT note lacks a language"
        for text in (t["reference"]["document_vi"], vat.get("note_vi") or ""):
            assert unicodedata.is_normalized("NFC", text)
