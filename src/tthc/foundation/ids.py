"""Identifiers: procedure, agency and dossier codes, and UPU S10 postal tracking numbers.

Each identifier is an immutable ``str`` subclass: it compares, hashes and serialises as the plain code, validates on
construction (raising :class:`tthc.InvalidCodeError`, a ``ValueError``) and works as a pydantic field type.

References:
    * Procedure codes: national TTHC database (Cơ sở dữ liệu quốc gia về TTHC), as published on the National
      Public Service Portal — ``d.dddddd``, local instances append the agency id.
    * Agency codes: QCVN 102:2016/BTTTT — ``V1V2V3.Z1Z2.Y1Y2.MX1X2``.
    * Dossier codes: TT 01/2018/TT-VPCP, Điều 19 — ``<agency id>-YYMMDD-NNNN``.
    * Tracking numbers: UPU S10 — 2 letters, 8-digit serial, check digit, 2-letter country.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

from tthc.errors import InvalidCodeError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import core_schema

__all__ = ["AgencyCode", "DossierCode", "DossierCodeForm", "ProcedureCode", "TrackingNumber"]


class _Code(str):
    """Base of the code types: a validated, immutable string."""

    __slots__ = ()
    _field: ClassVar[str] = "code"
    _expected: ClassVar[str] = ""

    def __new__(cls, value: object) -> Self:
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise InvalidCodeError(cls._field, words(N_("a string {form}"), form=words(cls._expected)), value)
        stripped = value.strip()
        if not stripped.isascii():
            # one rule for every code (docs/catalog.md): ASCII only, never normalised — '１.０００１７８' is not
            # '1.000178' read differently, it is refused, so two spellings never make two codes
            i, ch = next((i, ch) for i, ch in enumerate(stripped) if not ch.isascii())
            raise InvalidCodeError(
                cls._field,
                cls._expected,
                value,
                detail=words(
                    N_(
                        "non-ASCII character {character} (U+{hex}) at position {position}: codes use the ASCII digits "
                        "0-9 and letters A-Z"
                    ),
                    character=repr(ch),
                    hex=f"{ord(ch):04X}",
                    position=i + 1,
                ),
            )
        text = cls._normalise(stripped)
        cls._check(text, value)
        return super().__new__(cls, text)

    @classmethod
    def _normalise(cls, value: str) -> str:
        return value.strip()

    @classmethod
    def _check(cls, text: str, given: str) -> None:
        """Raise :class:`InvalidCodeError` unless ``text`` has this code's form (each code type overrides this)."""
        raise InvalidCodeError(cls._field, cls._expected or N_("a concrete code type"), given)

    @classmethod
    def is_valid(cls, value: object) -> bool:
        """Return whether ``value`` is a valid code of this kind (never raises)."""
        try:
            cls(value)
        except InvalidCodeError:
            return False
        return True

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        from pydantic_core import core_schema  # here: a process that validates nothing never loads pydantic

        return core_schema.no_info_after_validator_function(
            cls,
            core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


_AGENCY = r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[HK][0-9]{2}"
_AGENCY_RE = re.compile(rf"^{_AGENCY}$")


class AgencyCode(_Code):
    """An agency id per QCVN 102:2016/BTTTT, e.g. ``000.00.00.H49`` (Quảng Ninh provincial People's Committee).

    ``M`` is ``H`` (People's Committee) or ``K`` (People's Council); ``X1X2`` are two digits.
    """

    __slots__ = ()
    _field = "agency_code"
    _expected = N_("'ddd.dd.dd.Hdd' (QCVN 102:2016, e.g. '000.00.00.H49')")

    @classmethod
    def _normalise(cls, value: str) -> str:
        return value.strip().upper()

    @classmethod
    def _check(cls, text: str, given: str) -> None:
        if not _AGENCY_RE.match(text):
            raise InvalidCodeError(cls._field, cls._expected, given)

    @property
    def province(self) -> str:
        """The level-1 code (``H49``): the province or central body."""
        return self[-3:]

    @property
    def levels(self) -> tuple[str, str, str, str]:
        """The four dot-separated parts, lowest level first (``('000', '00', '00', 'H49')``)."""
        a, b, c, d = self.split(".")
        return (a, b, c, d)


_NATIONAL_RE = re.compile(r"^[0-9]\.[0-9]{6}$")
_LOCAL_RE = re.compile(rf"^([0-9]\.[0-9]{{6}})\.((?:{_AGENCY})|[HK][0-9]{{2}})$")


class ProcedureCode(_Code):
    """A procedure code: national ``d.dddddd`` (``1.000178``) or a local instance with an agency suffix
    (``1.001612.000.00.00.H48`` or short ``1.000948.H38``).

    The leading digit does not encode the implementing level.
    """

    __slots__ = ()
    _field = "procedure_code"
    _expected = N_("'d.dddddd' (e.g. '1.000178') optionally followed by an agency id ('.000.00.00.H48' or '.H38')")

    @classmethod
    def _normalise(cls, value: str) -> str:
        return value.strip().upper()

    @classmethod
    def _check(cls, text: str, given: str) -> None:
        if not (_NATIONAL_RE.match(text) or _LOCAL_RE.match(text)):
            raise InvalidCodeError(cls._field, cls._expected, given)

    @property
    def national(self) -> ProcedureCode:
        """The national code without the agency suffix."""
        return self if len(self) == 8 else ProcedureCode(self[:8])

    @property
    def agency(self) -> str | None:
        """The agency suffix of a local instance (``'000.00.00.H48'`` or ``'H38'``), else ``None``."""
        return self[9:] if len(self) > 8 else None

    @property
    def agency_code(self) -> AgencyCode | None:
        """The suffix as an :class:`AgencyCode` when it has the full QCVN 102 form, else ``None``."""
        suffix = self.agency
        return AgencyCode(suffix) if suffix is not None and _AGENCY_RE.match(suffix) else None

    @property
    def is_local(self) -> bool:
        return len(self) > 8


DossierCodeForm = Literal["canonical", "short", "numeric"]

_DOSSIER_CANONICAL_RE = re.compile(rf"^({_AGENCY})-([0-9]{{6}})-([0-9]{{4}})$")
_DOSSIER_SHORT_RE = re.compile(r"^([HK][0-9]{2}(?:\.[0-9]{1,3}){0,3})-([0-9]{6})-([0-9]{4,6})$")
_DOSSIER_NUMERIC_RE = re.compile(r"^[0-9]{10,20}$")


class DossierCode(_Code):
    """A dossier code (mã hồ sơ).

    Accepted forms (:attr:`form`):

    * ``canonical`` — TT 01/2018/TT-VPCP Điều 19: ``<agency id>-YYMMDD-NNNN``, e.g. ``000.00.53.H48-220921-0099``;
    * ``short`` — legacy systems with a short agency id, e.g. ``H21.65-220914-0011``;
    * ``numeric`` — purely numeric codes of some systems, e.g. ``00352112000539`` (no date can be read from them).

    The receipt date inside the canonical and short forms must be a real date.
    """

    __slots__ = ()
    _field = "dossier_code"
    _expected = N_(
        "'<agency id>-YYMMDD-NNNN' (TT 01/2018 Điều 19, e.g. '000.00.53.H48-220921-0099'), "
        "a short legacy form ('H21.65-220914-0011') or 10-20 digits"
    )

    @classmethod
    def _normalise(cls, value: str) -> str:
        return value.strip().upper()

    @classmethod
    def _check(cls, text: str, given: str) -> None:
        m = _DOSSIER_CANONICAL_RE.match(text) or _DOSSIER_SHORT_RE.match(text)
        if m:
            _yymmdd(m.group(2), given)
        elif not _DOSSIER_NUMERIC_RE.match(text):
            raise InvalidCodeError(cls._field, cls._expected, given)

    @property
    def form(self) -> DossierCodeForm:
        if _DOSSIER_CANONICAL_RE.match(self):
            return "canonical"
        if _DOSSIER_SHORT_RE.match(self):
            return "short"
        return "numeric"

    @property
    def agency(self) -> str | None:
        """The agency part (``'000.00.53.H48'`` or ``'H21.65'``); ``None`` for the numeric form."""
        return None if self.form == "numeric" else self.split("-")[0]

    @property
    def received_on(self) -> date | None:
        """The receipt date encoded in the code; ``None`` for the numeric form."""
        return None if self.form == "numeric" else _yymmdd(self.split("-")[1], str(self))

    @property
    def sequence(self) -> int | None:
        """The sequence number within the receipt day; ``None`` for the numeric form."""
        return None if self.form == "numeric" else int(self.split("-")[2])


def _yymmdd(text: str, given: str) -> date:
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise InvalidCodeError(
            "dossier_code",
            N_("a real receipt date YYMMDD inside the code"),
            given,
            detail=words(N_("{text} is not a date"), text=repr(text)),
        ) from None


_S10_RE = re.compile(r"^([A-Z]{2})([0-9]{8})([0-9])([A-Z]{2})$")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def _s10_check_digit(serial: str) -> int:
    c = 11 - sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True)) % 11
    return 0 if c == 10 else 5 if c == 11 else c


