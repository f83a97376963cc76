"""The operations under the HTTP API: the vectorised batch equals the single due date, item by item."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.server import ServerConfig, ServiceData
from tthc.server.due_batch import due_many
from tthc.server.service import DueItem, DueRequest, due_one

TIMES = ["5 ngày làm việc", "1 Ngày làm việc", "0 ngày làm việc", "15 Ngày", "8 Giờ", "4 giờ làm việc", "03 Tháng",
         "Trong ngày", "Không quy định", "20", "2 Tuần"]  # fmt: skip

instants = st.datetimes(min_value=datetime(2023, 12, 20), max_value=datetime(2027, 1, 10)).map(
    lambda d: d.replace(microsecond=0)
)
items = st.builds(
    DueItem,
    received_at=instants,
    processing_time=st.sampled_from(TIMES),
    channel=st.sampled_from(["direct", "online", "postal"]),
)


def _single(data: ServiceData, item: DueItem) -> tuple[object, ...]:
    from tthc.errors import TthcError

    try:
        one = due_one(data, DueRequest(**item.model_dump()))
    except TthcError as exc:
        return ("error", type(exc).__name__)
    return (one.due_at, one.projected, one.reason)


@settings(max_examples=40, deadline=None)
@given(st.lists(items, min_size=1, max_size=40))
def test_batch_equals_single(batch: list[DueItem]) -> None:
    data = _DATA
    results = due_many(data, batch)
    assert [r.index for r in results] == list(range(len(batch)))
    for item, r in zip(batch, results, strict=True):
        got = ("error", _kind(r.error.type)) if r.error is not None else (r.due_at, r.projected, r.reason)
        assert got == _single(data, item), item


def _kind(problem_type: str) -> str:
    return {"urn:tthc:problem:invalid-value": "InvalidValueError", "urn:tthc:problem:not-found": "NotFoundError",
            "urn:tthc:problem:calendar-range": "CalendarRangeError"}.get(problem_type, problem_type)  # fmt: skip


def test_the_example_reductions_take_the_scalar_path_and_agree() -> None:
    data = ServiceData.load(ServerConfig(example_reductions=True, access_log=False))
    item = DueItem(received_at=datetime(2026, 11, 20, 16, 30), processing_time="5 ngày làm việc", channel="online",
                   online_level="full")  # fmt: skip
    [r] = due_many(data, [item])
    assert r.due_at == due_one(data, DueRequest(**item.model_dump())).due_at
    plain = due_many(_DATA, [item])[0]
    assert r.due_at is not None
    assert plain.due_at is not None
    assert r.due_at < plain.due_at
    assert plain.due_at - r.due_at >= timedelta(days=1)


_DATA = ServiceData.load(ServerConfig(access_log=False))


def test_the_reported_calendar_version_is_the_calendars() -> None:
    from tthc.calendar import calendar_data_version
    from tthc.testing import calendar_data_version as kit_version

    assert _DATA.versions.calendar == calendar_data_version(_DATA.calendar) == kit_version()


def test_due_from_a_procedure_names_the_published_row_and_takes_its_level() -> None:
    """The service takes a procedure's time the one way compute_due does (published_time): same row, same trace."""
    from tthc.deadlines.compute import compute_due

    item = DueRequest(received_at=datetime(2026, 3, 2, 9, 0), procedure="1.001193", channel="online")
    got = due_one(_DATA, item)
    want = compute_due(item.received_at, procedure=_DATA.catalog["1.001193"], channel="online")
    assert got.due_at == want.due_at
    assert got.steps == list(want.steps)
    assert got.steps[0].startswith("processing time published for procedure 1.001193, channel online: row 1 of 1")
