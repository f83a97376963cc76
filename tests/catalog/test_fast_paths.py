"""The importer's fast paths give what the plain code they replaced gave (issue 16, item 6: same results).

Each fast path is compared with the straightforward version, kept here as the specification: the statement
patterns searched one literal-led alternative at a time against the single alternation; the list and note
splitters that jump between punctuation against the character-by-character loops; the document numbers found from
their slash against ``finditer`` of the whole pattern; cached parsers (and whole channel tables and legal-basis
lists) against fresh calls.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tthc.catalog import free_text
from tthc.catalog.free_text import _PRESENCE_YES, _PROXY_NO, _PROXY_YES, _find, _split_note, parse_fee_text
from tthc.catalog.portal_import import _split_top_level

# the patterns as they were written before the lookbehinds were moved behind their literal (the specification)
PRESENCE_YES = re.compile(
    r"(?<!khong )(?<!khong can )(?<!khong bat buoc )phai "
    r"(?:truc tiep (?:den|co mat|nop|ky|thuc hien|lam thu tuc|xuat trinh)|co mat(?! du hop| tai cuoc hop))"
    r"|bat buoc (?:phai )?co mat"
    r"|khong (?:duoc )?(?:nop|gui) (?:ho so )?qua (?:duong )?buu (?:chinh|dien)"
)
PROXY_NO = re.compile(
    r"(?<!quy dinh )khong (?:duoc|the|cho phep) (?:phep )?uy quyen|khong (?:ap dung|chap nhan) (?:viec )?uy quyen"
    r"|khong uy quyen cho (?:nguoi|ca nhan|to chuc) khac|khong duoc nop thay"
)
PROXY_YES = re.compile(
    r"hoac qua uy quyen|hoac (?:nguoi|ca nhan|to chuc) (?:duoc )?uy quyen|(?:co the|duoc phep|duoc) uy quyen cho "
    r"(?:nguoi|ca nhan|to chuc|co quan, to chuc)|(?:hoac|thuc hien hoac) uy quyen cho (?:nguoi|ca nhan|to chuc) khac"
    r"|(?<!khong )nguoi duoc uy quyen|phai (?:gui |co |nop )?(?:van ban|giay) uy quyen|giay uy quyen (?:nhan|nop)"
)

# folded statements are made of these words: random sequences of them hit every branch and every lookbehind
WORDS = [
    "khong",
    "can",
    "bat",
    "buoc",
    "phai",
    "truc",
    "tiep",
    "den",
    "co",
    "mat",
    "nop",
    "ky",
    "thuc",
    "hien",
    "lam",
    "thu",
    "tuc",
    "xuat",
    "trinh",
    "du",
    "hop",
    "tai",
    "cuoc",
    "duoc",
    "gui",
    "ho",
    "so",
    "qua",
    "duong",
    "buu",
    "chinh",
    "dien",
    "quy",
    "dinh",
    "the",
    "cho",
    "phep",
    "uy",
    "quyen",
    "ap",
    "dung",
    "chap",
    "nhan",
    "viec",
    "nguoi",
    "ca",
    "nhan",
    "to",
    "chuc",
    "khac",
    "thay",
    "hoac",
    "van",
    "ban",
    "giay",
    "nhan",
    "co",
    "quan,",
    "|",
    "#",
]
statement = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


def _old_find(pattern: re.Pattern[str], folded: str) -> str | None:
    m = pattern.search(folded)
    if m is None:
        return None
    return folded[max(0, m.start() - 40) : min(len(folded), m.end() + 40)].strip()


@given(statement)
@settings(max_examples=1500)
@example("phai co mat khong phai co mat")
@example("khong can phai truc tiep den bat buoc co mat")
@example("quy dinh khong duoc uy quyen hoac nguoi duoc uy quyen")
@example("khong nguoi duoc uy quyen giay uy quyen nop")
def test_split_alternatives_find_what_the_alternation_found(text: str) -> None:
    assert _find(_PRESENCE_YES, text) == _old_find(PRESENCE_YES, text)
    assert _find(_PROXY_YES, text) == _old_find(PROXY_YES, text)
    assert _find((_PROXY_NO,), text) == _old_find(PROXY_NO, text)
    assert _PROXY_NO.sub(" # ", text) == PROXY_NO.sub(" # ", text)


def _old_split_top_level(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in ",;\n" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


@given(st.one_of(st.none(), st.text(alphabet="ab ()),;\n\t", max_size=40)))
@settings(max_examples=1000)
@example("Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam")
@example("a), b (c, d")
def test_audience_split_is_the_character_loop(text: str | None) -> None:
    assert _split_top_level(text) == _old_split_top_level(text)


def _old_split_note(rest: str) -> tuple[str | None, str]:
    rest = rest.lstrip()
    if not rest.startswith("("):
        return None, rest
    depth = 0
    for i, ch in enumerate(rest):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return rest[1:i].strip() or None, rest[i + 1 :]
    return rest[1:].strip() or None, ""


@given(st.text(alphabet="ab ()", max_size=30))
@settings(max_examples=1000)
@example(" (a (b) c) tail")
@example("(unclosed (note)")
def test_note_split_is_the_character_loop(text: str) -> None:
    assert _split_note(text) == _old_split_note(text)


class Label(str):
    """A str subclass: parsed like the plain text, never cached in its place."""


def test_cached_parsers_answer_as_fresh_calls() -> None:
    text = "Phí : 40 Việt Nam Đồng(40.000đ/giấy)\nLệ phí : Miễn phí"
    first = parse_fee_text(text)
    assert parse_fee_text(text) == first == free_text._parse_fee_text_uncached(text, first.lines[1].kind)
    sub = parse_fee_text(Label(text))
    assert sub == first
    assert type(parse_fee_text(text).text) is str  # the subclass did not take the plain text's place
    assert free_text._parse_fee_text.cache_info().maxsize == free_text._CACHE_SIZE


def test_audience_split_is_cached_and_answers_as_a_fresh_call() -> None:
    from tthc.catalog import portal_import

    text = "Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam; Người nước ngoài"
    first = _split_top_level(text)
    assert first == ("Tổ chức (không bao gồm doanh nghiệp, HTX)", "Công dân Việt Nam", "Người nước ngoài")
    assert _split_top_level(text) is first  # one result per recurring audience text
    assert _split_top_level(Label(text)) == first == _old_split_top_level(text)
    assert portal_import._split_list.cache_info().maxsize == free_text._CACHE_SIZE


# legal basis lists are glued titles and numbers: digits (an Arabic-Indic one too: \d is any decimal digit),
# slashes, capitals, Đ, "Tg", hyphens, lower case, spaces
DOC_PIECES = ["1", "2", "0", "٣", "/", "Q", "H", "Đ", "Tg", "-", "a", "ư", " ", ".", "À"]


@given(st.lists(st.sampled_from(DOC_PIECES), max_size=40).map("".join))
@settings(max_examples=1500)
@example("Luật 51/2019/QH1451/2019/QH14")
@example("12345/QH14Nghị định 06/2021/TT-BYTThông tư")
@example("1/2/3/A /B 12/")
@example("Quyết định 15/2014/QĐ-TTgNghị định")
def test_doc_numbers_are_found_where_the_pattern_finds_them(text: str) -> None:
    from tthc.catalog.legal_basis import _DOC_NUMBER, _doc_numbers

    assert list(_doc_numbers(text)) == [m.span() for m in _DOC_NUMBER.finditer(text)]


def test_channel_tables_and_legal_basis_are_cached_and_answer_as_fresh_calls() -> None:
    from tthc.catalog import legal_basis, portal_import

    table = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp15 NgàyMiễn phíTrực tuyến125 VNĐ"
    assert portal_import._split_table(table) is portal_import._split_table(table)
    rows = free_text.split_flat_channel_table(Label(table)).rows
    assert rows == portal_import._split_table(table).rows
    fresh = portal_import._channel_options.__wrapped__(rows)
    assert portal_import._channel_options(rows) == fresh
    assert portal_import._channel_options(rows) is portal_import._channel_options(rows)
    assert [i.field for i in fresh[2]] == ["channels[2](online)"]  # the issues name the row's position
    basis = "Tên văn bản pháp lýMã văn bảnLuật Đất đai45/2013/QH13Nghị định 43/2014/NĐ-CP43/2014/NĐ-CP"
    first = legal_basis.flat_legal_basis(basis)
    assert [b.number for b in first] == ["45/2013/QH13", "43/2014/NĐ-CP"]
    assert legal_basis.flat_legal_basis(basis) is first
    assert legal_basis.flat_legal_basis(Label(basis)) == first
    for cached in (portal_import._split_table, portal_import._channel_options, legal_basis._legal_basis_list):
        assert cached.cache_info().maxsize == free_text._CACHE_SIZE


def _clear_import_caches() -> None:
    from tthc.catalog import legal_basis, portal_import

    for cached in (portal_import._split_table, portal_import._channel_options, legal_basis._legal_basis_list):
        cached.cache_clear()


def test_a_recurring_table_gives_what_a_fresh_reading_gives() -> None:
    """Two records sharing a channel table (with a row that cannot be split and a fee note) and a legal-basis list:
    the second, read from the caches, is what it is when read alone with the caches empty."""
    from tthc.catalog import import_portal

    table = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp15 Ngày làm việc40 Việt Nam Đồng(40.000đ/giấy)Nộp tại"
        " trụ sở; phải có mặtTrực tuyến125 VNĐDịch vụ bưu chính30 NgàyMiễn phí"
    )
    basis = "Tên văn bản pháp lýMã văn bảnLuật Đất đai45/2013/QH13Nghị định 43/2014/NĐ-CP43/2014/NĐ-CP"
    records = [
        {"ma_thu_tuc": code, "ten_thu_tuc": "Thủ tục", "cach_thuc_thuc_hien": table, "can_cu_phap_ly": basis}
        for code in ("1.000001", "1.000002")
    ]
    _clear_import_caches()
    both = import_portal(records)
    first, second = both.catalog.procedures
    assert second.channels == first.channels
    assert second.legal_basis == first.legal_basis
    assert both.report.records[1].issues == both.report.records[0].issues
    _clear_import_caches()
    alone = import_portal(records[1:])
    assert alone.catalog.procedures[0].model_dump() == second.model_dump()
    assert alone.report.records[0].model_dump() == {**both.report.records[1].model_dump(), "row": 1}
    assert [i.reason_in("vi") for i in alone.report.records[0].issues] == [
        i.reason_in("vi") for i in both.report.records[1].issues
    ]


# a record's prose folded as one text: pieces that fold to nothing (marks, whitespace), the separator itself,
# capital sigma at either end (its lower case looks at its neighbours), both sides of the long-text path
PROSE = ["Có mặt", "TRỰC TIẾP", "ΑΣ", "Σα", "\u0301", "\u0323 ", " ", "\t\n", "\xa0", "\x01", "x", "đ", "ử", "İ", "한"]
prose_text = st.lists(st.sampled_from(PROSE), max_size=12).map("".join)


@given(st.lists(st.one_of(st.none(), prose_text, prose_text.map(lambda t: t * 20)), max_size=5))
@settings(max_examples=600, deadline=None)
@example(["có mặt", "\u0301", "trực tiếp"])  # a text folding to nothing keeps its place (two spaces)
@example(["ΑΣ", "α"])
@example(["a", "b\x01c"])
@example(["   ", "x" * 200, ""])
def test_prose_folded_as_one_is_each_text_folded(texts: list[str | None]) -> None:
    from tthc.foundation.text import fold_reference

    assert free_text._fold_all(tuple(texts)) == " ".join(fold_reference(t) for t in texts if t)


# flattened channel tables: the labels, their common beginnings, the characters their lookahead accepts or refuses
TABLE_PIECES = ["Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính", "Trực t", "Dịch vụ", "Trực", "1", "N", "đ", " ", ":"]


@given(st.lists(st.sampled_from(TABLE_PIECES), max_size=30).map("".join))
@settings(max_examples=1000)
@example("Trực tiếpTrực tuyến15 NgàyDịch vụ bưu chínhDịch vụ bưu chính: x")
def test_row_starts_are_where_the_pattern_finds_them(text: str) -> None:
    found = free_text._row_starts(text)
    assert [(m.span(), m.group(1)) for m in found] == [
        (m.span(), m.group(1)) for m in free_text._ROW_START.finditer(text)
    ]
    assert all(label.startswith(free_text._ROW_HEADS) for label in free_text._ROW_LABELS)
