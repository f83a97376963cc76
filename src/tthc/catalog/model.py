"""The procedure model: one procedure as the national TTHC database publishes them.

Vietnamese terms (domain.md glossary): thủ tục hành chính → :class:`Procedure`; cấp thực hiện → :class:`Level`;
lĩnh vực → ``field``; cách thức thực hiện → :class:`ChannelOption`; thời hạn giải quyết → ``processing_time``;
phí / lệ phí → :class:`FeeKind`; yêu cầu, điều kiện → ``conditions``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import ParseError
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.data_value import DataValue, Described, data_value
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.ids import ProcedureCode
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.money import Money
from tthc.foundation.references import DateRange
from tthc.foundation.text import fold

__all__ = [
    "ChannelOption",
    "FeeKind",
    "FeeLine",
    "LegalBasis",
    "Level",
    "Procedure",
    "Tri",
    "parse_level",
]


class Tri(TthcStrEnum):
    """A fact that may be known true, known false, or not known (never guessed)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Level(TthcStrEnum):
    """Implementing level (cấp thực hiện). ``district`` exists only before 1 Jul 2025 (Nghị quyết 202/2025/QH15)."""

    MINISTRY = "ministry"  # Cấp bộ
    PROVINCE = "province"  # Cấp tỉnh
    DISTRICT = "district"  # Cấp huyện (historic)
    COMMUNE = "commune"  # Cấp xã
    OTHER = "other"  # Cơ quan khác


class FeeKind(TthcStrEnum):
    """Phí (a charge for a service) and lệ phí (a state fee) are distinct kinds (domain.md §5)."""

    CHARGE = "charge"  # phí
    STATE_FEE = "state_fee"  # lệ phí
    UNKNOWN = "unknown"  # the text does not say which


class _Frozen(DataValue):
    """A catalog value: frozen, validated by pydantic (unknown fields refused) without being a pydantic model."""

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid"}


@data_value
class FeeLine(_Frozen):
    """One fee of a channel option, as published.

    Exactly one reading holds: ``free`` (Miễn phí / 0 đồng), an ``amount``, a ``percentage`` of something described
    in ``note``, or nothing understood (all empty; ``text`` keeps what was published).
    """

    kind: FeeKind = FeeKind.UNKNOWN
    amount: Money | None = None
    free: bool = False
    percentage: Decimal | None = None
    text: str = ""
    note: str | None = None

    @property
    def parsed(self) -> bool:
        return self.free or self.amount is not None or self.percentage is not None


@data_value
class ChannelOption(_Frozen):
    """One row of the published channel table: a channel with its own processing time, fees and note.

    A channel may have several rows (a normal and a complex case, say); ``case`` tells them apart when known.
    ``processing_time`` is ``None`` when the published text could not be understood; ``processing_time_text``
    always keeps the original.
    """

    channel: Channel
    processing_time: ProcessingTime | None = None
    processing_time_text: str = ""
    fees: tuple[FeeLine, ...] = ()
    fee_text: str = ""
    online_level: OnlineLevel | None = None
    online_payment: Tri = Tri.UNKNOWN
    case: str | None = None
    note: str | None = None


@data_value
class LegalBasis(_Frozen):
    """One entry of căn cứ pháp lý: a document number and its title."""

    number: str | None = None
    title: str


@data_value
class Procedure(_Frozen):
    """An administrative procedure (thủ tục hành chính) as published in the national TTHC database.

    ``requires_personal_presence`` and ``authorisation_allowed`` drive postal eligibility
    (QĐ 45/2016/QĐ-TTg Điều 1.2); they are tri-state because the published text often does not say.
    """

    code: ProcedureCode
    name: str
    field: str | None = None
    decision: str | None = None  # số quyết định công bố
    levels: tuple[Level, ...] = ()
    agencies: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    channels: tuple[ChannelOption, ...] = ()
    result: str | None = None
    legal_basis: tuple[LegalBasis, ...] = ()
    conditions: str | None = None
    requires_personal_presence: Tri = Tri.UNKNOWN
    authorisation_allowed: Tri = Tri.UNKNOWN
    valid_from: IsoDay | None = None
    valid_until: Annotated[IsoDay | None, Described("inclusive")] = None
    source: str | None = None

    def __post_init__(self) -> None:  # called by pydantic when it validates
        DateRange(self.valid_from, self.valid_until)  # names valid_until when it precedes valid_from

    def options(self, channel: Channel | str | int) -> tuple[ChannelOption, ...]:
        """The published rows for ``channel`` (empty when the channel is not offered).

        ``channel`` is a :class:`Channel` or anything :meth:`Channel.parse` reads (``'postal'``, ``3``,
        ``'Dịch vụ bưu chính'``).

        Raises:
            InvalidValueError: ``channel`` names no channel.
        """
        ch = Channel.parse(channel)
        return tuple(o for o in self.channels if o.channel is ch)

    def offers(self, channel: Channel | str | int) -> bool:
        """Whether the procedure publishes at least one row for ``channel`` (as :meth:`options` reads it)."""
        ch = Channel.parse(channel)
        return any(o.channel is ch for o in self.channels)

    @property
    def channel_set(self) -> frozenset[Channel]:
        return frozenset(o.channel for o in self.channels)

    def in_force(self, on: date) -> bool:
        """Whether the procedure is in force on ``on`` (both bounds inclusive; a missing bound is open)."""
        return (self.valid_from is None or on >= self.valid_from) and (
            self.valid_until is None or on <= self.valid_until
        )


_LEVEL_WORDS: tuple[tuple[str, Level], ...] = (
    ("cap bo", Level.MINISTRY),
    ("cap trung uong", Level.MINISTRY),
    ("cap tinh", Level.PROVINCE),
    ("cap huyen", Level.DISTRICT),
    ("cap xa", Level.COMMUNE),
    ("co quan khac", Level.OTHER),
)


def parse_level(value: str | Level) -> Level:
    """One implementing level from its code name (``'province'``) or Vietnamese label (``'Cấp tỉnh'``).

    Raises:
        ParseError: the text names no level.
    """
    if isinstance(value, Level):
        return value
    if isinstance(value, str):
        folded = fold(value)
        for lv in Level:
            if folded == lv.value:
                return lv
        for words, lv in _LEVEL_WORDS:
            if folded == words or folded == words.removeprefix("cap "):
                return lv
    raise ParseError(
        "level",
        N_("ministry|province|district|commune|other or 'Cấp bộ'|'Cấp tỉnh'|'Cấp huyện'|'Cấp xã'|'Cơ quan khác'"),
        value,
    )