class TrackingNumber(_Code):
    """A UPU S10 postal item id, e.g. ``EB123456785VN``: 2 service letters, 8-digit serial, check digit, country.

    Check digit (UPU S10): weights 8 6 4 2 3 5 9 7 over the serial; ``C = 11 - (S mod 11)``; 10 → 0, 11 → 5.
    """

    __slots__ = ()
    _field = "tracking_number"
    _expected = N_("a UPU S10 id: 2 letters, 8 digits, check digit, 2-letter country (e.g. 'EB123456785VN')")

    @classmethod
    def _normalise(cls, value: str) -> str:
        return value.strip().upper().replace(" ", "")

    @classmethod
    def _check(cls, text: str, given: str) -> None:
        m = _S10_RE.match(text)
        if not m:
            raise InvalidCodeError(cls._field, cls._expected, given)
        want = _s10_check_digit(m.group(2))
        if int(m.group(3)) != want:
            raise InvalidCodeError(
                cls._field,
                words(N_("check digit {digit} for serial {serial} (UPU S10)"), digit=want, serial=m.group(2)),
                given,
                detail=N_("wrong check digit"),
            )

    @classmethod
    def build(cls, service: str, serial: int | str, country: str = "VN") -> TrackingNumber:
        """Make a valid tracking number from its parts, computing the check digit."""
        digits = f"{int(serial):08d}" if isinstance(serial, int) else serial
        if not (isinstance(digits, str) and len(digits) == 8 and digits.isascii() and digits.isdigit()):
            raise InvalidCodeError("serial", N_("8 digits"), serial)
        return cls(f"{service}{digits}{_s10_check_digit(digits)}{country}")

    @property
    def service_indicator(self) -> str:
        return self[:2]

    @property
    def serial(self) -> str:
        return self[2:10]

    @property
    def check_digit(self) -> int:
        return int(self[10])

    @property
    def country(self) -> str:
        return self[11:]
