"""The Python API raises only ``TthcError`` (issue 11, item 9).

Every callable of ``tthc.__all__`` — functions, class constructors, the public classmethods of the public classes and
the public methods of one instance of each main class — is called with arbitrary arguments: for each parameter a mix
of a plausible value (a real procedure, a calendar, a date in range, ``st.from_type`` of its annotation) and garbage
(None, huge and negative integers, NaN, NaT, infinities, extreme and aware datetimes, empty, huge and full-width
strings, wrong types). Nothing but a :class:`tthc.TthcError` or a ``TypeError`` may escape.

``TypeError`` is allowed because it is what Python raises for operator misuse (``Money + int``) and for calls with
missing or unexpected arguments; it is never a crash inside the library. The constructors of the public pydantic models
(``Procedure(name=3)``, the dossier events, ``DossierRecord``) raise :class:`tthc.InvalidValueError` too; only their
``model_validate`` keeps pydantic's ``ValidationError`` (pydantic's own classmethod, not fuzzed here).

The calls are derandomized (the same on every run); ``TTHC_FUZZ_EXAMPLES=300`` searches further locally.
"""

from __future__ import annotations

import enum
import inspect
import os
import typing
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pydantic
import pytest
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st

import tthc
from tthc.foundation.data_value import DataValue

# Callables left out, each with its reason.
EXCLUDED: dict[str, str] = {
    # writes to the path it is given: an arbitrary string could name any file; output safety is tested in
    # tests/hostile with temporary folders
    "Catalog.dump": "writes files",
    # an attrs value with the models' API: its model_validate keeps pydantic's ValidationError, as every model's does
    "LegalReference.model_validate": "pydantic's ValidationError by design",
    # the data values (tthc.foundation.data_value) too: their model_validate is tthc's, no longer pydantic's own
    **{
        f"{name}.{method}": "pydantic's ValidationError by design"
        for name in tthc.__all__
        if inspect.isclass(getattr(tthc, name)) and issubclass(getattr(tthc, name), DataValue)
        for method in ("model_validate", "model_validate_json")
    },
    # the exception types are what the API raises; their constructors take any value by design
    **{
        name: "an exception type"
        for name in tthc.__all__
        if inspect.isclass(getattr(tthc, name)) and issubclass(getattr(tthc, name), BaseException)
    },
}

# examples per callable; raise it locally to search further (TTHC_FUZZ_EXAMPLES=300)
FUZZ_EXAMPLES = int(os.environ.get("TTHC_FUZZ_EXAMPLES", "25"))

VN = timezone(timedelta(hours=7))
GARBAGE_VALUES: tuple[object, ...] = (
    None,
    0,
    -1,
    10**30,
    -(10**30),
    2**63,
    -(2**63) - 1,
    float("nan"),
    float("inf"),
    -float("inf"),
    1.5,
    True,
    Decimal("NaN"),
    Fraction(1, 3),
    complex(1, 1),
    np.datetime64("NaT"),
    np.int64(2**62),
    np.float64("nan"),
    datetime.min,
    datetime.max,
    datetime.min.replace(tzinfo=UTC),
    datetime.max.replace(tzinfo=UTC),
    datetime(2024, 1, 1, 9, 0, tzinfo=VN),
    datetime(2024, 1, 1, 9, 0),
    date.min,
    date.max,
    date(1, 1, 1),
    time(23, 59),
    timedelta(days=10**6),
    "",
    " ",
    "x" * 10_000,
    "9" * 5000,
    "１.０００１７８",
    "٢",
    "²",
    "\x00",
    "-5",
    "NaN",
    "2024-02-30",
    "9999-12-31T23:59:59",
    "30 Ngày làm việc",
    "direct",
    "both",
    b"\xff\xfe",
    [],
    {},
    (),
    [None],
    {"a": None},
    object(),
    Path("/nonexistent/x.json"),
    Path("/"),
)
GARBAGE = st.one_of(
    st.sampled_from(GARBAGE_VALUES),
    st.text(max_size=20),
    st.integers(),
    st.floats(),
    st.datetimes(timezones=st.none() | st.just(UTC) | st.just(VN)),
    st.dates(),
)

