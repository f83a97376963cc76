"""Channels (cách thức thực hiện), postal service options and online service levels.

References:
    * NĐ 61/2018/NĐ-CP Điều 16 (and NĐ 118/2025): dossiers are filed at the one-stop desk, through the public postal
      service (BCCI) or online.
    * QĐ 45/2016/QĐ-TTg Điều 5: BCCI is opt-in with three options — send the dossier, receive the result, or both.
    * NĐ 43/2011/NĐ-CP Điều 3.4: online service levels 1–4; NĐ 42/2022/NĐ-CP: full (toàn trình) / partial (một phần).
    * Portal sync codes: ``KenhThucHien`` 1 direct, 2 online, 3 postal.
"""

from __future__ import annotations

from datetime import date

import attrs

from tthc.errors import InvalidValueError
from tthc.foundation.data_files import load_json
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.text import fold

__all__ = ["Channel", "LevelMapping", "OnlineLevel", "PostalService", "map_online_level", "online_level_regime"]


class Channel(TthcStrEnum):
    """How a dossier is filed (or a result returned): at the desk, online, or by the public postal service."""

    DIRECT = "direct"
    ONLINE = "online"
    POSTAL = "postal"

    @property
    def label_vi(self) -> str:
        return _CHANNEL_LABELS[self]

    @property
    def portal_code(self) -> int:
        """The national portal's sync code (``KenhThucHien``): 1 direct, 2 online, 3 postal."""
        return _CHANNEL_PORTAL_CODES[self]

    @classmethod
    def parse(cls, value: object) -> Channel:
        """Read a channel from its code name, its portal sync code (1/2/3) or its Vietnamese label.

        Raises:
            InvalidValueError: the value names no channel.
        """
        if isinstance(value, Channel):
            return value
        by_code: Channel | None = cls._by_code(value, _CHANNEL_PORTAL_CODES)
        if by_code is not None:
            return by_code
        if isinstance(value, str):
            folded = fold(value)
            for ch in cls:
                if folded == ch.value or any(alias in folded for alias in _CHANNEL_ALIASES[ch]):
                    return ch
        raise InvalidValueError(
            "channel", N_("direct|online|postal, 1|2|3, or 'Trực tiếp'|'Trực tuyến'|'Dịch vụ bưu chính'"), value
        )


_CHANNEL_LABELS = {Channel.DIRECT: "Trực tiếp", Channel.ONLINE: "Trực tuyến", Channel.POSTAL: "Dịch vụ bưu chính"}
_CHANNEL_PORTAL_CODES = {Channel.DIRECT: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}
_CHANNEL_ALIASES = {
    Channel.DIRECT: ("truc tiep",),
    Channel.ONLINE: ("truc tuyen", "dich vu cong truc tuyen"),
    Channel.POSTAL: ("buu chinh", "bcci"),
}


class PostalService(TthcStrEnum):
    """The three BCCI options of QĐ 45/2016/QĐ-TTg Điều 5."""

    SEND = "send"  # gửi hồ sơ
    RETURN = "return"  # nhận kết quả
    BOTH = "both"

    @property
    def sends(self) -> bool:
        return self in (PostalService.SEND, PostalService.BOTH)

    @property
    def returns(self) -> bool:
        return self in (PostalService.RETURN, PostalService.BOTH)


