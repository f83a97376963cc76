"""E_POSTAL_INELIGIBLE names each row's own receipt day.

The eligibility verdict is the same for every day of a stretch between two rule changes, so the validator asks once
per stretch; a reason that names the day ("the procedure is not in force on {day}") must still name the row's day,
not the day of the stretch's first row — else a message would depend on where the input is cut into pieces.
"""

from __future__ import annotations

from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.testing.record_files import HEADER, row
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationOptions

SAMPLE = Catalog.sample()
# the first passport (in person, no authorisation: never by post), out of force after 31 Jan 2025: both the decisive
# reason and a warning naming the receipt day
PASSPORT = SAMPLE["2.002209"].model_copy(update={"valid_until": date(2025, 1, 31)})
CAT = Catalog([PASSPORT, *(p for p in SAMPLE if str(p.code) != "2.002209")])
ROWS = [
    row(procedure_code="2.002209", channel="postal", tracking_number="EB123456785VN", due_at="",
        received_at=f"2025-03-{day:02d} 09:00:00", finished_at="", returned_at="", status="processing")
    for day in (3, 4, 5, 6)
]  # fmt: skip


def _messages(rows: list[dict[str, str]], lang: str) -> list[str]:
    chunk = {k: [r[k] for r in rows] for k in HEADER}
    found = validate_chunk(chunk, CAT, ValidationOptions(lang=lang)).findings
    return [p.message for p in found if p.code == "E_POSTAL_INELIGIBLE"]


@pytest.mark.parametrize(("lang", "days"), [("en", "2025-03-0{}"), ("vi", "0{}/03/2025")])
def test_each_row_names_its_own_receipt_day(lang: str, days: str) -> None:
    messages = _messages(ROWS, lang)
    assert len(messages) == 4
    for n, message in zip((3, 4, 5, 6), messages, strict=True):
        own = days.format(n)
        others = [days.format(m) for m in (3, 4, 5, 6) if m != n]
        assert own in message, message
        assert not any(o in message for o in others), message


def test_the_vietnamese_message_exactly() -> None:
    for rows in (ROWS[1:2], ROWS):  # alone, and after a row of the same stretch received on another day
        message = next(m for m in _messages(rows, "vi") if "04/03/2025" in m)
        assert "; [cảnh báo] thủ tục không có hiệu lực vào ngày 04/03/2025; " in message
        assert message.startswith("thủ tục 2.002209 không thực hiện được qua dịch vụ bưu chính công ích: ")
        assert message.endswith(
            "[quyết định] người nộp hồ sơ phải có mặt trực tiếp và không được ủy quyền cho người khác "
            "(45/2016/QĐ-TTg, Điều 1.2, 19/10/2016)"
        )


def test_messages_do_not_depend_on_where_the_input_is_cut() -> None:
    whole = _messages(ROWS, "vi")
    pieces = [m for cut in (ROWS[:1], ROWS[1:3], ROWS[3:]) for m in _messages(cut, "vi")]
    reversed_rows = _messages(ROWS[::-1], "vi")[::-1]
    assert whole == pieces == reversed_rows


def test_one_verdict_per_stretch_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's context asks the eligibility rules once per (procedure, service, agency, stretch of days with the
    same rules), whichever chunk meets the stretch first and on whichever of its days; a new stretch is asked again."""
    from tthc.foundation.channels import PostalService
    from tthc.postal import eligibility
    from tthc.validation.context import ValidationContext

    asked: list[date] = []
    real = eligibility.check_postal_eligibility

    def spy(*a: object, on: date, **k: object) -> object:
        asked.append(on)
        return real(*a, on=on, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(eligibility, "check_postal_eligibility", spy)
    ctx = ValidationContext.build(CAT, ValidationOptions(lang="en"))
    first = ctx.eligibility(PASSPORT, PostalService.SEND, date(2025, 3, 5), None)
    assert ctx.eligibility(PASSPORT, PostalService.SEND, date(2025, 3, 3), None) == first
    assert asked == [date(2025, 3, 5)]
    ctx.eligibility(PASSPORT, PostalService.SEND, date(2025, 1, 31), None)  # in force: another stretch
    ctx.eligibility(PASSPORT, PostalService.RETURN, date(2025, 3, 3), None)  # another service
    assert asked == [date(2025, 3, 5), date(2025, 1, 31), date(2025, 3, 3)]
    # per row, each names its own day whatever day the verdict was first asked on
    messages = [m for rows in (ROWS[2:3], ROWS[:2]) for m in _messages(rows, "en")]
    assert [m for m in messages if "2025-03-05" in m] == messages[:1]
