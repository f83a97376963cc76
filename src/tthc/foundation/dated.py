"""Dated values: a value that holds over an inclusive date range, with the reference that sets it.

The OpenFisca idea (parameters that change over time, each value with its source) done with explicit, inclusive end
dates. A :class:`Timeline` holds the successive values of one thing (the online driving-licence fee, the one-way
postage within a district, ...); two values for the same thing may not be in force on the same day, and asking for a
day on which nothing is in force raises :class:`~tthc.errors.NotInForceError` that says which ranges *are* covered.

Example::

    fee = Timeline("driving-licence fee (online)", [DatedValue(Money.vnd(115_000), start, end, reference=tt63)])
    fee.at(some_day).value      # Money('115.000 đ'), or NotInForceError outside start..end
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import ClassVar, Generic, TypeVar

import attrs

from tthc.errors import ConflictError, InvalidValueError, NotInForceError
from tthc.foundation.data_value import DataValue, data_value
from tthc.foundation.i18n import N_
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import DateRange, LegalReference
from tthc.foundation.words import Joined, words

__all__ = ["DatedModel", "DatedValue", "Timeline"]

T = TypeVar("T")


def _range(valid_from: date | None, valid_until: date | None) -> DateRange:
    return DateRange(valid_from, valid_until)


@attrs.frozen(slots=True)
class DatedValue(Generic[T]):
    """``value`` in force from ``valid_from`` to ``valid_until``, both inclusive (``None`` = open-ended).

    Raises:
        InvalidValueError: ``valid_until`` precedes ``valid_from``.
    """

    value: T
    valid_from: date | None = None
    valid_until: date | None = None
    reference: LegalReference | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("valid_from", "valid_until"):
            day = getattr(self, name)
            if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
                raise InvalidValueError(name, N_("a date or None"), day)
        _range(self.valid_from, self.valid_until)  # validates the order, naming valid_until

    @property
    def period(self) -> DateRange:
        return _range(self.valid_from, self.valid_until)

    def in_force(self, on: date) -> bool:
        """Whether the value holds on ``on`` (both ends inclusive)."""
        return on in self.period

    def __repr__(self) -> str:
        ref = f" ({self.reference.document})" if self.reference else ""
        return f"<{self.value!r} {self.period}{ref}>"


def _by_start(values: Iterable[DatedValue[T]]) -> tuple[DatedValue[T], ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidValueError("values", N_("an iterable of DatedValue"), type(values).__name__)
    items = tuple(values)
    for i, v in enumerate(items):
        if not isinstance(v, DatedValue):
            raise InvalidValueError(f"values[{i}]", N_("a DatedValue"), type(v).__name__)
    return tuple(sorted(items, key=lambda v: v.valid_from or date.min))


@attrs.frozen(slots=True)
class Timeline(Generic[T]):
    """The successive dated values of one named thing; at most one value is in force on any day.

    Args:
        name: what the values are of; used in error messages (``'fee: driving licence, online'``).
        values: the dated values, in any order; they are kept sorted by start date.

    Raises:
        ConflictError: two values are in force on the same day (the message names both and their sources).
    """

    name: str
    values: tuple[DatedValue[T], ...] = attrs.field(converter=_by_start)

    def __attrs_post_init__(self) -> None:
        for a, b in zip(self.values, self.values[1:], strict=False):
            if a.period.overlaps(b.period):
                raise ConflictError(
                    words(
                        N_(
                            "{name}: two values in force on the same days: {first} and {second} (expected at most "
                            "one value per day; end one before the other starts)"
                        ),
                        name=self.name,
                        first=repr(a),
                        second=repr(b),
                    )
                )

    def at(self, on: date) -> DatedValue[T]:
        """The value in force on ``on``.

        Raises:
            NotInForceError: nothing is in force that day; the message lists the periods that are covered.
        """
        if not isinstance(on, date):
            raise InvalidValueError("on", N_("a date"), on)
        for v in self.values:
            if v.in_force(on):
                return v
        covered = Joined(tuple(v.period for v in self.values), ", ") if self.values else words(N_("no period at all"))
        raise NotInForceError(
            words(
                N_("{name}: nothing in force on {day} (in force: {covered})"), name=self.name, day=on, covered=covered
            )
        )

    def get(self, on: date) -> DatedValue[T] | None:
        """The value in force on ``on``, or ``None``."""
        return next((v for v in self.values if v.in_force(on)), None)

    def gaps(self) -> tuple[DateRange, ...]:
        """Periods between the first start and the last end on which nothing is in force."""
        out: list[DateRange] = []
        for a, b in zip(self.values, self.values[1:], strict=False):
            if a.valid_until is None or b.valid_from is None:
                continue
            if (b.valid_from - a.valid_until).days > 1:
                out.append(
                    DateRange(
                        date.fromordinal(a.valid_until.toordinal() + 1), date.fromordinal(b.valid_from.toordinal() - 1)
                    )
                )
        return tuple(out)

    def __iter__(self) -> Iterator[DatedValue[T]]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"<timeline {self.name}: {', '.join(repr(v) for v in self.values)}>"

    @classmethod
    def merge(cls, name: str, *parts: Iterable[DatedValue[T]]) -> Timeline[T]:
        """One timeline from several sources of values (each checked against the others for overlaps)."""
        return cls(name, tuple(v for part in parts for v in part))


@data_value
class DatedModel(DataValue):
    """The file shape every dated record shares: inclusive ``valid_from``/``valid_until`` and a ``reference``.

    A :func:`~tthc.foundation.data_value.data_value` class (validated by pydantic, not a pydantic model).

    Raises (on validation):
        InvalidValueError: ``valid_until`` precedes ``valid_from``.
    """

    # validated on first use (a user's file): a bundled file read as written never builds the validator
    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid"}

    valid_from: IsoDay | None = None
    valid_until: IsoDay | None = None
    reference: LegalReference

    def __post_init__(self) -> None:  # called by pydantic when it validates
        _range(self.valid_from, self.valid_until)

    @property
    def period(self) -> DateRange:
        return _range(self.valid_from, self.valid_until)