class OnlineLevel(TthcStrEnum):
    """Online public service level, in either regime.

    NĐ 43/2011 (Điều 3.4): ``level_1`` information, ``level_2`` + forms, ``level_3`` + online submission,
    ``level_4`` + online payment and result. NĐ 42/2022: ``full`` (toàn trình) and ``partial`` (một phần).
    """

    LEVEL_1 = "level_1"
    LEVEL_2 = "level_2"
    LEVEL_3 = "level_3"
    LEVEL_4 = "level_4"
    FULL = "full"
    PARTIAL = "partial"

    @property
    def label_vi(self) -> str:
        """``mức độ 4``, ``toàn trình``: the level as the decrees name it."""
        return _LEVEL_LABELS[self]

    @property
    def regime(self) -> str:
        """``'nd43_2011'`` for levels 1–4, ``'nd42_2022'`` for full/partial."""
        return "nd42_2022" if self in (OnlineLevel.FULL, OnlineLevel.PARTIAL) else "nd43_2011"

    @property
    def allows_online_submission(self) -> bool:
        return self not in (OnlineLevel.LEVEL_1, OnlineLevel.LEVEL_2)

    @classmethod
    def parse(cls, value: object) -> OnlineLevel:
        """Read ``3``, ``'mức độ 4'``, ``'level_4'``, ``'toàn trình'``, ``'một phần'``, ``'full'``...

        Raises:
            InvalidValueError: the value names no level.
        """
        if isinstance(value, OnlineLevel):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
            return cls(f"level_{value}")
        if isinstance(value, str):
            folded = fold(value)
            if "toan trinh" in folded or folded == "full":
                return cls.FULL
            if "mot phan" in folded or folded == "partial":
                return cls.PARTIAL
            digits = [ch for ch in folded if ch in "0123456789"]  # ASCII only: int("²") fails
            if len(digits) == 1 and 1 <= int(digits[0]) <= 4:
                return cls(f"level_{digits[0]}")
        raise InvalidValueError("online_level", N_("1-4, 'mức độ 1'..'mức độ 4', 'toàn trình' or 'một phần'"), value)


_LEVEL_LABELS = {
    OnlineLevel.LEVEL_1: "mức độ 1",
    OnlineLevel.LEVEL_2: "mức độ 2",
    OnlineLevel.LEVEL_3: "mức độ 3",
    OnlineLevel.LEVEL_4: "mức độ 4",
    OnlineLevel.FULL: "toàn trình",
    OnlineLevel.PARTIAL: "một phần",
}


@attrs.frozen(slots=True)
class LevelMapping:
    """The result of mapping an online level to another regime, with the rule that was applied."""

    source: OnlineLevel
    level: OnlineLevel | None  # None: not an online service in the target regime
    rule: str
    reference: str
    official: bool  # False where no official table exists and the mapping is this library's documented default

    def __repr__(self) -> str:
        target = self.level.value if self.level else "none"
        return f"<level mapping {self.source.value} -> {target} ({self.rule}; {self.reference})>"


def online_level_regime(on: date) -> str:
    """The online-level regime in force on ``on``: ``'nd43_2011'`` before NĐ 42/2022 took effect, else ``'nd42_2022'``.

    The switch date is data (``online_levels.json``).
    """
    return "nd42_2022" if on >= _regimes().nd42_from else "nd43_2011"


def map_online_level(level: OnlineLevel) -> LevelMapping:
    """Map a NĐ 43/2011 level to the NĐ 42/2022 regime (levels in the new regime map to themselves).

    No official conversion table was found (domain.md, [open]); the bundled default — 4 → full, 3 → partial,
    1–2 → not an online service — is data in ``online_levels.json`` and the result says it is not official.
    """
    level = OnlineLevel.parse(level)
    table = _regimes()
    if level.regime == "nd42_2022":
        return LevelMapping(level, level, "already in the NĐ 42/2022 regime", table.reference, True)
    target = table.mapping[level.value]
    return LevelMapping(
        level,
        OnlineLevel(target) if target else None,
        f"{level.value} -> {target or 'none'} (library default mapping)",
        table.reference,
        False,
    )


@attrs.frozen(slots=True)
class _Regimes:
    nd42_from: date
    mapping: dict[str, str | None]
    reference: str


_REGIMES: _Regimes | None = None


def _regimes() -> _Regimes:
    global _REGIMES
    if _REGIMES is None:
        raw = load_json("online_levels.json")
        _REGIMES = _Regimes(
            nd42_from=date.fromisoformat(raw["nd42_2022"]["valid_from"]),
            mapping=dict(raw["mapping_nd43_to_nd42"]["mapping"]),
            reference=raw["mapping_nd43_to_nd42"]["reference"],
        )
    return _REGIMES