CALENDAR = tthc.public_sector_calendar()
CATALOG = tthc.Catalog.sample()
PROCEDURES = st.sampled_from(CATALOG.procedures)
IN_RANGE_DATES = st.dates(min_value=date(2021, 1, 1), max_value=date(2026, 12, 31))
IN_RANGE_DATETIMES = st.datetimes(
    min_value=datetime(2021, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.sampled_from([None, VN])
)

# plausible values by parameter name, so calls get past the first argument check and into the code
BY_NAME: dict[str, st.SearchStrategy[object]] = {
    "procedure": PROCEDURES,
    "calendar": st.just(CALENDAR),
    "cal": st.just(CALENDAR),
    "catalog": st.just(CATALOG),
    "on": IN_RANGE_DATES,
    "day": IN_RANGE_DATES,
    "d": IN_RANGE_DATES,
    "start": IN_RANGE_DATES,
    "end": IN_RANGE_DATES,
    "accepted_on": IN_RANGE_DATES,
    "received_at": IN_RANGE_DATETIMES,
    "due_at": IN_RANGE_DATETIMES,
    "finished_at": IN_RANGE_DATETIMES,
    "issued_at": IN_RANGE_DATETIMES,
    "new_due_at": IN_RANGE_DATETIMES,
    "supplement_requested_at": IN_RANGE_DATETIMES,
    "supplement_completed_at": IN_RANGE_DATETIMES,
    "as_of": IN_RANGE_DATETIMES,
    "n": st.integers(-400, 400),
    "amount": st.integers(-400, 400),
    "text": st.sampled_from(["30 Ngày làm việc", "5 giờ 30 phút", "-5 Ngày", "Trong ngày", "20", "1,5 Giờ"]),
    "channel": st.sampled_from([*tthc.Channel, "online", "postal", 1, 2, 3]),
    "service": st.sampled_from([*tthc.PostalService]),
    "postal": st.sampled_from([None, *tthc.PostalService]),
    "route": st.sampled_from([*tthc.Zone]),
    "processing_time": st.from_type(tthc.ProcessingTime),
    "path": st.sampled_from(["/nonexistent.json", "/", "/dev/null", ""]),
    "weight_g": st.integers(-10, 10**7),
    "dates": st.lists(IN_RANGE_DATES, max_size=3).map(lambda x: np.array(x, dtype="datetime64[D]")),
    "ns": st.lists(st.integers(-500, 500), max_size=3).map(lambda x: np.array(x, dtype=np.int64)),
}


def _hint_strategy(hint: object) -> st.SearchStrategy[object] | None:
    """``st.from_type`` of an annotation when hypothesis can resolve it, else ``None``."""
    try:
        strategy: st.SearchStrategy[object] = st.from_type(hint)  # type: ignore[arg-type]
        strategy.validate()
    except Exception:
        return None
    return strategy


def _parameter_strategy(name: str, hint: object) -> st.SearchStrategy[object]:
    options: list[st.SearchStrategy[object]] = [GARBAGE]
    if name in BY_NAME:
        options.append(BY_NAME[name])
    elif hint is not None and hint is not inspect.Parameter.empty:
        from_type = _hint_strategy(hint)
        if from_type is not None:
            options.append(from_type)
    return st.one_of(*options)


def _hints(fn: Callable[..., object]) -> dict[str, object]:
    target = fn.__init__ if inspect.isclass(fn) else fn
    try:
        return typing.get_type_hints(target)
    except Exception:
        return {}


def _is_tthc(obj: object) -> bool:
    return (getattr(obj, "__module__", None) or "").startswith("tthc")


def _public_classmethods(cls: type) -> Iterator[tuple[str, Callable[..., object]]]:
    for klass in cls.__mro__:
        if not _is_tthc(klass):
            continue
        for name, raw in vars(klass).items():
            if name.startswith("_") or not isinstance(raw, classmethod | staticmethod):
                continue
            yield f"{cls.__name__}.{name}", getattr(cls, name)


def _public_methods(obj: object) -> Iterator[tuple[str, Callable[..., object]]]:
    cls = type(obj)
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not _is_tthc(klass):
            continue
        for name, raw in vars(klass).items():
            if name.startswith("_") or name in seen or not inspect.isfunction(raw):
                continue
            seen.add(name)
            yield f"{cls.__name__}.{name}", getattr(obj, name)


def _instances() -> list[object]:
    money = tthc.Money(150_000)
    return [
        tthc.DiscountSet.bundled(),
        tthc.Tariff.bundled(),
        tthc.FeeSchedule.bundled(),
        tthc.AgencyLists.bundled(),
        CALENDAR,
        CATALOG,
        CATALOG.procedures[0],
        money,
        tthc.ProcessingTime.working_days(5),
        tthc.load_reductions(),
        tthc.ProcedureCode("1.000178"),
        tthc.DossierCode("000.00.53.H48-220921-0099"),
        tthc.TrackingNumber("EB123456785VN"),
        tthc.AgencyCode("000.00.00.H49"),
        tthc.DateRange(date(2024, 1, 1), date(2024, 12, 31)),
    ]


def _callables() -> list[tuple[str, Callable[..., object]]]:
    out: list[tuple[str, Callable[..., object]]] = []
    for name in tthc.__all__:
        obj = getattr(tthc, name)
        if not callable(obj):
            continue
        out.append((name, obj))
        if inspect.isclass(obj):
            out.extend(_public_classmethods(obj))
    for inst in _instances():
        out.extend(_public_methods(inst))
    unique = dict(out)
    return sorted((k, v) for k, v in unique.items() if k not in EXCLUDED)


CALLABLES = _callables()


def _signature(fn: Callable[..., object]) -> inspect.Signature | None:
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


def _allowed(exc: BaseException) -> bool:
    return isinstance(exc, tthc.TthcError | TypeError)


_Plan = list[tuple[str, bool, bool, st.SearchStrategy[object]]]
_PLANS: dict[str, _Plan] = {}


# Python's functional Enum API (Channel("Name", names=...), type=, boundary=...) is not this library's; an enumeration
# is fuzzed through its value only
_ENUM_FUNCTIONAL_API = frozenset({"names", "module", "qualname", "type", "start", "boundary"})


def _plan(name: str, fn: Callable[..., object]) -> _Plan:
    """Per parameter: its name, whether it is positional-only, whether it may be left out, and its strategy
    (built once per callable: resolving ``st.from_type`` is slow)."""
    if name not in _PLANS:
        sig = _signature(fn)
        hints = _hints(fn)
        plan: _Plan = []
        for p in sig.parameters.values() if sig is not None else ():
            if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            if inspect.isclass(fn) and issubclass(fn, enum.Enum) and p.name in _ENUM_FUNCTIONAL_API:
                continue
            strategy = _parameter_strategy(p.name, hints.get(p.name, p.annotation))
            plan.append((p.name, p.kind is p.POSITIONAL_ONLY, p.default is not p.empty, strategy))
        _PLANS[name] = plan
    return _PLANS[name]


@pytest.mark.parametrize(
    ("name", "fn"),
    CALLABLES,
    ids=[n for n, _ in CALLABLES],
)
@settings(
    max_examples=FUZZ_EXAMPLES,
    derandomize=True,  # the same calls on every run: CI never fails on a call it has not made before
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing call is reported as found
)
@given(data=st.data())
def test_only_tthc_errors_escape(name: str, fn: Callable[..., object], data: st.DataObject) -> None:
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for pname, positional, optional, strategy in _plan(name, fn):
        if optional and not data.draw(st.booleans(), label=f"give {pname}"):
            continue
        try:
            value = data.draw(strategy, label=pname)
        except Exception:
            reject()  # fuzzed on its own; here the call could not be set up
        if positional:
            args.append(value)
        else:
            kwargs[pname] = value
    try:
        result = fn(*args, **kwargs)
        if inspect.isgenerator(result) or isinstance(result, Iterator):
            for _ in zip(range(3), result, strict=False):  # the error of a lazy reader comes with its first items
                pass
    except Exception as exc:
        if not _allowed(exc):
            raise AssertionError(f"{name}(*{args!r:.300}, **{kwargs!r:.600}) raised {exc!r:.400}") from exc


def test_every_public_callable_is_covered() -> None:
    """A callable added to ``tthc.__all__`` is fuzzed unless it is excluded with a reason."""
    names = {n for n, _ in CALLABLES}
    for name in tthc.__all__:
        if callable(getattr(tthc, name)):
            assert name in names or name in EXCLUDED, name
    assert all(reason for reason in EXCLUDED.values())


# -- the identifier rule in bulk agrees with the scalar types (issue 11, item 7) -----------------------------------

HOSTILE_DOSSIER_CODES = [
    "000.00.53.H48-220921-0099",
    "000.00.53.h48-220921-0099",
    "000.00.53.H48-220921-００99",
    "000.00.53.K48-220921-0099",
    "H21.65-220914-0011",
    "H21.65-220914-001١",
    "00352112000539",
    "٠٠352112000539",
    "000.00.53.H48-220230-0099",
    "",
]
HOSTILE_TRACKING_NUMBERS = ["EB123456785VN", "eb123456785vn", "EB12345678５VN", "ſE123456785VN", "EB123456784VN"]


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "python"])
def test_bulk_identifier_checks_agree_with_the_scalar_types(arrow: bool) -> None:
    """Python's ``\\d`` takes '٢' and '５' and RE2's does not; both bulk engines now give the scalar answer."""
    import pyarrow as pa

    from tthc.records.columns import StrCol
    from tthc.validation.checks import dossier_code_checks, tracking_checks

    def col(values: list[str]) -> StrCol:
        return StrCol(arrow=pa.array(values)) if arrow else StrCol(obj=np.array(values, dtype=object))

    _, bad = dossier_code_checks(col(HOSTILE_DOSSIER_CODES))
    scalar = [tthc.DossierCode.is_valid(c) for c in HOSTILE_DOSSIER_CODES]
    assert list(~bad[:-1]) == scalar[:-1]  # the empty cell is E_SCHEMA, not a malformed code
    form, digit = tracking_checks(col(HOSTILE_TRACKING_NUMBERS))
    assert list(form & digit) == [tthc.TrackingNumber.is_valid(c) for c in HOSTILE_TRACKING_NUMBERS]


