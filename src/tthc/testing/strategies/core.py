"""Strategies for identifiers, processing times, money, procedures and catalogs (see :mod:`tthc.testing.strategies`).

Every strategy here builds values the library accepts by construction; the ``invalid_*`` strategies break exactly
one named rule and return ``(value, reason)``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Literal

from hypothesis import strategies as st

from tthc.catalog.collection import Catalog
from tthc.catalog.model import ChannelOption, FeeKind, FeeLine, Level, Procedure, Tri
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import InvalidValueError
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.i18n import N_
from tthc.foundation.ids import AgencyCode, DossierCode, DossierCodeForm, ProcedureCode, TrackingNumber
from tthc.foundation.money import CURRENCY_EXPONENTS, Money
from tthc.foundation.words import words

__all__ = [
    "KNOWN_PROVINCES",
    "ProcedureCodeForm",
    "agency_codes",
    "catalogs",
    "channel_options",
    "dossier_codes",
    "fee_lines",
    "invalid_agency_codes",
    "invalid_dossier_codes",
    "invalid_procedure_codes",
    "invalid_processing_times",
    "invalid_tracking_numbers",
    "money",
    "procedure_codes",
    "procedures",
    "processing_times",
    "province_codes",
    "sample_procedures",
    "tracking_numbers",
    "validity_windows",
]

KNOWN_PROVINCES: tuple[str, ...] = ("H21", "H29", "H38", "H48", "H49", "H54", "H57")
"""Level-1 agency codes named in the domain notes (Gia Lai, Hồ Chí Minh City, Lào Cai, Quảng Ngãi, Quảng Ninh,
Thái Bình, Huế); generated codes favour them but also use any ``[HK]dd``."""

ProcedureCodeForm = Literal["national", "local", "local_short"]
"""``national`` ``1.000178``; ``local`` ``1.001612.000.00.00.H48``; ``local_short`` ``1.000948.H38``."""

_DIGITS = "0123456789"
_YY_FIRST = 2000  # a two-digit year YY in a dossier code is read as 20YY


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(_DIGITS, min_size=n, max_size=n)


# ---------------------------------------------------------------------------------------------------- identifiers


def province_codes(*, known_only: bool = False) -> st.SearchStrategy[str]:
    """Level-1 codes (``H48``): mostly the provinces named in the domain notes, sometimes any ``[HK]dd``."""
    known = st.sampled_from(KNOWN_PROVINCES)
    if known_only:
        return known
    anything = st.builds(lambda m, d: m + d, st.sampled_from("HK"), _digits(2))
    return st.one_of(known, anything)


def agency_codes(*, provinces: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[AgencyCode]:
    """Agency ids in the QCVN 102:2016 form ``ddd.dd.dd.Hdd`` (``000.00.00.H49`` is the provincial committee)."""
    prov = provinces if provinces is not None else province_codes()
    levels = st.one_of(
        st.just(("000", "00", "00")),  # the provincial People's Committee itself
        st.tuples(st.just("000"), st.just("00"), _digits(2)),  # a department
        st.tuples(_digits(3), _digits(2), _digits(2)),
    )
    return st.builds(lambda lv, p: AgencyCode(f"{lv[0]}.{lv[1]}.{lv[2]}.{p}"), levels, prov)


def _national_codes() -> st.SearchStrategy[str]:
    return st.builds(lambda a, b: f"{a}.{b}", st.sampled_from("12"), _digits(6))


def procedure_codes(
    *,
    forms: Collection[ProcedureCodeForm] = ("national", "local", "local_short"),
    agencies: st.SearchStrategy[AgencyCode] | None = None,
) -> st.SearchStrategy[ProcedureCode]:
    """Procedure codes: national ``d.dddddd`` and local instances with an agency suffix (full or short).

    Args:
        forms: which forms to generate (see :data:`ProcedureCodeForm`).
        agencies: agency ids for the local forms (default :func:`agency_codes`).
    """
    if not forms:
        raise InvalidValueError("forms", N_("at least one of national, local, local_short"), forms)
    ag = agencies if agencies is not None else agency_codes()
    choices: list[st.SearchStrategy[ProcedureCode]] = []
    if "national" in forms:
        choices.append(_national_codes().map(ProcedureCode))
    if "local" in forms:
        choices.append(st.builds(lambda n, a: ProcedureCode(f"{n}.{a}"), _national_codes(), ag))
    if "local_short" in forms:
        choices.append(st.builds(lambda n, a: ProcedureCode(f"{n}.{a.province}"), _national_codes(), ag))
    return st.one_of(choices)


def dossier_codes(
    *,
    forms: Collection[DossierCodeForm] = ("canonical", "short", "numeric"),
    agencies: st.SearchStrategy[AgencyCode] | None = None,
    received_on: st.SearchStrategy[date] | None = None,
    sequences: st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[DossierCode]:
    """Dossier codes: canonical ``<agency id>-YYMMDD-NNNN`` (TT 01/2018/TT-VPCP Điều 19), the short legacy form
    (``H21.65-220914-0011``) and the purely numeric form.

    Args:
        forms: which forms to generate.
        agencies: agency ids of the canonical form (the short form uses their province).
        received_on: receipt dates written into the code (default 2000-01-01 .. 2099-12-31, the ``YY`` range).
        sequences: sequence numbers within the day (default 1..9999).
    """
    if not forms:
        raise InvalidValueError("forms", N_("at least one of canonical, short, numeric"), forms)
    ag = agencies if agencies is not None else agency_codes()
    days = received_on if received_on is not None else st.dates(date(_YY_FIRST, 1, 1), date(_YY_FIRST + 99, 12, 31))
    seqs = sequences if sequences is not None else st.integers(1, 9999)
    choices: list[st.SearchStrategy[DossierCode]] = []
    if "canonical" in forms:
        choices.append(st.builds(lambda a, d, s: DossierCode(f"{a}-{d:%y%m%d}-{s:04d}"), ag, days, seqs))
    if "short" in forms:
        short_agency = st.builds(
            lambda a, parts: ".".join((a.province, *parts)), ag, st.lists(_digits(2), min_size=0, max_size=2)
        )
        choices.append(st.builds(lambda a, d, s: DossierCode(f"{a}-{d:%y%m%d}-{s:04d}"), short_agency, days, seqs))
    if "numeric" in forms:
        choices.append(st.integers(10, 20).flatmap(_digits).map(DossierCode))
    return st.one_of(choices)


def tracking_numbers(
    *,
    services: st.SearchStrategy[str] | None = None,
    serials: st.SearchStrategy[int] | None = None,
    country: str = "VN",
) -> st.SearchStrategy[TrackingNumber]:
    """UPU S10 item ids with a correct check digit (``EB123456785VN``).

    Args:
        services: two-letter service indicators (default ``E?``/``R?``/``C?`` as Vietnam Post uses, or any two).
        serials: 8-digit serials as integers 0..99,999,999.
        country: the country code.
    """
    svc = (
        services
        if services is not None
        else st.one_of(
            st.builds(lambda a, b: a + b, st.sampled_from("ERC"), st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
            st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
        )
    )
    ser = serials if serials is not None else st.integers(0, 99_999_999)
    return st.builds(lambda s, n: TrackingNumber.build(s, n, country), svc, ser)


# ---------------------------------------------------------------------------------------------------- invalid ids
# Each returns (value, reason); the reason names the one rule that is broken.


def invalid_procedure_codes() -> st.SearchStrategy[tuple[str, str]]:
    """Strings that are not procedure codes, each breaking one rule.

    Reasons: ``national_digits`` (not ``d.dddddd``), ``agency_suffix`` (a suffix that is no agency id),
    ``separator`` (no dot after the leading digit).
    """
    return st.one_of(
        st.builds(lambda n, k: (f"1.{n[:k]}", "national_digits"), _digits(6), st.integers(0, 5)),
        st.builds(lambda n: (f"1.{n}0", "national_digits"), _digits(6)),
        st.builds(
            lambda n, s: (f"{n}.{s}", "agency_suffix"), _national_codes(), st.sampled_from(["X48", "H4", "00.H48"])
        ),
        st.builds(lambda n: (f"1{n}", "separator"), _digits(6)),
    )


def invalid_agency_codes() -> st.SearchStrategy[tuple[str, str]]:
    """Strings that are not QCVN 102:2016 agency ids. Reasons: ``level_letter`` (not H/K), ``part_length``."""
    return st.one_of(
        st.builds(lambda a, m: (a[:-3] + m + a[-2:], "level_letter"), agency_codes(), st.sampled_from("ABGXZ")),
        st.builds(lambda a: ("0" + a, "part_length"), agency_codes()),
        st.builds(lambda a: (a[:-1], "part_length"), agency_codes()),
    )


def invalid_dossier_codes() -> st.SearchStrategy[tuple[str, str]]:
    """Strings that are not dossier codes. Reasons: ``receipt_date`` (``YYMMDD`` is no real date, e.g. 30 Feb),
    ``sequence`` (not 4 digits), ``form`` (none of the three forms)."""
    bad_day = st.sampled_from(["220230", "221301", "220000", "230229", "221131"])
    return st.one_of(
        st.builds(lambda a, d, s: (f"{a}-{d}-{s:04d}", "receipt_date"), agency_codes(), bad_day, st.integers(1, 9999)),
        st.builds(lambda a, s: (f"{a}-220921-{s}", "sequence"), agency_codes(), st.sampled_from(["1", "12", "ABCD"])),
        st.builds(lambda d: (f"HS-{d}", "form"), _digits(6)),
        st.builds(lambda d: (d, "form"), st.integers(1, 9).flatmap(_digits)),
    )


def invalid_tracking_numbers() -> st.SearchStrategy[tuple[str, str]]:
    """Strings that are not valid UPU S10 ids. Reasons: ``check_digit`` (a valid id with one wrong check digit),
    ``form`` (wrong length or letters where digits belong)."""

    def wrong_digit(t: TrackingNumber, delta: int) -> tuple[str, str]:
        digit = (t.check_digit + delta) % 10
        return f"{t[:10]}{digit}{t[11:]}", "check_digit"

    return st.one_of(
        st.builds(wrong_digit, tracking_numbers(), st.integers(1, 9)),
        st.builds(lambda t: (t[:2] + t[3:], "form"), tracking_numbers()),
        st.builds(lambda t: (t[:2] + "O" + t[3:], "form"), tracking_numbers()),
    )


# ---------------------------------------------------------------------------------------------------- times, money

_TEXT_FORMS: dict[TimeUnit, tuple[str, ...]] = {
    TimeUnit.WORKING_DAYS: ("{n:02d} Ngày làm việc", "{n} ngày làm việc", "Không quá {n} ngày làm việc"),
    TimeUnit.CALENDAR_DAYS: ("{n:02d} Ngày", "{n} ngày"),
    TimeUnit.WORKING_HOURS: ("{n:02d} Giờ", "{n} giờ làm việc"),
    TimeUnit.MONTHS: ("{n:02d} Tháng", "{n} tháng"),
    TimeUnit.WITHIN_DAY: ("Trong ngày", "Trong ngày làm việc"),
    TimeUnit.UNSPECIFIED: ("Không quy định",),
    TimeUnit.UNKNOWN_UNIT: ("{n}",),
}

_DEFAULT_UNITS = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.MONTHS,
    TimeUnit.WITHIN_DAY,
    TimeUnit.UNSPECIFIED,
)
_DEFAULT_MAX = {TimeUnit.WORKING_HOURS: 40, TimeUnit.MONTHS: 6}


def processing_times(
    *,
    units: Collection[TimeUnit] = _DEFAULT_UNITS,
    amounts: st.SearchStrategy[int] | None = None,
    with_text: bool = True,
) -> st.SearchStrategy[ProcessingTime]:
    """Processing times with the text the portal would publish (``"05 Ngày làm việc"``).

    The text always parses back to the same time (``ProcessingTime.parse(pt.text) == pt``).

    Args:
        units: which units (default: all but :attr:`TimeUnit.UNKNOWN_UNIT`, a bare number; ask for it explicitly).
        amounts: amounts for units that have one (default 0..60 days, 0..40 hours, 0..6 months).
        with_text: fill ``text``; ``False`` leaves it empty as a time built in code.
    """
    if not units:
        raise InvalidValueError("units", N_("at least one TimeUnit"), units)

    def for_unit(unit: TimeUnit) -> st.SearchStrategy[ProcessingTime]:
        if not unit.has_amount:
            form = st.sampled_from(_TEXT_FORMS[unit]) if with_text else st.just("")
            return form.map(lambda text: ProcessingTime(unit, None, text))
        amt = amounts if amounts is not None else st.integers(0, _DEFAULT_MAX.get(unit, 60))
        form = st.sampled_from(_TEXT_FORMS[unit]) if with_text else st.just("")
        return st.builds(lambda n, f: ProcessingTime(unit, n, f.format(n=n)), amt, form)

    return st.sampled_from(sorted(units)).flatmap(for_unit)


def invalid_processing_times() -> st.SearchStrategy[tuple[str, str]]:
    """Portal texts :meth:`ProcessingTime.parse` must refuse. Reasons: ``range`` (``10-25 ngày``), ``fraction``
    (``0.5 Giờ``), ``no_figure`` (prose without an amount), ``unknown_unit`` (``5 phút``)."""
    return st.one_of(
        st.builds(lambda a, b: (f"{a}-{a + b} ngày", "range"), st.integers(1, 30), st.integers(1, 30)),
        st.builds(lambda a: (f"{a}.5 Giờ", "fraction"), st.integers(0, 9)),
        st.sampled_from(["Theo quy định", "Ngay khi nhận đủ hồ sơ hợp lệ", "tùy trường hợp"]).map(
            lambda t: (t, "no_figure")
        ),
        st.builds(
            lambda a, u: (f"{a} {u}", "unknown_unit"), st.integers(1, 30), st.sampled_from(["phút", "lần", "bộ"])
        ),
    )


def money(
    *, currency: str = "VND", min_value: int = 0, max_value: int = 5_000_000, round_to: int = 500
) -> st.SearchStrategy[Money]:
    """Amounts in ``currency`` (minor units), by default whole đồng rounded to 500 đ as published prices are.

    Args:
        currency: an ISO code :class:`Money` knows (VND, USD, EUR).
        min_value, max_value: bounds in minor units.
        round_to: generate multiples of this (1 for any amount).
    """
    if currency not in CURRENCY_EXPONENTS:
        known = ", ".join(sorted(CURRENCY_EXPONENTS))
        raise InvalidValueError("currency", words(N_("one of {choices}"), choices=known), currency)
    step = max(round_to, 1)
    lo, hi = -(-min_value // step), max_value // step
    return st.integers(lo, hi).map(lambda k: Money(k * step, currency))


# ---------------------------------------------------------------------------------------------------- catalog


def fee_lines(*, amounts: st.SearchStrategy[Money] | None = None) -> st.SearchStrategy[FeeLine]:
    """Fee lines in each published reading: free, an amount (phí or lệ phí), a percentage, or not understood."""
    amt = amounts if amounts is not None else money(min_value=1000)
    kinds = st.sampled_from([FeeKind.CHARGE, FeeKind.STATE_FEE])

    def amount_line(kind: FeeKind, m: Money) -> FeeLine:
        label = "Phí" if kind is FeeKind.CHARGE else "Lệ phí"
        unit = "Đồng" if m.currency == "VND" else m.currency
        shown = f"{m.minor:,}".replace(",", ".") if m.currency == "VND" else str(m.amount)
        return FeeLine(kind=kind, amount=m, text=f"{label} : {shown} {unit}")

    return st.one_of(
        kinds.map(lambda k: FeeLine(kind=k, free=True, text="Miễn phí")),
        st.builds(amount_line, kinds, amt),
        st.builds(
            lambda k, p: FeeLine(
                kind=k, percentage=Decimal(p), text=f"Mức thu bằng {p}%", note="of the declared value"
            ),
            kinds,
            st.integers(1, 100),
        ),
        st.just(FeeLine(text="Theo quy định")),
    )


def channel_options(
    *,
    channels: st.SearchStrategy[Channel] | None = None,
    processing_times: st.SearchStrategy[ProcessingTime] | None = None,
    fees: st.SearchStrategy[tuple[FeeLine, ...]] | None = None,
) -> st.SearchStrategy[ChannelOption]:
    """One published channel row: a channel with its processing time (text kept), fees and online level."""
    chans = channels if channels is not None else st.sampled_from(list(Channel))
    times = processing_times if processing_times is not None else _processing_times_default()
    fee_tuples = fees if fees is not None else st.lists(fee_lines(), max_size=2).map(tuple)

    def build(ch: Channel, pt: ProcessingTime, fl: tuple[FeeLine, ...], level: OnlineLevel | None) -> ChannelOption:
        return ChannelOption(
            channel=ch,
            processing_time=pt,
            processing_time_text=pt.text or str(pt),
            fees=fl,
            fee_text="; ".join(f.text for f in fl),
            online_level=level if ch is Channel.ONLINE else None,
            online_payment=Tri.UNKNOWN,
        )

    levels = st.sampled_from([OnlineLevel.FULL, OnlineLevel.PARTIAL, OnlineLevel.LEVEL_3, OnlineLevel.LEVEL_4])
    return st.builds(build, chans, times, fee_tuples, st.none() | levels)


def _processing_times_default() -> st.SearchStrategy[ProcessingTime]:
    return processing_times()


_FIELDS = ("Hộ tịch", "Đăng ký giao dịch bảo đảm", "Đất đai", "Đường bộ", "Chứng thực", "Lao động", "Bảo trợ xã hội")
_NAMES = ("Đăng ký khai sinh", "Cấp bản sao trích lục", "Cấp giấy phép", "Đăng ký biến động", "Chứng thực bản sao")


def procedures(
    *,
    codes: st.SearchStrategy[ProcedureCode] | None = None,
    channels: st.SearchStrategy[tuple[ChannelOption, ...]] | None = None,
    levels: st.SearchStrategy[tuple[Level, ...]] | None = None,
    fields: st.SearchStrategy[str] | None = None,
    presence: st.SearchStrategy[tuple[Tri, Tri]] | None = None,
    validity: st.SearchStrategy[tuple[date | None, date | None]] | None = None,
) -> st.SearchStrategy[Procedure]:
    """Procedures as the catalog holds them; every channel row is consistent with itself.

    Args:
        codes: procedure codes (default :func:`procedure_codes`).
        channels: the channel table (default one to four rows; a channel may have two rows).
        levels: implementing levels (default a non-empty subset without the historic district level).
        fields: lĩnh vực.
        presence: ``(requires_personal_presence, authorisation_allowed)`` — they drive postal eligibility
            (QĐ 45/2016/QĐ-TTg Điều 1.2).
        validity: ``(valid_from, valid_until)`` with ``valid_from <= valid_until`` (default open-ended both sides).
    """
    code_s = codes if codes is not None else procedure_codes()
    chan_s = channels if channels is not None else st.lists(channel_options(), min_size=1, max_size=4).map(tuple)
    lv_s = (
        levels
        if levels is not None
        else st.lists(
            st.sampled_from([Level.MINISTRY, Level.PROVINCE, Level.COMMUNE, Level.OTHER]),
            min_size=1,
            max_size=3,
            unique=True,
        ).map(tuple)
    )
    field_s = fields if fields is not None else st.sampled_from(_FIELDS)
    tri = st.sampled_from(list(Tri))
    pres_s = presence if presence is not None else st.tuples(tri, tri)
    valid_s = validity if validity is not None else st.just((None, None))

    def build(
        code: ProcedureCode,
        name: str,
        chans: tuple[ChannelOption, ...],
        lv: tuple[Level, ...],
        fld: str,
        pres: tuple[Tri, Tri],
        valid: tuple[date | None, date | None],
    ) -> Procedure:
        return Procedure(
            code=code,
            name=name,
            field=fld,
            levels=lv,
            channels=chans,
            requires_personal_presence=pres[0],
            authorisation_allowed=pres[1],
            valid_from=valid[0],
            valid_until=valid[1],
            source="tthc.testing (generated)",
        )

    return st.builds(build, code_s, st.sampled_from(_NAMES), chan_s, lv_s, field_s, pres_s, valid_s)


def validity_windows(
    *, first_year: int = 2015, last_year: int = 2030
) -> st.SearchStrategy[tuple[date | None, date | None]]:
    """``(valid_from, valid_until)`` pairs, inclusive and ordered; either side may be open (``None``)."""
    days = st.dates(date(first_year, 1, 1), date(last_year, 12, 31))

    def order(a: date | None, b: date | None) -> tuple[date | None, date | None]:
        return (b, a) if a is not None and b is not None and b < a else (a, b)

    return st.builds(order, st.none() | days, st.none() | days)


def catalogs(
    *,
    procedures: st.SearchStrategy[Procedure] | None = None,
    min_size: int = 0,
    max_size: int = 8,
) -> st.SearchStrategy[Catalog]:
    """Catalogs of procedures with unique codes (a duplicate code is an error, :class:`DuplicateCodeError`)."""
    procs = procedures if procedures is not None else _procedures_default()
    return st.lists(procs, min_size=min_size, max_size=max_size, unique_by=lambda p: str(p.code)).map(
        lambda ps: Catalog(ps, about="generated by tthc.testing.strategies")
    )


def _procedures_default() -> st.SearchStrategy[Procedure]:
    return procedures()


def sample_procedures(*, catalog: Catalog | None = None) -> st.SearchStrategy[Procedure]:
    """Procedures drawn from a catalog (default the bundled sample catalog)."""
    cat = catalog if catalog is not None else Catalog.sample()
    return st.sampled_from(cat.procedures)
