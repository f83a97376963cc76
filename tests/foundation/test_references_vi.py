"""The notes and documents of legal references in both languages (issue 14): data, one way to read them, answers.

Every ``reference`` of the bundled data files that has an English ``note`` has its Vietnamese sibling ``note_vi``
(NFC, translated, not the English again), and every ``document`` that describes its source in English words (not an
official number or title) has its ``document_vi`` — inside the reference, the one place for it;
:meth:`LegalReference.note_in` / :meth:`LegalReference.document_in` read them in a language and
:meth:`LegalReference.in_lang` gives the reference as an answer in that language carries it (JSON keys ``note`` and
``document``).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from tthc.errors import InvalidValueError
from tthc.foundation.data_files import bundled_path, load_json
from tthc.foundation.error_words import error_text
from tthc.foundation.references import LegalReference, bundled_reference

DATA_FILES = sorted(p.name for p in Path(bundled_path("counting_rules.json")).parent.glob("*.json"))

# Words of English that a Vietnamese sentence never uses as words ("to" and "in" are Vietnamese words too: left out).
# Names such as ``OfficeHours`` or ``agency_code_sources`` are not matched: ``\b`` does not split them.
_ENGLISH = re.compile(
    r"\b(the|and|of|is|are|for|with|not|from|which|that|this|by|be|when|only|after|before|until|its|their|per|each"
    r"|days?|working|dossiers?|agency|office|hours?|procedures?|received|as|on|or|at)\b",
    re.IGNORECASE,
)


# Words a document described in English uses and an official Vietnamese title never does ("Vietnam Post notice",
# "tthc library rule", "example (no real figure known)", "(portal sync fields)", "(implementing 8726/VPCP-KGVX)").
_ENGLISH_DOCUMENT = re.compile(
    r"\b(example|library|rule|default|notice|guide|schedule|practice|code|public|implementing|portal|sync|fields"
    r"|shared|category|known|reported|samples|swap|compensatory|figure|real|decision|source|app|application)\b",
    re.IGNORECASE,
)


def english_words(text: str) -> list[str]:
    """The common English words in ``text`` (a Vietnamese text that has any was not translated, or not fully)."""
    return _ENGLISH.findall(text)


def _references(node: object, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, reference) for every legal reference (an object with a ``document``) nested in ``node``."""
    if isinstance(node, dict):
        if "document" in node:
            yield where, node
        for key, value in node.items():
            yield from _references(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _references(value, f"{where}[{i}]")


def _problems(name: str) -> list[str]:
    """What is wrong with the notes of the bundled file ``name``, one line per reference."""
    out: list[str] = []
    for where, ref in _references(load_json(name), name):
        en, vi = ref.get("note"), ref.get("note_vi")
        if en is None and vi is None:
            continue
        if not en or not vi:
            out.append(f"{where}: a note without its {'note_vi' if en else 'note'}")
        elif not unicodedata.is_normalized("NFC", vi):
            out.append(f"{where}: note_vi is not NFC")
        elif vi.strip() == en.strip():
            out.append(f"{where}: note_vi is the English note again")
        elif english_words(vi):
            out.append(f"{where}: note_vi has English words {english_words(vi)}")
    return out


def english_document_words(text: str) -> list[str]:
    """The English words of a document's name (an official number or Vietnamese title has none)."""
    return english_words(text) + _ENGLISH_DOCUMENT.findall(text)


def _document_problems(name: str) -> list[str]:
    """What is wrong with the documents of the bundled file ``name``: a document described in English words without
    its ``document_vi`` (or a ``document_vi`` not translated), and a ``document_vi`` outside a reference."""
    out: list[str] = []
    data = load_json(name)
    for where, ref in _references(data, name):
        en, vi = ref["document"], ref.get("document_vi")
        if vi is None:
            if english_document_words(en):
                out.append(f"{where}: document {en!r} in English words without its document_vi")
        elif not unicodedata.is_normalized("NFC", vi):
            out.append(f"{where}: document_vi is not NFC")
        elif vi.strip() == en.strip():
            out.append(f"{where}: document_vi is the English document again")
        elif english_document_words(vi):
            out.append(f"{where}: document_vi has English words {english_document_words(vi)}")
    out.extend(f"{where}: document_vi beside the reference, not in it" for where in _loose_documents_vi(data, name))
    return out


def _loose_documents_vi(node: object, where: str) -> Iterator[str]:
    """Where a ``document_vi`` sits in an object that is not a reference (the one place for it is the reference)."""
    if isinstance(node, dict):
        if "document_vi" in node and "document" not in node:
            yield where
        for key, value in node.items():
            yield from _loose_documents_vi(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _loose_documents_vi(value, f"{where}[{i}]")


def test_the_walk_finds_the_notes() -> None:
    notes = [r for name in DATA_FILES for _, r in _references(load_json(name), name) if r.get("note")]
    assert len(DATA_FILES) >= 17
    assert len(notes) >= 90


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_reference_note_is_in_both_languages(name: str) -> None:
    assert _problems(name) == []


def test_the_walk_finds_the_documents_in_words() -> None:
    refs = [r for name in DATA_FILES for _, r in _references(load_json(name), name)]
    assert len([r for r in refs if r.get("document_vi")]) >= 30
    # official numbers and Vietnamese titles need none, and have none
    assert not english_document_words("6150/TB-BLĐTBXH")
    assert not english_document_words("Cổng dịch vụ công Thành phố Hồ Chí Minh")
    assert not english_document_words("QCVN 102:2016/BTTTT")
    assert all(not r.get("document_vi") for r in refs if r["document"] == "61/2018/NĐ-CP")


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_document_in_english_words_has_its_vietnamese(name: str) -> None:
    assert _document_problems(name) == []


def test_the_document_check_bites(monkeypatch: pytest.MonkeyPatch) -> None:
    """A descriptive English document without its Vietnamese, a copy, English words, decomposed text and a
    ``document_vi`` beside its reference are named; an official number needs nothing."""
    data = {
        "a": {"document": "tthc library rule"},
        "b": {"document": "example (no real figure known)", "document_vi": "example (no real figure known)"},
        "c": {"document": "Vietnam Post notice: X", "document_vi": "thông báo of the post"},
        "d": {"document": "tthc library default", "document_vi": unicodedata.normalize("NFD", "mặc định của tthc")},
        "e": {"document_vi": "lịch nghỉ Tết 2020", "reference": {"document": "Tết 2020 schedule"}},
        "f": {"document": "61/2018/NĐ-CP"},
        "g": {"document": "Tết 2026 schedule", "document_vi": "lịch nghỉ Tết 2026"},
    }
    monkeypatch.setattr(sys.modules[__name__], "load_json", lambda name: data)
    assert _document_problems("x.json") == [
        "x.json.a: document 'tthc library rule' in English words without its document_vi",
        "x.json.b: document_vi is the English document again",
        "x.json.c: document_vi has English words ['of', 'the']",
        "x.json.d: document_vi is not NFC",
        "x.json.e.reference: document 'Tết 2020 schedule' in English words without its document_vi",
        "x.json.e: document_vi beside the reference, not in it",
    ]


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_bundled_reference_reads_the_same_fast_and_validated(name: str) -> None:
    """The fast path (:func:`bundled_reference`, no validation) builds what validation builds, note_vi included."""
    for where, raw in _references(load_json(name), name):
        fast, checked = bundled_reference(raw), LegalReference.model_validate(raw)
        assert fast == checked, where
        assert (fast.note_in("vi"), fast.note_in("en")) == (checked.note_in("vi"), checked.note_in("en")), where
        assert (fast.text("vi"), fast.text("en")) == (checked.text("vi"), checked.text("en")), where


def test_the_check_bites(monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing sibling, an orphan note_vi, a copy of the English, English words and decomposed text are named."""
    refs = {
        "a": {"document": "X", "note": "the first day is not counted"},
        "b": {"document": "X", "note_vi": "không tính ngày đầu"},
        "c": {"document": "X", "note": "scored 2 points", "note_vi": "scored 2 points"},
        "d": {"document": "X", "note": "scored 2 points", "note_vi": "được tính 2 points for the agency"},
        "e": {"document": "X", "note": "scored 2 points", "note_vi": unicodedata.normalize("NFD", "được tính 2 điểm")},
        "f": {"document": "X", "note": "scored 2 points", "note_vi": "được tính 2 điểm"},
    }
    monkeypatch.setattr(sys.modules[__name__], "load_json", lambda name: refs)
    assert _problems("x.json") == [
        "x.json.a: a note without its note_vi",
        "x.json.b: a note without its note",
        "x.json.c: note_vi is the English note again",
        "x.json.d: note_vi has English words ['for', 'the', 'agency']",
        "x.json.e: note_vi is not NFC",
    ]


# -- the model -------------------------------------------------------------------------------------------------------

REF = LegalReference(
    document="61/2018/NĐ-CP",
    article="Điều 19.4",
    note="the agency asks for a supplement within 3 working days of receipt",
    note_vi="cơ quan yêu cầu bổ sung hồ sơ trong thời hạn 3 ngày làm việc kể từ ngày tiếp nhận",
)


def test_note_in_each_language() -> None:
    assert REF.note_in("vi") == "cơ quan yêu cầu bổ sung hồ sơ trong thời hạn 3 ngày làm việc kể từ ngày tiếp nhận"
    assert REF.note_in("en") == "the agency asks for a supplement within 3 working days of receipt"
    assert REF.note_in("vi_VN") == REF.note_vi
    assert LegalReference(document="X").note_in("vi") is None


def test_the_default_language_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert REF.note_in() == REF.note_vi
    assert REF.in_lang().note == REF.note_vi
    monkeypatch.setenv("TTHC_LANG", "en")
    assert REF.note_in() == REF.note


def test_an_answer_carries_the_note_in_its_language_under_note() -> None:
    vi, en = REF.in_lang("vi"), REF.in_lang("en")
    assert json.loads(vi.model_dump_json())["note"] == REF.note_vi
    assert json.loads(en.model_dump_json())["note"] == REF.note
    assert en.model_dump(exclude_none=True) == {
        "document": "61/2018/NĐ-CP",
        "article": "Điều 19.4",
        "tag": "law",
        "note": "the agency asks for a supplement within 3 working days of receipt",
    }
    # one language per answer: the copy has no Vietnamese sibling left, and note_vi is never a JSON key
    assert vi.note_vi is None
    assert en.note_vi is None
    assert "note_vi" not in REF.model_dump()
    assert "note_vi" not in json.loads(REF.model_dump_json())
    assert "note_vi" not in LegalReference.model_json_schema(mode="serialization")["properties"]
    # everything else is as it was
    assert (vi.document, vi.article, str(vi)) == (REF.document, REF.article, str(REF))


def test_a_reference_without_vietnamese_is_answered_as_it_is() -> None:
    """A user's file may give ``note`` alone (in either language): it is shown as written in both."""
    mine = LegalReference.model_validate({"document": "QĐ 12/QĐ-UBND", "note": "áp dụng từ quý 2"})
    assert mine.note_in("vi") == mine.note_in("en") == "áp dụng từ quý 2"
    assert mine.in_lang("vi") is mine
    assert mine.in_lang("en") is mine


def test_note_vi_needs_a_note() -> None:
    with pytest.raises(InvalidValueError, match=r"^note: expected a note \(in English\) beside note_vi, got None$"):
        LegalReference(document="X", note_vi="chỉ có tiếng Việt")
    with pytest.raises(InvalidValueError) as caught:
        LegalReference(document="X", note_vi="chỉ có tiếng Việt")
    assert error_text(caught.value, "vi") == "note: cần một ghi chú (tiếng Anh) đi kèm note_vi, nhận được None"
    with pytest.raises(ValidationError, match="note"):  # a reader reports it among a row's errors
        LegalReference.model_validate({"document": "X", "note_vi": "chỉ có tiếng Việt"})


def test_an_unknown_language_is_refused_whatever_the_reference() -> None:
    for ref in (REF, LegalReference(document="X"), LegalReference(document="X", note="n")):
        with pytest.raises(InvalidValueError, match=r"^lang: "):
            ref.note_in("fr")
        with pytest.raises(InvalidValueError, match=r"^lang: "):
            ref.in_lang("fr")


# -- the document ----------------------------------------------------------------------------------------------------

RULE = LegalReference(
    document="tthc library rule",
    document_vi="quy tắc của thư viện tthc",
    tag="open",
    note="a procedure without a postal row is decided by the general rule",
    note_vi="thủ tục không có dòng bưu chính được xét theo quy định chung",
)


def test_document_in_each_language() -> None:
    assert RULE.document_in("vi") == "quy tắc của thư viện tthc"
    assert RULE.document_in("en") == "tthc library rule"
    assert REF.document_in("vi") == REF.document_in("en") == "61/2018/NĐ-CP"  # an official number: no sibling
    assert RULE.text("vi") == "quy tắc của thư viện tthc [open]"
    assert RULE.text("en") == str(RULE) == "tthc library rule [open]"  # str() cites as written, English unchanged
    assert REF.text("vi") == REF.text("en") == str(REF) == "61/2018/NĐ-CP, Điều 19.4"


def test_an_answer_carries_the_document_in_its_language_under_document() -> None:
    vi, en = RULE.in_lang("vi"), RULE.in_lang("en")
    assert json.loads(vi.model_dump_json()) == {
        "document": "quy tắc của thư viện tthc",
        "issued": None,
        "article": None,
        "title": None,
        "url": None,
        "tag": "open",
        "note": "thủ tục không có dòng bưu chính được xét theo quy định chung",
    }
    assert en.model_dump(exclude_none=True) == {
        "document": "tthc library rule",
        "tag": "open",
        "note": "a procedure without a postal row is decided by the general rule",
    }
    assert (vi.document_vi, en.document_vi) == (None, None)
    assert "document_vi" not in RULE.model_dump()
    assert "document_vi" not in LegalReference.model_json_schema(mode="serialization")["properties"]


def test_a_document_without_vietnamese_is_answered_as_it_is() -> None:
    only = LegalReference(document="tthc library rule", tag="open")  # a user's file may give document alone
    assert only.in_lang("vi") is only
    assert only.text("vi") == only.text("en") == "tthc library rule [open]"
    sibling = LegalReference(document="Tết 2020 schedule", document_vi="lịch nghỉ Tết 2020")  # no note: still swapped
    assert sibling.in_lang("vi").document == "lịch nghỉ Tết 2020"
    assert sibling.in_lang("en").document == "Tết 2020 schedule"


def test_the_default_document_language_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert RULE.document_in() == RULE.text()[: len(RULE.document_vi or "")] == "quy tắc của thư viện tthc"
    with pytest.raises(InvalidValueError, match=r"^lang: "):
        RULE.document_in("fr")
    with pytest.raises(InvalidValueError, match=r"^lang: "):
        RULE.text("fr")
