"""Translations: every marked text has its Vietnamese form, the catalogs are current, the language is chosen as
documented, and dates and numbers follow the language."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation import i18n
from tthc.foundation.i18n import (
    format_day,
    format_instant,
    format_number,
    format_time,
    gettext,
    ngettext,
    resolve_lang,
    weekday,
)

SRC = Path(i18n.__file__).resolve().parent.parent
PO = SRC / "locale" / "vi" / "LC_MESSAGES" / "tthc.po"
# as scripts/translations.sh: the 4th argument of the argument checks (tthc.foundation.arguments) is a catalog text
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None, "expect": (4,), "expect_optional": (4,)}


def _marked_in_source() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(SRC), keywords=KEYWORDS):
        if isinstance(message, tuple):
            found.update(m for m in message if m)
        elif message:
            found.add(message)
    return found


def _catalog_entries() -> Iterator[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every message (plural forms as separate pairs)."""
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    for m in catalog:
        if not m.id:
            continue  # the header
        ids = m.id if isinstance(m.id, tuple | list) else (m.id,)
        strs = m.string if isinstance(m.string, tuple | list) else (m.string,)
        for msgid in ids:
            for msgstr in strs:
                yield str(msgid), str(msgstr or ""), m.fuzzy


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_marked_text_is_in_the_catalog_and_nothing_stale() -> None:
    in_source = _marked_in_source()
    in_catalog = {msgid for msgid, _, _ in _catalog_entries()}
    assert in_source, "no marked text found: the extraction keywords or the source path are wrong"
    assert sorted(in_source - in_catalog) == [], "marked but not in tthc.po: run `bash scripts/translations.sh`"
    assert sorted(in_catalog - in_source) == [], "in tthc.po but no longer marked: run `bash scripts/translations.sh`"


def test_every_message_has_a_vietnamese_translation() -> None:
    missing = [msgid for msgid, msgstr, fuzzy in _catalog_entries() if not msgstr.strip() or fuzzy]
    assert missing == []


def test_translations_keep_every_placeholder() -> None:
    wrong = [(msgid, msgstr) for msgid, msgstr, _ in _catalog_entries() if _fields(msgid) != _fields(msgstr)]
    assert wrong == []


def test_vietnamese_text_is_nfc_with_real_diacritics() -> None:
    not_nfc = [s for _, s, _ in _catalog_entries() if unicodedata.normalize("NFC", s) != s]
    assert not_nfc == []
    # Vietnamese written without its marks ("Thu Sau", "ngay") is a translation nobody checked: most messages of
    # more than two words carry at least one letter outside ASCII.
    long_ones = [s for _, s, _ in _catalog_entries() if len(re.findall(r"[^\W\d_]+", s)) > 2]
    ascii_only = [s for s in long_ones if s.isascii()]
    assert len(ascii_only) <= len(long_ones) // 10, ascii_only


def test_the_compiled_catalog_is_current() -> None:
    """The .mo the package loads says what the .po says (a stale build shows old or English text)."""
    i18n._catalog.cache_clear()
    stale = [msgid for msgid, msgstr, fuzzy in _catalog_entries() if not fuzzy and gettext(msgid, "vi") != msgstr]
    assert stale == [], "the compiled tthc.mo is stale: run `bash scripts/translations.sh compile`"


def test_vietnamese_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert resolve_lang() == "vi"
    assert gettext("Fri") == "Thứ Sáu"


@pytest.mark.parametrize(("env", "expected"), [("en", "en"), ("vi", "vi"), ("en_US.UTF-8", "en"), ("vi-VN", "vi")])
def test_the_environment_variable_chooses(monkeypatch: pytest.MonkeyPatch, env: str, expected: str) -> None:
    monkeypatch.setenv("TTHC_LANG", env)
    assert resolve_lang() == expected


def test_an_explicit_language_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTHC_LANG", "vi")
    assert resolve_lang("en") == "en"
    assert gettext("Fri", "en") == "Fri"
    monkeypatch.setenv("TTHC_LANG", "en")
    assert gettext("Fri", "VI") == "Thứ Sáu"


def test_an_empty_environment_variable_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTHC_LANG", "")
    assert resolve_lang() == "vi"


def test_an_unknown_language_names_where_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidValueError) as arg:
        resolve_lang("fr")
    assert (arg.value.field, arg.value.given) == ("lang", "fr")
    monkeypatch.setenv("TTHC_LANG", "de_DE")
    with pytest.raises(InvalidValueError) as env:
        gettext("Fri")
    assert (env.value.field, env.value.given) == ("TTHC_LANG", "de_DE")
    with pytest.raises(InvalidValueError):
        resolve_lang(1)  # type: ignore[arg-type]


def test_a_missing_compiled_catalog_is_a_data_file_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._catalog.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"translations\.sh compile"):
            gettext("Fri", "vi")
        assert gettext("Fri", "en") == "Fri"  # English needs no catalog
        broken = tmp_path / "vi" / "LC_MESSAGES" / "tthc.mo"
        broken.parent.mkdir(parents=True)
        broken.write_bytes(b"not a catalog at all")
        i18n._catalog.cache_clear()
        with pytest.raises(DataFileError, match="unreadable"):
            gettext("Fri", "vi")
    finally:
        i18n._catalog.cache_clear()


def test_plural_forms() -> None:
    # Vietnamese has one form; English two
    assert ngettext("{n} day", "{n} days", 1, "en") == "{n} day"
    assert ngettext("{n} day", "{n} days", 2, "en") == "{n} days"


def test_weekdays_in_both_languages() -> None:
    week = [date(2026, 3, 2 + i) for i in range(7)]  # Mon 2 Mar … Sun 8 Mar 2026
    assert [weekday(d, "en") for d in week] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert [weekday(d, "vi") for d in week] == [
        "Thứ Hai",
        "Thứ Ba",
        "Thứ Tư",
        "Thứ Năm",
        "Thứ Sáu",
        "Thứ Bảy",
        "Chủ Nhật",
    ]


def test_days_follow_the_language() -> None:
    assert format_day(date(2026, 2, 13), "en") == "Fri 2026-02-13"
    assert format_day(date(2026, 2, 13), "vi") == "Thứ Sáu, 13/02/2026"
    assert format_day(date(2026, 11, 3), "vi", with_weekday=False) == "03/11/2026"  # day first, zero-padded
    assert format_day(date(987, 1, 9), "vi", with_weekday=False) == "09/01/0987"
    assert format_day(date(2026, 11, 3), "en", with_weekday=False) == "2026-11-03"


def test_instants_follow_the_language() -> None:
    at = datetime(2026, 3, 2, 17, 5)
    assert format_instant(at, "en") == "Mon 2026-03-02 17:05"
    assert format_instant(at, "vi") == "17:05 Thứ Hai, ngày 02/03/2026"
    assert format_instant(at, "vi", with_weekday=False) == "17:05 ngày 02/03/2026"
    assert format_instant(at, "en", with_weekday=False) == "2026-03-02 17:05"
    assert format_time(time(7, 30, 59)) == "07:30"


def test_numbers_follow_the_language() -> None:
    assert format_number(1234567, "vi") == "1.234.567"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(0.5, "vi", decimals=1) == "0,5"
    assert format_number(-1234.25, "vi", decimals=2) == "-1.234,25"
    assert format_number(999, "vi") == "999"
