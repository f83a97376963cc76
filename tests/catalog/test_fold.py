"""The fast text folding of the importer equals its definition, :func:`tthc.foundation.text.fold_reference`.

``fold`` has three paths (ASCII; short text decomposed and encoded; long text through a per-character table in
numpy, from 128 characters on) and a fallback to the reference for what the table cannot fold alone. Each property
below is checked on both sides of the length threshold, on random Unicode and on the real exports.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tthc.foundation import text
from tthc.foundation.text import fold, fold_reference

LONG = text._LONG

# what makes folding hard: precomposed and decomposed Vietnamese, stray marks, every kind of whitespace, characters
# whose lower case depends on context (Σ) or has two characters (İ), decomposing to several letters (Hangul),
# marks that NFD reorders (U+0315, U+0323, U+0301), a spacing mark with a combining class (U+1D165), astral
# characters, the table's two sentinels (NUL, U+FFFF) and private-use characters (the portal's Word symbols)
HARD = (
    "aăâeêioôơuưyđĐÀẤẬỆỠỰỹ"
    "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323\u0315\u0345\u034f"
    " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2028\u2029\u202f\u205f\u3000"
    "ΣσςİIıKKÅ한글\u1100\u1161"
    "\U0001d165\U0001d15e\U0001f600\x00\uffff\uf0fc“”–…·."
    "\u00ad\u200b\u2060\ufeff\u202e\U000e0041"
)
hard_text = st.text(alphabet=st.sampled_from(HARD), max_size=3 * LONG)
any_text = st.text(max_size=3 * LONG)


@given(any_text)
@settings(max_examples=300, deadline=None)  # the first long text builds the table
def test_fold_equals_the_reference_on_any_unicode(value: str) -> None:
    assert fold(value) == fold_reference(value)


@given(hard_text)
@settings(max_examples=500, deadline=None)
@example("ΑΣ" + " " * LONG)  # final sigma: its lower case depends on the next letter
@example("x" * (LONG - 1) + "ΑΣ x")
@example("İ" * LONG)  # 'i' + U+0307 when lower-cased, 'i' when the dot is stripped first
@example("a\u0323\u0301" * LONG)  # marks in canonical order or not
@example("\x00" + "ạ" * LONG)
@example("\uffff" + "ạ" * LONG)
@example(" \t" + "a \u0301 \u0323\n" * LONG + "\xa0" * 600 + "b  ")  # runs of spaces made by dropped marks, long
def test_fold_equals_the_reference_on_hard_text(value: str) -> None:
    assert fold(value) == fold_reference(value)


@pytest.mark.parametrize("n", [LONG - 1, LONG, LONG + 1])
def test_both_sides_of_the_long_path(n: int) -> None:
    value = ("Nộp  hồ sơ\u00a0TRỰC TIẾP\u0301 tại  Bộ; " * n)[:n]
    assert len(value) == n
    assert fold(value) == fold_reference(value)
    assert "nop ho so truc tiep" in fold(value)


def test_lone_surrogates_take_the_reference_path() -> None:
    """JSON can carry a lone surrogate (``"\\ud800"``); UTF-16 cannot encode it."""
    value = "Đăng ký \ud800 khai sinh " * (LONG // 10)
    assert fold(value) == fold_reference(value)


@pytest.mark.parametrize("n", [1, LONG])
@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u2060", "\ufeff", "\u202e"])
def test_format_characters_are_dropped(invisible: str, n: int) -> None:
    """Invisible (category Cf): 'ngày\u200b làm việc' shows as 'ngày làm việc' and folds as it; a format character
    between two letters joins them (it is no space)."""
    assert fold(("Ngày" + invisible + " Làm việc; ") * n) == " ".join(["ngay lam viec;"] * n)
    assert fold(("ngày" + invisible + "làm ") * n) == " ".join(["ngaylam"] * n)


def test_the_table_maps_vietnamese_letters_to_their_base() -> None:
    table = text._fold_table()
    for letter, base in (("ặ", "a"), ("Ữ", "u"), ("đ", "d"), ("Đ", "d"), ("ơ", "o"), ("\u00a0", " ")):
        assert chr(table[ord(letter)]) == base
    assert table[0x0301] == table[0x00AD] == table[0x200B] == table[0xFEFF] == text._DROPPED
    assert table[ord("Σ")] == table[0] == table[0xFFFF] == table[0xD800] == text._COMPLEX


def test_fold_equals_the_reference_on_the_real_exports(real_data: Path) -> None:
    """Every text of the first records of both exports (prose runs to tens of kilobytes)."""
    values: list[str] = []

    def strings(value: object) -> None:
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                strings(v)
        elif isinstance(value, list):
            for v in value:
                strings(v)

    for name in ("portal_national_2642.jsonl.gz", "portal_defence_207.jsonl.gz"):
        with gzip.open(real_data / name, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i == 150:
                    break
                strings(json.loads(line))
    assert sum(len(v) >= LONG for v in values) > 100
    assert [fold(v) for v in values] == [fold_reference(v) for v in values]


def test_the_table_spaces_exactly_the_whitespace() -> None:
    table = text._fold_table()
    spaced = {cp for cp in range(0x10000) if table[cp] == 0x20 and cp != 0x20}
    assert spaced == {cp for cp in range(0x10000) if chr(cp).isspace() and cp != 0x20}


def test_the_hangul_syllables_set_as_a_block_are_what_each_would_be() -> None:
    """The table sets the 11,172 Hangul syllables complex in one block instead of looking at each: each is."""
    import unicodedata

    table = text._fold_table()
    block = range(0xAC00, 0xD7A4)
    assert block == text._HANGUL
    assert all(text._fold_char(unicodedata.normalize("NFD", chr(cp))) == text._COMPLEX for cp in block)
    assert all(table[cp] == text._COMPLEX for cp in block)
    assert table[0xABFF] == 0xABFF  # either side: looked at one by one (both fold to themselves)
    assert table[0xD7A4] == 0xD7A4
    assert fold("한글 " * LONG) == fold_reference("한글 " * LONG)