# -- the named attacks of the issue, each held ---------------------------------------------------------------------


def test_batch_with_a_huge_hour_count_never_answers_before_the_receipt() -> None:
    """int64 overflow: 2**62 working hours used to come back as a due instant before the receipt."""
    from tthc.deadlines.batch import compute_due_many_checked

    received = np.array(["2026-01-05T10:00", "2026-01-05T10:00", "2026-01-05T10:00"], dtype="datetime64[s]")
    amounts = np.array([2**62, 999_999, 5], dtype=np.int64)
    units = np.array([2, 0, 2])
    with pytest.raises(tthc.CalendarRangeError, match="row 0"):
        tthc.compute_due_many(received, amounts, units)
    due, out_of_range = compute_due_many_checked(received, amounts, units)
    assert list(out_of_range) == [True, True, False]
    assert np.isnat(due[:2]).all()
    assert due[2] > received[2]
    scalar = tthc.compute_due(datetime(2026, 1, 5, 10), tthc.ProcessingTime.working_hours(5)).due_at
    assert scalar is not None
    assert due[2] == np.datetime64(scalar.replace(tzinfo=None))


@given(
    st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=20),
    st.lists(st.sampled_from([0, 1, 2, 3, 4]), min_size=1, max_size=1),
)
def test_batch_rows_are_answered_or_flagged_never_wrong(amounts: list[int], unit: list[int]) -> None:
    """Property: any int64 amount gives a due instant at or after the receipt day, NaT (negative), or a flag."""
    from tthc.deadlines.batch import compute_due_many_checked

    received = np.full(len(amounts), np.datetime64("2026-03-02T09:00", "s"))
    due, flagged = compute_due_many_checked(received, np.array(amounts, dtype=np.int64), np.full(len(amounts), unit[0]))
    answered = ~np.isnat(due)
    assert not (answered & flagged).any()
    assert (due[answered].astype("datetime64[D]") >= received[answered].astype("datetime64[D]")).all()


