"""Why there is no due date, in the reader's language (issue 14): :attr:`DueDate.reason` stays English (programs,
JSON), :attr:`DueDate.reason_words` words it, and the errors that quote it (classifying or extending a due date that
has none) word their detail in Vietnamese too."""

from __future__ import annotations

from datetime import datetime

import pytest

from tthc.deadlines import classify, compute_due, extend_due
from tthc.deadlines.counting import CountingRules, UnknownUnitPolicy
from tthc.errors import InvalidValueError
from tthc.foundation.error_words import error_text

RECEIVED = datetime(2026, 3, 2, 9, 0)
BARE = CountingRules(unknown_unit=UnknownUnitPolicy.NO_DUE_DATE)


def test_the_reason_is_worded_in_each_language_and_stays_english() -> None:
    unspecified = compute_due(RECEIVED, "Không quy định")
    bare = compute_due(RECEIVED, "15", rules=BARE)
    assert unspecified.reason == "processing time not specified (không quy định): no due date"
    assert bare.reason == "processing time 15 has no unit: no due date"
    assert unspecified.reason_words is not None
    assert bare.reason_words is not None
    assert unspecified.reason_words.text("vi") == "thời hạn giải quyết không quy định: không có hạn giải quyết"
    assert bare.reason_words.text("vi") == "thời hạn giải quyết 15 không ghi đơn vị: không có hạn giải quyết"
    assert (str(unspecified.reason_words), str(bare.reason_words)) == (unspecified.reason, bare.reason)
    assert bare.steps_in("vi") == (bare.reason_words.text("vi"),)  # the trace says the same
    assert compute_due(RECEIVED, "5 ngày làm việc").reason_words is None


def test_a_classification_without_a_due_date_says_why_in_vietnamese() -> None:
    with pytest.raises(InvalidValueError) as info:
        classify(compute_due(RECEIVED, "15", rules=BARE), datetime(2026, 3, 9, 10, 0))
    assert error_text(info.value, "vi") == (
        "due_at: cần một thời điểm hạn giải quyết, nhận được None "
        "(thời hạn giải quyết 15 không ghi đơn vị: không có hạn giải quyết)"
    )
    english = "due_at: expected a due instant, got None (processing time 15 has no unit: no due date)"
    assert error_text(info.value, "en") == str(info.value) == english


def test_an_extension_without_a_due_date_says_why_in_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")  # the default is Vietnamese
    with pytest.raises(InvalidValueError) as info:
        extend_due(
            compute_due(RECEIVED, "7", rules=BARE), datetime(2026, 3, 20, 17, 0), issued_at=datetime(2026, 3, 9, 9)
        )
    assert error_text(info.value) == (
        "due_at: cần một thời điểm hạn giải quyết, nhận được None "
        "(thời hạn giải quyết 7 không ghi đơn vị: không có hạn giải quyết)"
    )
    assert str(info.value) == "due_at: expected a due instant, got None (processing time 7 has no unit: no due date)"
