"""Processing time (thời hạn giải quyết): an amount and a unit, parsed from the portal's free text.

Units (domain.md §3): working days (``Ngày làm việc``), calendar days (``Ngày``), working hours (``Giờ``),
months (``Tháng``), within the day (``Trong ngày``), unspecified (``Không quy định``). A bare number has an
**unknown unit**: it is kept as such, never guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import attrs

from tthc.errors import InvalidValueError, ParseError
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.text import fold
from tthc.foundation.words import words

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import core_schema

__all__ = ["MAX_AMOUNT", "ProcessingTime", "TimeUnit"]

MAX_AMOUNT = 999_999
"""The largest amount of a processing time (a million working days is beyond any calendar; larger figures in a
portal text are typing errors, and they would overflow the 64-bit batch path)."""


class TimeUnit(TthcStrEnum):
    """The unit of a processing time (thời hạn giải quyết), as the portal states it."""

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


def _as_unit(value: object) -> TimeUnit:
    if isinstance(value, TimeUnit):
        return value
    if isinstance(value, str):
        try:
            return TimeUnit(value)
        except ValueError:
            pass
    raise InvalidValueError(
        "processing_time.unit", words(N_("one of {choices}"), choices=", ".join(u.value for u in TimeUnit)), value
    )


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

    unit: TimeUnit = attrs.field(converter=_as_unit)
    amount: int | None = None
    text: str = attrs.field(default="", eq=False)

    def __attrs_post_init__(self) -> None:
        if self.unit.has_amount:
            if not isinstance(self.amount, int) or isinstance(self.amount, bool) or not 0 <= self.amount <= MAX_AMOUNT:
                raise InvalidValueError(
                    "processing_time.amount", words(N_("a whole number in 0..{most}"), most=MAX_AMOUNT), self.amount
                )
        elif self.amount is not None:
            raise InvalidValueError(
                "processing_time.amount", words(N_("no amount for unit {unit}"), unit=self.unit.value), self.amount
            )
        if not isinstance(self.text, str):
            raise InvalidValueError("processing_time.text", N_("the text it was read from (a str)"), self.text)

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
        """Parse a processing time as the portal writes it.

        Accepted forms (case and accents are not significant; ``text`` keeps the original):

        * ``30 Ngày làm việc`` → working days; ``15 Ngày`` → calendar days; ``01 Giờ`` / ``04 Giờ làm việc`` →
          working hours; ``03 Tháng`` → months;
        * ``ngày`` then ``làm việc`` (or ``lv``) with only punctuation, brackets or nothing between them —
          ``5 ngày (làm việc)``, ``5 ngày-làm việc``, ``5 ngày, làm việc``, ``5 ngày làmviệc`` — → working days;
          invisible format characters (zero-width space, soft hyphen, …) are dropped first (:func:`fold`);
        * ``2 Tuần`` → 14 calendar days and ``01 Năm`` → 12 months (Bộ luật Dân sự 2015, Điều 145.1: a week is seven
          days, a year twelve months);
        * ``Trong ngày``, ``Trong ngày làm việc``, ``Ngay trong ngày`` → within the day;
        * ``Không quy định`` → unspecified; ``Không phải trả kết quả ...`` (no result is returned, so no time limit
          applies) → unspecified;
        * prose with a leading figure, optionally after ``Không quá`` / ``Tối đa`` / ``Trong`` / ``Trong vòng`` /
          ``Trong thời hạn`` / ``Chậm nhất``: ``05 ngày làm việc kể từ ngày nhận đủ hồ sơ`` → 5 working days (the
          prose after the unit is not read, a second figure in it included: ``15 ngày (20 ngày đối với hồ sơ phức
          tạp)`` → 15 calendar days);
        * a bare number (``20``) → :attr:`TimeUnit.UNKNOWN_UNIT`: the unit is not stated and is never guessed.

        Raises:
            ParseError: anything else — prose without a leading figure, a range (``10-25``), a fraction
                (``0.5 Giờ``), a second amount right after the unit (a compound ``1 ngày 4 giờ``, or alternatives
                ``5 ngày hoặc 7 ngày``, ``5 ngày; 7 ngày``, ``5 ngày làm việc/ 7 ngày``), an amount above
                :data:`MAX_AMOUNT` once converted (``999999 năm``); the text is kept in the error (``.given``) and
                ``.detail`` says why.
        """
        if not isinstance(text, str):
            raise ParseError("processing_time", N_("text such as '30 Ngày làm việc'"), text)
        if cls is ProcessingTime:
            return _parse_cached(text)
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> ProcessingTime:
        if _NEGATIVE.match(text):
            raise ParseError("processing_time", _EXPECTED, text, detail=N_("a negative amount"))
        folded = fold(text).strip(" .;:-")
        if not folded:
            raise ParseError("processing_time", N_("text such as '30 Ngày làm việc'"), text, detail=N_("empty"))
        if folded.startswith(_UNSPECIFIED_PHRASES):
            return cls(TimeUnit.UNSPECIFIED, None, text)
        if _WITHIN_DAY.match(folded):
            return cls(TimeUnit.WITHIN_DAY, None, text)
        body = _PREFIX.sub("", folded, count=1)
        m = _LEADING.match(body)
        if m is None:
            raise ParseError("processing_time", _EXPECTED, text, detail=N_("no leading figure"))
        number, rest = m.group(1), m.group(2).strip()
        if not number.isdigit():
            raise ParseError(
                "processing_time",
                _EXPECTED,
                text,
                detail=words(N_("the amount {amount} is not a whole number"), amount=repr(number)),
            )
        if len(number.lstrip("0")) > len(str(MAX_AMOUNT)):
            raise ParseError(
                "processing_time", _EXPECTED, text, detail=words(N_("an amount above {maximum}"), maximum=MAX_AMOUNT)
            )
        if _RANGE.match(rest):
            raise ParseError("processing_time", _EXPECTED, text, detail=N_("a range, not one amount"))
        amount = int(number)
        if not rest or rest == _UNKNOWN_LABEL:
            if body != folded:
                raise ParseError(
                    "processing_time", _EXPECTED, text, detail=N_("a figure without a unit after a phrase")
                )
            return cls(TimeUnit.UNKNOWN_UNIT, amount, text)
        if _CLOCK_TIME.match(rest):
            raise ParseError("processing_time", _EXPECTED, text, detail=N_("a time of day, not a duration"))
        unit, factor, end = _unit_word(rest, text)
        more = _MORE.match(rest[end:].strip())
        if more is not None:
            # "5 giờ 30 phút", "1 ngày 4 giờ", "1 ngày rưỡi", "5 ngày hoặc 7 ngày": reading the first figure alone
            # would truncate, or pick one of two alternatives
            raise ParseError("processing_time", _EXPECTED, text, detail=_MORE_DETAIL[more.lastgroup or ""])
        if amount * factor > MAX_AMOUNT:
            # "999999 năm" is within the figure's limit but not once converted (12 months a year): the error quotes
            # the text and the limit in the unit typed, never the converted amount
            raise ParseError(
                "processing_time",
                _EXPECTED,
                text,
                detail=words(N_("an amount above {most} {unit}"), most=MAX_AMOUNT // factor, unit=_WORD_SHOWN[factor]),
            )
        return cls(unit, amount * factor, text)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """As a pydantic field: ``{"unit": "working_days", "amount": 30, "text": "30 Ngày làm việc"}`` in JSON."""
        from pydantic_core import core_schema  # here: a process that validates nothing never loads pydantic

        from_dict = core_schema.no_info_after_validator_function(
            lambda d: cls(TimeUnit(d["unit"]), d.get("amount"), d.get("text", "")),
            core_schema.typed_dict_schema(
                {
                    "unit": core_schema.typed_dict_field(core_schema.literal_schema([u.value for u in TimeUnit])),
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

    def min_days(self) -> int:
        """The fewest calendar days this time can span (0 for within the day, unspecified or an unknown unit): a
        time longer than a compiled calendar cannot be counted on it, whatever the receipt date."""
        amount = self.amount or 0
        if self.unit is TimeUnit.WORKING_DAYS or self.unit is TimeUnit.CALENDAR_DAYS:
            return amount
        if self.unit is TimeUnit.MONTHS:
            return 28 * amount
        if self.unit is TimeUnit.WORKING_HOURS:
            return amount // 24
        return 0

    def __str__(self) -> str:
        if self.amount is None:
            return self.unit.label_vi
        return f"{self.amount} {self.unit.label_vi}"


# A catalog repeats a few hundred distinct texts over thousands of procedures, and a portal passes the same text on
# every slip: each text is parsed once. The values are immutable; a text that does not parse raises every time.
_parse_cached = lru_cache(maxsize=4096)(ProcessingTime._parse)

_EXPECTED = N_("'<n> Ngày làm việc' | '<n> Ngày' | '<n> Giờ' | '<n> Tháng' | 'Trong ngày' | 'Không quy định' | '<n>'")
# figures are ASCII digits (the identifier rule, docs/catalog.md): '３０ Ngày' or '٣٠ ngày' has no leading figure
_LEADING = re.compile(r"^([0-9]+(?:[.,][0-9]+)?)\s*(.*)$", re.ASCII)
# a minus sign or a dash before the figure ("-5 Ngày làm việc", "− 5 ngày"): refused rather than read as +5 (a dash
# might be a list bullet, but a misread sign would be a wrong deadline)
_NEGATIVE = re.compile(r"^\s*[-\u2212\u2013\u2014\uff0d]\s*[0-9]")
# after the unit: a second figure (a compound duration, an alternative) or "rưỡi" (and a half)
_MORE = re.compile(
    r"^(?:(?P<alternative>(?:[,;] ?)?(?:hoac|hay) ?[0-9]|; ?[0-9]+ ?(?:phut|giay|gio|ngay|thang|tuan|nam)(?![a-z]))"
    r"|(?P<compound>(?:va |, ?|/ ?|\+ ?)?[0-9]+ ?(?:phut|giay|gio|ngay|thang|tuan|nam)(?![a-z]))"
    r"|(?P<figure>[0-9])|(?P<half>ruoi(?![a-z])))"
)
_MORE_DETAIL = {
    "alternative": N_("two alternative amounts (e.g. '5 ngày hoặc 7 ngày'): not one amount of one unit"),
    "compound": N_("a compound duration (e.g. '5 giờ 30 phút', '1 ngày 4 giờ'): not one amount of one unit"),
    "figure": N_("a second figure after the unit: not one amount of one unit"),
    "half": N_("a fraction ('rưỡi', and a half), not a whole number"),
}
_RANGE = re.compile(r"^(?:-|–|den|toi)\s*\d")
_UNKNOWN_LABEL = fold(_LABELS[TimeUnit.UNKNOWN_UNIT])
# "15 giờ cùng ngày" is 3 p.m. the same day, not fifteen hours
_CLOCK_TIME = re.compile(r"^gio(?: \d+)?(?: phut)? (?:cung ngay|ngay|sang|chieu|toi|hom)")
_UNSPECIFIED_PHRASES = ("khong quy dinh", "chua quy dinh", "khong phai tra ket qua")
# "trong ngày làm việc tiếp theo" is the NEXT working day, not within the day: left to the caller as unparsed
_WITHIN_DAY = re.compile(
    r"^(?:ngay |tra ket qua |giai quyet )?trong (?:ngay lam viec|ngay)(?!\w)(?!.*(?:tiep theo|ke tiep|hom sau|\d))"
)
# a phrase meaning "within / at most" before the leading figure; the figure is still the maximum time
_PREFIX = re.compile(
    r"^(?:khong qua|toi da|cham nhat(?: la| trong)?|trong thoi han|trong thoi gian|trong vong|trong)\s+(?=\d)"
)


def _unit_word(rest: str, text: str) -> tuple[TimeUnit, int, int]:
    """The unit that ``rest`` (the folded text after the figure) starts with: ``(unit, multiplier, where it ends)``.

    ``ngày`` followed by ``làm việc`` (or ``lv``) is working days whatever stands between them but letters and figures
    — ``5 ngày (làm việc)``, ``5 ngày-làm việc``, ``5 ngày, làm việc``, ``5 ngàylàm việc`` (an invisible character
    dropped by :func:`fold`), ``5 ngày làmviệc`` — never calendar days with the rest taken for prose.

    Raises:
        ParseError: no unit word (the text is quoted).
    """
    if rest.startswith("ngay"):
        working = _WORKING_AFTER_DAY.match(rest, len("ngay"))
        if working is not None:
            return TimeUnit.WORKING_DAYS, 1, working.end()
    for word, unit, factor in _UNIT_WORDS:
        # a two-word unit glued to the next cell ("30 Ngày làm việcLệ phí", flattened portal tables) is still
        # that unit: Vietnamese syllables do not run on, so only single words need a word boundary
        if rest.startswith(word) and (" " in word or not rest[len(word) : len(word) + 1].isalpha()):
            if word in _NO_WORKING_FORM and _WORKING_AFTER_DAY.match(rest, len(word)) is not None:
                # "2 tuần làm việc" is neither 14 calendar days (the words dropped as prose) nor a unit processing
                # times are published in (working days or hours): refused, never guessed
                said = words(_NO_WORKING_DETAIL, unit=_NO_WORKING_FORM[word])
                raise ParseError("processing_time", _EXPECTED, text, detail=said)
            return unit, factor, len(word)
    raise ParseError(
        "processing_time", _EXPECTED, text, detail=words(N_("unknown unit {unit}"), unit=repr(rest.split()[0]))
    )


# after "ngay": anything but letters and figures, then "lam viec" (spaced or not; glued to what follows, as a
# two-word unit may be) or the abbreviation "lv" (a word of its own), and the brackets closing it
_WORKING_AFTER_DAY = re.compile(r"[^a-z0-9]*(?:lam ?viec|lv(?![a-z]))[ )\]]*")
# units the law never counts in working time: "<n> tuần/tháng/năm làm việc" is refused (see _unit_word)
_NO_WORKING_FORM = {"tuan": "tuần", "thang": "tháng", "nam": "năm"}  # folded word: as written
_NO_WORKING_DETAIL = N_("'{unit} làm việc': working time is counted in working days or hours, not in this unit")
# the unit word shown in a refusal of an amount whose conversion exceeds MAX_AMOUNT, by its multiplier
_WORD_SHOWN = {12: "năm", 7: "tuần"}
# (folded word, unit, multiplier); order matters: the longest phrase first
_UNIT_WORDS: tuple[tuple[str, TimeUnit, int], ...] = (
    ("ngay lam viec", TimeUnit.WORKING_DAYS, 1),
    ("ngay", TimeUnit.CALENDAR_DAYS, 1),
    ("gio lam viec", TimeUnit.WORKING_HOURS, 1),
    ("gio", TimeUnit.WORKING_HOURS, 1),
    ("thang", TimeUnit.MONTHS, 1),
    ("tuan", TimeUnit.CALENDAR_DAYS, 7),  # BLDS 2015 Điều 145.1: một tuần là bảy ngày
    ("nam", TimeUnit.MONTHS, 12),  # BLDS 2015 Điều 145.1: một năm là mười hai tháng (for whole years)
)
