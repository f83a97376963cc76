"""Processing time (thời hạn giải quyết): an amount and a unit, parsed from the portal's free text.

Units (domain.md §3): working days (``Ngày làm việc``), calendar days (``Ngày``), working hours (``Giờ``),
months (``Tháng``), within the day (``Trong ngày``), unspecified (``Không quy định``). A bare number has an
**unknown unit**: it is kept as such, never guessed.
"""

from __future__ import annotations

import enum
import re
from typing import Any

import attrs
from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from tthc._text import fold
from tthc.errors import InvalidValueError, ParseError

__all__ = ["ProcessingTime", "TimeUnit"]


class TimeUnit(enum.StrEnum):
    WORKING_DAYS = "working_days"  # ngày làm việc
    CALENDAR_DAYS = "calendar_days"  # ngày
    WORKING_HOURS = "working_hours"  # giờ (portal practice counts office hours)
    MONTHS = "months"  # tháng
    WITHIN_DAY = "within_day"  # trong ngày
    UNSPECIFIED = "unspecified"  # không quy định
    UNKNOWN_UNIT = "unknown_unit"  # a bare number: the unit is not stated

    @property
    def has_amount(self) -> bool:
        return self not in (TimeUnit.WITHIN_DAY, TimeUnit.UNSPECIFIED)

    @property
    def label_vi(self) -> str:
        return _LABELS[self]


_LABELS = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.MONTHS: "tháng",
    TimeUnit.WITHIN_DAY: "trong ngày",
    TimeUnit.UNSPECIFIED: "không quy định",
    TimeUnit.UNKNOWN_UNIT: "(không rõ đơn vị)",
}


@attrs.frozen(slots=True)
class ProcessingTime:
    """A processing time: ``amount`` of ``unit``, with the text it was read from (``""`` when built in code).

    ``amount`` is ``None`` exactly for :attr:`TimeUnit.WITHIN_DAY` and :attr:`TimeUnit.UNSPECIFIED`.
    """

    unit: TimeUnit
    amount: int | None = None
    text: str = attrs.field(default="", eq=False)

    def __attrs_post_init__(self) -> None:
        if self.unit.has_amount:
            if not isinstance(self.amount, int) or isinstance(self.amount, bool) or self.amount < 0:
                raise InvalidValueError("processing_time.amount", "a whole number >= 0", self.amount)
        elif self.amount is not None:
            raise InvalidValueError("processing_time.amount", f"no amount for unit {self.unit.value}", self.amount)

    @classmethod
    def working_days(cls, n: int) -> ProcessingTime:
        return cls(TimeUnit.WORKING_DAYS, n)

    @classmethod
    def calendar_days(cls, n: int) -> ProcessingTime:
        return cls(TimeUnit.CALENDAR_DAYS, n)

    @classmethod
    def working_hours(cls, n: int) -> ProcessingTime:
        return cls(TimeUnit.WORKING_HOURS, n)

    @classmethod
    def months(cls, n: int) -> ProcessingTime:
        return cls(TimeUnit.MONTHS, n)

    @classmethod
    def within_day(cls) -> ProcessingTime:
        return cls(TimeUnit.WITHIN_DAY)

    @classmethod
    def unspecified(cls) -> ProcessingTime:
        return cls(TimeUnit.UNSPECIFIED)

    @classmethod
    def parse(cls, text: str) -> ProcessingTime:
        """Parse a processing time as the portal writes it (``30 Ngày làm việc``, ``15 Ngày``, ``01 Giờ``,
        ``Trong ngày``, ``Không quy định``, a bare number).

        Raises:
            ParseError: the text is not a processing time this parser understands; the text is kept in the error.
        """
        if not isinstance(text, str):
            raise ParseError("processing_time", "text such as '30 Ngày làm việc'", text)
        folded = fold(text)
        if not folded:
            raise ParseError("processing_time", "text such as '30 Ngày làm việc'", text)
        if folded.startswith("khong quy dinh"):
            return cls(TimeUnit.UNSPECIFIED, None, text)
        if folded.startswith(("trong ngay", "ngay lam viec trong ngay")):
            return cls(TimeUnit.WITHIN_DAY, None, text)
        m = _LEADING.match(folded)
        if m:
            amount = int(m.group(1))
            rest = m.group(2).strip()
            if not rest:
                return cls(TimeUnit.UNKNOWN_UNIT, amount, text)
            for prefix, unit in _UNIT_WORDS:
                if rest.startswith(prefix):
                    return cls(unit, amount, text)
        raise ParseError(
            "processing_time",
            "'<n> Ngày làm việc' | '<n> Ngày' | '<n> Giờ' | '<n> Tháng' | 'Trong ngày' | 'Không quy định' | '<n>'",
            text,
        )

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """As a pydantic field: ``{"unit": "working_days", "amount": 30, "text": "30 Ngày làm việc"}`` in JSON."""
        from_dict = core_schema.no_info_after_validator_function(
            lambda d: cls(TimeUnit(d["unit"]), d.get("amount"), d.get("text", "")),
            core_schema.typed_dict_schema(
                {
                    "unit": core_schema.typed_dict_field(core_schema.str_schema()),
                    "amount": core_schema.typed_dict_field(
                        core_schema.nullable_schema(core_schema.int_schema()), required=False
                    ),
                    "text": core_schema.typed_dict_field(core_schema.str_schema(), required=False),
                }
            ),
        )
        return core_schema.json_or_python_schema(
            json_schema=from_dict,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_dict]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda p: {"unit": p.unit.value, "amount": p.amount, "text": p.text}
            ),
        )

    def __str__(self) -> str:
        if self.amount is None:
            return self.unit.label_vi
        return f"{self.amount} {self.unit.label_vi}"


_LEADING = re.compile(r"^(\d+)\s*(.*)$")
# order matters: the longest phrase first
_UNIT_WORDS: tuple[tuple[str, TimeUnit], ...] = (
    ("ngay lam viec", TimeUnit.WORKING_DAYS),
    ("ngay", TimeUnit.CALENDAR_DAYS),
    ("gio lam viec", TimeUnit.WORKING_HOURS),
    ("gio", TimeUnit.WORKING_HOURS),
    ("thang", TimeUnit.MONTHS),
)