def test_receipts_outside_the_calendar_are_flagged_per_row() -> None:
    from tthc.deadlines.batch import compute_due_many_checked

    received = np.array(["1999-12-31T10:00", "2026-01-05T10:00", "9999-12-31T10:00", "NaT"], dtype="datetime64[s]")
    due, flagged = compute_due_many_checked(received, np.array([1, 1, 1, 1]), np.array([0, 0, 0, 0]))
    assert list(flagged) == [True, False, True, False]
    assert list(np.isnat(due)) == [True, False, True, True]


@pytest.mark.parametrize("calendar", ["public", 3, object(), datetime(2024, 1, 1)])
def test_a_calendar_of_the_wrong_type_is_an_invalid_value(calendar: object) -> None:
    """AttributeError before: the calendar is checked at the entry and named."""
    for call in (
        lambda: tthc.compute_due(datetime(2026, 1, 5, 9), "5 ngày làm việc", calendar=calendar),  # type: ignore[arg-type]
        lambda: tthc.classify(datetime(2026, 1, 5, 9), datetime(2026, 1, 6, 9), calendar=calendar),  # type: ignore[arg-type]
        lambda: tthc.transit_estimate(date(2026, 1, 5), "within_province", calendar=calendar),  # type: ignore[arg-type]
        lambda: tthc.compute_due_many(
            np.array(["2026-01-05T09:00"], dtype="datetime64[s]"),
            np.array([1]),
            np.array([0]),
            calendar=calendar,  # type: ignore[arg-type]
        ),
    ):
        with pytest.raises(tthc.InvalidValueError, match="calendar"):
            call()


