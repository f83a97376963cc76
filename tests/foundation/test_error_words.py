"""tthc.foundation.error_words: a library error worded in a language (the one place the CLI and the service use)."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from tthc.errors import CalendarRangeError, DataFileError, InvalidValueError, NotFoundError
from tthc.foundation.error_words import detail_text, error_text, expected_text, say
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

# marked texts that the catalog translates (their Vietnamese is asserted exactly below)
_WHOLE = N_("a whole number >= 1")
_NOT_IN_CATALOG = N_("procedure {procedure} is not in the catalog")
_HALF = N_("a fraction ('rưỡi', and a half), not a whole number")


def test_a_bad_value_is_framed_and_worded_in_vietnamese() -> None:
    exc = InvalidValueError("max_batch_items", _WHOLE, 0)
    assert error_text(exc, "vi") == "max_batch_items: cần một số nguyên >= 1, nhận được 0"
    assert expected_text(exc, "vi") == "một số nguyên >= 1"
    assert detail_text(exc, "vi") == ""


def test_english_is_the_message_exactly() -> None:
    exc = InvalidValueError("max_batch_items", _WHOLE, 0)
    assert error_text(exc, "en") == str(exc) == "max_batch_items: expected a whole number >= 1, got 0"
    assert expected_text(exc, "en") == exc.expected


def test_values_filled_in_are_worded_in_the_language() -> None:
    exc = InvalidValueError(
        "end", words(N_("a date 0..{most} days on or after start {start}"), most=365, start=date(2026, 2, 13)), "x"
    )
    assert error_text(exc, "vi") == "end: cần một ngày từ 0 đến 365 ngày kể từ ngày bắt đầu 13/02/2026, nhận được 'x'"
    assert error_text(exc, "en") == "end: expected a date 0..365 days on or after start 2026-02-13, got 'x'"


def test_the_detail_is_worded_and_the_given_value_kept_as_typed() -> None:
    # the value is data: the Vietnamese line quotes it exactly as the English one does
    exc = InvalidValueError("", _WHOLE, "5 rưỡi", detail=_HALF)
    assert error_text(exc, "vi") == (
        "cần một số nguyên >= 1, nhận được '5 rưỡi' (một phân số ('rưỡi', tức là thêm một nửa), không phải số nguyên)"
    )
    assert detail_text(exc, "vi") == "một phân số ('rưỡi', tức là thêm một nửa), không phải số nguyên"
    assert (
        error_text(exc, "en")
        == "expected a whole number >= 1, got '5 rưỡi' (a fraction ('rưỡi', and a half), not a whole number)"
    )


def test_an_error_raised_with_words_is_worded() -> None:
    exc = NotFoundError(words(_NOT_IN_CATALOG, procedure="9.999999"))
    assert error_text(exc, "vi") == "thủ tục 9.999999 không có trong danh mục TTHC"
    assert error_text(exc, "en") == "procedure 9.999999 is not in the catalog"


def test_a_plain_text_error_stays_as_it_was_written() -> None:
    exc = CalendarRangeError("date: expected a date in 2000-01-01..2100-12-31 (the compiled range), got 1990-01-01")
    assert error_text(exc, "vi") == str(exc)
    assert error_text(ValueError("not ours"), "vi") == "not ours"


def test_the_words_survive_pickling() -> None:
    # Dask workers send errors back pickled: the Vietnamese line must still be worded
    exc = pickle.loads(pickle.dumps(InvalidValueError("max_batch_items", _WHOLE, 0)))
    assert error_text(exc, "vi") == "max_batch_items: cần một số nguyên >= 1, nhận được 0"


def test_the_default_language_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert error_text(InvalidValueError("n", _WHOLE, 0)) == "n: cần một số nguyên >= 1, nhận được 0"


def test_a_language_that_is_neither_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="lang"):
        error_text(DataFileError("x"), "fr")


def test_say_leaves_an_empty_text_empty() -> None:
    # gettext("") is the catalog's header: an empty detail must not become it
    assert say("", "vi") == ""
    assert say(_WHOLE, "vi") == "một số nguyên >= 1"
    assert say(words(_WHOLE), "en") == "a whole number >= 1"


def test_an_error_kept_as_words_is_worded_as_error_text() -> None:
    from tthc.foundation.error_words import ErrorWords

    exc = InvalidValueError("max_batch_items", _WHOLE, 0, detail=_HALF)
    kept = ErrorWords(exc)
    assert kept.text("vi") == error_text(exc, "vi")
    assert kept.text("vi").startswith("max_batch_items: cần một số nguyên >= 1, nhận được 0 (")
    assert str(kept) == kept.text("en") == str(exc)
    assert kept == ErrorWords(InvalidValueError("max_batch_items", _WHOLE, 0, detail=_HALF))  # by its message
    assert pickle.loads(pickle.dumps(kept)) == kept


def test_a_renamed_data_file_error_keeps_its_words() -> None:
    from tthc.foundation.error_words import renamed

    said = words(N_("procedure {procedure} is not in the catalog"), procedure="/tmp/x/upload.csv")
    exc = renamed(DataFileError(said), "/tmp/x/upload.csv", "r.csv")
    assert type(exc) is DataFileError
    assert str(exc) == "procedure r.csv is not in the catalog"
    assert error_text(exc, "vi") == "thủ tục r.csv không có trong danh mục TTHC"
    plain = renamed(DataFileError("/tmp/x/upload.csv: broken"), "/tmp/x/upload.csv", "r.csv")
    assert (str(plain), plain.said) == ("r.csv: broken", None)


def test_a_pydantic_error_at_a_public_constructor_is_worded_by_its_type() -> None:
    from tthc.foundation.arguments import CheckedModel

    class Limits(CheckedModel):
        items: int
        name: str = ""

    with pytest.raises(InvalidValueError) as info:
        Limits(items="many")
    exc = info.value
    assert (
        str(exc) == "items: expected Input should be a valid integer, unable to parse string as an integer, got 'many'"
    )
    assert error_text(exc, "en") == str(exc)
    assert error_text(exc, "vi") == (
        "items: cần một số nguyên hợp lệ, không đọc được chuỗi thành số nguyên, nhận được 'many'"
    )
    back = pickle.loads(pickle.dumps(exc))
    assert (str(back), error_text(back, "vi")) == (str(exc), error_text(exc, "vi"))
    with pytest.raises(InvalidValueError) as info:
        Limits(items=3, name=None)
    assert error_text(info.value, "vi") == "name: cần một chuỗi văn bản hợp lệ, nhận được None"
