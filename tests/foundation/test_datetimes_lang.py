"""The refusals of the date reading rule are worded in the reader's language, like every one-line error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

import pytest

from tthc.cli._common import error_payload
from tthc.errors import InvalidValueError
from tthc.foundation.datetimes import parse_local_date, parse_local_datetime


class _BrokenZone(tzinfo):
    """A tzinfo whose offset is not a timedelta: not a time zone."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return "7h"  # type: ignore[return-value]  # the point: a wrong type

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


def _line(exc: InvalidValueError, lang: str | None = None) -> str:
    return str(error_payload(exc, kind="input", lang=lang)["error"]["message"])  # type: ignore[index]


def _refusal(value: object, field: str) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        parse_local_datetime(value, field)
    return info.value


def test_an_instant_past_9999_in_vietnam_time_is_refused_in_vietnamese() -> None:
    exc = _refusal(datetime.max.replace(tzinfo=UTC), "--at")
    assert _line(exc, "vi") == (
        "--at: cần một thời điểm trong các năm 1..9999 theo giờ Việt Nam, "
        "nhận được datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc)"
    )
    assert str(exc).startswith("--at: expected a datetime within year 1..9999 in Vietnam time, got ")  # English stays


def test_a_tzinfo_that_is_no_time_zone_is_refused_in_vietnamese() -> None:
    exc = _refusal(datetime(2026, 2, 13, 16, 30, tzinfo=_BrokenZone()), "received_at")
    assert _line(exc, "vi").startswith("received_at: cần một thời điểm có tzinfo là một múi giờ, nhận được datetime.")
    assert _line(exc, "en").startswith("received_at: expected a datetime whose tzinfo is a time zone, got ")


def test_an_impossible_day_reads_in_vietnamese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    with pytest.raises(InvalidValueError) as info:
        parse_local_date("13/02/26", "--on")
    assert _line(info.value) == (
        "--on: cần một ngày theo ISO 8601 hoặc dd/mm/yyyy (2026-02-13 hoặc 13/02/2026), nhận được '13/02/26' "
        "(năm ghi 2 chữ số không rõ nghĩa: hãy ghi đủ 4 chữ số)"
    )