def test_a_time_longer_than_the_calendar_is_a_range_error_not_an_overflow() -> None:
    with pytest.raises(tthc.CalendarRangeError, match="processing_time"):
        tthc.compute_due(datetime(2026, 1, 5, 9), tthc.ProcessingTime.months(999_999))
    with pytest.raises(tthc.CalendarRangeError):
        tthc.compute_due(datetime(2026, 1, 5, 9), tthc.ProcessingTime.calendar_days(999_999))


@pytest.mark.parametrize("member", [None, "fax", 3, [1]])
def test_an_enumeration_lookup_is_an_invalid_value_naming_the_values(member: object) -> None:
    with pytest.raises(tthc.InvalidValueError, match=r"channel: expected one of 'direct', 'online', 'postal'"):
        tthc.Channel(member)  # type: ignore[arg-type]
    assert tthc.Channel("online") is tthc.Channel.ONLINE


def test_a_public_model_constructor_raises_an_invalid_value_and_model_validate_keeps_pydantic_errors() -> None:
    """One rule for pydantic models: ``Model(...)`` raises a TthcError naming the field; ``model_validate`` (what the
    readers use to report every bad field of a row) keeps pydantic's ``ValidationError`` and its paths."""
    with pytest.raises(tthc.InvalidCodeError, match="procedure_code"):
        tthc.Procedure(code="1.0001", name="B")
    with pytest.raises(tthc.InvalidValueError, match=r"^name: "):
        tthc.Procedure(code="1.000178", name=3)
    with pytest.raises(pydantic.ValidationError) as info:
        tthc.Procedure.model_validate({"code": "1.0001", "name": "B"})
    assert info.value.errors()[0]["loc"] == ("code",)
    assert tthc.Procedure(code="1.000178", name="B").name == "B"


@pytest.mark.parametrize("row", [None, [("dossier_code", "x")], {1: 2}, {"received_at": "2024-02-30 09:00"}])
def test_a_row_that_is_not_a_record_is_an_invalid_value(row: object) -> None:
    with pytest.raises(tthc.InvalidValueError):
        tthc.DossierRecord.from_row(row)  # type: ignore[arg-type]


@pytest.mark.parametrize("at", [datetime.max.replace(tzinfo=UTC), datetime(9999, 12, 31, 17, 0, 1, tzinfo=UTC)])
def test_an_instant_past_year_9999_in_vietnam_is_an_invalid_value(at: datetime) -> None:
    with pytest.raises(tthc.InvalidValueError, match=r"^at: expected a datetime within year 1\.\.9999"):
        tthc.Received(at=at)
    # one second earlier is still year 9999 in Vietnam: accepted
    assert tthc.Received(at=datetime(9999, 12, 31, 16, 59, 59, tzinfo=UTC)).at.year == 9999


def test_codes_read_as_numbers_take_ascii_digits_of_bounded_length() -> None:
    assert tthc.DossierStatus.parse("10") is tthc.DossierStatus.parse(10)
    for text in ("9" * 5000, "²", "٢"):
        with pytest.raises(tthc.InvalidValueError, match="status"):
            tthc.DossierStatus.parse(text)
    assert tthc.map_online_level("mức độ 4").source is tthc.OnlineLevel.LEVEL_4  # type: ignore[arg-type]
    with pytest.raises(tthc.InvalidValueError, match="online_level"):
        tthc.map_online_level("mức độ ²")  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["a\x00b", "x" * 5000])
def test_a_path_the_os_cannot_name_is_a_tthc_error(path: str) -> None:
    with pytest.raises(tthc.TthcError):
        tthc.open_records(path)
    with pytest.raises(tthc.TthcError):
        list(tthc.read_portal_jsonl(path))
    with pytest.raises(tthc.InvalidValueError, match="paths"):
        tthc.import_portal_files(path)  # one path is not a list of paths
