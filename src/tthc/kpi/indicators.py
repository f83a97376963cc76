"""KPIs over dossier records: the seed BCCI criteria and the QĐ 766/QĐ-TTg indicators, per agency / procedure / month.

The batch core (:func:`tthc.validation.validate_chunk`) produces a :class:`KpiPartial` per chunk: **counts only**
(numerators and denominators, never averaged ratios), keyed by (agency, procedure, month), so partials from
chunks, files or Dask partitions add up exactly (``a + b``). :func:`compute_kpis` turns the total into
:class:`Indicator` rows, one per (group, indicator), each with its numerator, denominator, value (``None`` = n/a when
the denominator is 0), threshold, pass/fail, the rule in words and its source.

Rules used (also in ``docs/kpi.md``):

* **Procedures an agency opened to BCCI** — by default the procedures (with at least one dossier of that agency in
  the period) whose catalog entry publishes a postal channel row (``opened_rule="catalog_postal_channel"``);
  ``"eligible"`` uses :func:`tthc.postal.check_postal_eligibility` instead; an explicit per-agency list (the lists
  agencies publish under QĐ 45/2016 Điều 13) overrides both (``KpiOptions.bcci_lists``).
* **Seed criteria** (Gia Lai, 2020; thresholds in ``tthc/data/kpi_rules.json``, strict ``>``): (1) share of those
  procedures with ≥ 1 dossier received or result returned via BCCI > 50 %; (2) dossiers received via BCCI / all
  dossiers of those procedures > 10 %; (3) results returned via BCCI / all dossiers of those procedures > 15 %.
  Counted over dossiers **received** in the period.
* **On-time rate** (QĐ 766 indicator 2.1) in two named readings: ``on_time_rate`` (QĐ 766: supplement interval
  paused, more than one supplement request = late) and ``on_time_rate_restart`` (NĐ 61/2018 Điều 19.4: the time
  restarts from zero after a complete supplement). Counted over dossiers **judged** in the period: finished in it,
  or still open at ``as_of`` (judged in the month of ``as_of``).
* **Online share** (QĐ 766 indicator 3.3): dossiers received online / all dossiers received.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import ClassVar, Literal

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog.collection import Catalog
from tthc.errors import InvalidCodeError, InvalidValueError
from tthc.foundation.arguments import expect, expect_optional
from tthc.foundation.channels import Channel, PostalService
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.data_value import DataValue, data_value
from tthc.foundation.i18n import N_, Lang, gettext, resolve_lang
from tthc.foundation.ids import AgencyCode
from tthc.foundation.references import LegalReference
from tthc.foundation.today import vn_today
from tthc.foundation.words import words
from tthc.kpi.periods import Period
from tthc.kpi.tables import Key, group_counts, merged, month_index, packed, summed, unpacked
from tthc.records.columns import TypedColumns

__all__ = [
    "INDICATORS",
    "Indicator",
    "IndicatorRule",
    "KpiOptions",
    "KpiPartial",
    "KpiRules",
    "Period",
    "compute_kpis",
]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]

RECEPTION = ("dossiers", "received_postal", "returned_postal", "online", "received_or_returned_postal")
JUDGED = ("early", "on_time", "late", "open_within", "open_overdue")
"""Counters of a :class:`KpiPartial`: reception counters by month of receipt; judged counters (per reading) by the
month the dossier is judged in."""

INDICATORS = (
    "dossiers",
    "bcci_procedures_with_postal",
    "bcci_received_share",
    "bcci_returned_share",
    "on_time_rate",
    "on_time_rate_restart",
    "online_share",
    "early_count",
    "on_time_count",
    "late_count",
)


@attrs.frozen(slots=True)
class KpiPartial:
    """Combinable KPI counts: (agency, procedure, month) -> counter vector.

    Attributes:
        reception: counters :data:`RECEPTION` by month of receipt.
        judged_pause / judged_restart: counters :data:`JUDGED` by month judged, in the QĐ 766 (pause) and the
            NĐ 61/2018 Điều 19.4 (restart) reading.
        unkeyed: rows with no agency, procedure or receipt date (not counted anywhere; they are in the report).
    """

    reception: Mapping[Key, I64] = attrs.field(factory=dict)
    judged_pause: Mapping[Key, I64] = attrs.field(factory=dict)
    judged_restart: Mapping[Key, I64] = attrs.field(factory=dict)
    unkeyed: int = 0

    def __getstate__(self) -> tuple[object, ...]:
        # sent between processes as three tables of codes and count matrices (tthc.kpi.tables.packed): a dictionary
        # of small arrays pickles one array at a time
        return (*(packed(t) for t in (self.reception, self.judged_pause, self.judged_restart)), self.unkeyed)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        *tables, unkeyed = state
        for name, table in zip(("reception", "judged_pause", "judged_restart"), tables, strict=True):
            object.__setattr__(self, name, unpacked(table))  # frozen: set once, as it is unpickled
        object.__setattr__(self, "unkeyed", unkeyed)

    def __add__(self, other: KpiPartial) -> KpiPartial:
        if not isinstance(other, KpiPartial):
            return NotImplemented
        return KpiPartial(
            merged(self.reception, other.reception),
            merged(self.judged_pause, other.judged_pause),
            merged(self.judged_restart, other.judged_restart),
            self.unkeyed + other.unkeyed,
        )

    @classmethod
    def sum(cls, parts: Iterable[KpiPartial]) -> KpiPartial:
        tables: tuple[list[Mapping[Key, I64]], ...] = ([], [], [])
        unkeyed = 0
        expect(parts, Iterable, "parts", "an iterable of KpiPartial")
        for part in parts:
            expect(part, KpiPartial, "parts", "an iterable of KpiPartial")
            for kept, table in zip(tables, (part.reception, part.judged_pause, part.judged_restart), strict=True):
                if table:
                    kept.append(table)
            unkeyed += part.unkeyed
        return cls(
            summed(tables[0], len(RECEPTION)),
            summed(tables[1], len(JUDGED)),
            summed(tables[2], len(JUDGED)),
            unkeyed,
        )

    @property
    def dossiers(self) -> int:
        return int(sum(int(v[0]) for v in self.reception.values()))

    @classmethod
    def from_rows(
        cls,
        tc: TypedColumns,
        proc_inv: I64,
        proc_values: list[str | None],
        agency_inv: I64,
        agency_values: list[str | None],
        t_pause: I8,
        t_restart: I8,
        as_of: np.datetime64,
    ) -> KpiPartial:
        """Count one chunk (called by :func:`tthc.validation.validate_chunk`)."""
        expect(tc, TypedColumns, "tc", "TypedColumns")
        n = len(tc)
        for field, value in (("proc_inv", proc_inv), ("agency_inv", agency_inv)):
            arr = expect(value, np.ndarray, field, "an integer index array")
            if arr.dtype.kind not in "iu" or arr.shape != (n,):
                raise InvalidValueError(
                    field, words(N_("an integer index array of {n} rows"), n=n), f"{arr.dtype}{arr.shape}"
                )
        for field, codes in (("t_pause", t_pause), ("t_restart", t_restart)):
            code_arr = expect(codes, np.ndarray, field, "a timeliness code array")
            if code_arr.shape != (n,):
                raise InvalidValueError(
                    field, words(N_("a code array of {n} rows"), n=n), f"{code_arr.dtype}{code_arr.shape}"
                )
        for field, values, inv in (
            ("proc_values", proc_values, proc_inv),
            ("agency_values", agency_values, agency_inv),
        ):
            expect(values, list, field, "a list of codes")
            if n and (int(inv.min()) < 0 or int(inv.max()) >= len(values)):
                raise InvalidValueError(field, N_("a list covering every index"), f"{len(values)} values")
        expect(as_of, np.datetime64, "as_of", "a numpy datetime64")
        if n == 0:
            return cls()
        agency_inv, agency_values = _canonical_agencies(agency_inv, agency_values)
        received = tc.datetimes["received_at"]
        finished = tc.datetimes["finished_at"]
        proc_none = np.array([v is None for v in proc_values], dtype=bool)[proc_inv]
        agency_none = np.array([v is None for v in agency_values], dtype=bool)[agency_inv]
        keyed = ~np.isnat(received) & ~proc_none & ~agency_none
        chan = tc.enums["channel"].astype(np.int64)
        result = tc.enums["result_channel"].astype(np.int64)
        recv_month = month_index(received)
        # each row's channel pair is one of 16 states, counted once; the counters are sums of states
        reception = group_counts(
            agency_inv, proc_inv, recv_month, keyed, chan * 4 + result, _RECEPTION_STATES, agency_values, proc_values
        )
        as_of_month = month_index(np.array([as_of], dtype="datetime64[s]"))[0]
        judged_month = np.where(np.isnat(finished), as_of_month, month_index(finished))
        tables = []
        for t in (t_pause, t_restart):
            ok = keyed & (t > 0)
            states = t.astype(np.int64)
            tables.append(
                group_counts(agency_inv, proc_inv, judged_month, ok, states, _JUDGED_STATES, agency_values, proc_values)
            )
        return cls(reception, tables[0], tables[1], int((~keyed).sum()))


def _canonical_agencies(inv: I64, values: list[str | None]) -> tuple[I64, list[str | None]]:
    """The agencies a KPI counts: a valid agency code in its canonical form (:class:`~tthc.foundation.ids.AgencyCode`:
    ``000.00.12.h21`` is ``000.00.12.H21``, the agency validation accepts it as), any other value as it is (it is
    only warned about, ``W_AGENCY_CODE``). Distinct values that are one agency become one: the rows' indexes are
    mapped in one numpy step (a look-up per distinct value, none per row).

    Args:
        inv: each row's index into ``values``.
        values: the distinct agency values of the rows (``None``: no agency).

    Returns:
        The rows' indexes into the distinct canonical values, and those values.
    """
    canon = [_canonical_agency(v) for v in values]
    if canon == values:
        return inv, values
    position: dict[str | None, int] = {}
    remap = np.array([position.setdefault(c, len(position)) for c in canon], dtype=np.int64)
    return remap[inv], list(position)


def _canonical_agency(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(AgencyCode(value))
    except InvalidCodeError:
        return value


def _channel_states() -> I64:
    """The reception counters (:data:`RECEPTION`) of each (channel, result channel) state ``4 * channel + result``
    (0 empty, 1 direct, 2 online, 3 postal)."""
    chan, result = np.divmod(np.arange(16), 4)
    return np.stack(
        [np.ones(16, dtype=bool), chan == 3, result == 3, chan == 2, (chan == 3) | (result == 3)], axis=1
    ).astype(np.int64)


_RECEPTION_STATES = _channel_states()
_JUDGED_STATES = np.eye(6, 5, k=-1, dtype=np.int64)
"""The judged counters (:data:`JUDGED`) of each timeliness code 0-5 (0: not judged, counted nowhere)."""


# ------------------------------------------------------------------------------------------------------ rules


_RATIO = N_("a ratio between 0 and 1")


@data_value
class IndicatorRule(DataValue):
    """An indicator's threshold, comparison, names, rule in words and source.

    Human-facing texts come in English and Vietnamese (``name`` / ``name_vi``, ``short`` / ``short_vi``, ``rule`` /
    ``rule_vi``); ``name_vi`` is worded as in the document ``name_source`` names (the provincial letter for the BCCI
    criteria). A rules file of one's own may leave the names out: the bundled ones are used, else the indicator id.
    ``threshold`` is a ratio 0–1 (``0.1`` for 10 %): a rules file with ``10`` or ``-0.5`` is refused, as
    ``--threshold`` is.
    """

    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid"}

    threshold: float | None = None
    comparison: Literal[">", ">="] | None = None
    name: str | None = None
    name_vi: str | None = None
    name_source: str | None = None
    short: str | None = None
    short_vi: str | None = None
    rule: str
    rule_vi: str | None = None
    reference: LegalReference

    def __post_init__(self) -> None:  # called by pydantic when it validates (a rules file, the constructor)
        if self.threshold is not None and not 0 <= self.threshold <= 1:  # False for NaN too
            raise InvalidValueError("threshold", _RATIO, self.threshold)


@data_value
class KpiRules(DataValue):
    """Thresholds and sources of the indicators (bundled: ``tthc/data/kpi_rules.json``)."""

    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "ignore"}

    indicators: dict[str, IndicatorRule]

    @classmethod
    def default(cls) -> KpiRules:
        return cls.model_validate(load_json("kpi_rules.json"))

    @classmethod
    def load(cls, path: str | Path) -> KpiRules:
        """Rules from a JSON file shaped like the bundled one (indicators missing from it keep the bundled rule).

        Raises:
            DataFileError: the file cannot be read or does not match the schema.
        """
        shape = words(N_("{path}: expected KPI rules like tthc/data/kpi_rules.json"), path=str(path))
        mine = validate_data(cls, read_json_file(path), shape)
        return cls(indicators={**cls.default().indicators, **mine.indicators})

    def with_thresholds(self, thresholds: Mapping[str, float | None]) -> KpiRules:
        """A copy with some thresholds replaced (ratios 0–1).

        Raises:
            InvalidValueError: an unknown indicator or a threshold outside 0–1.
        """
        table = dict(self.indicators)
        for name, value in thresholds.items():
            if name not in table:
                raise InvalidValueError(
                    "threshold", words(N_("one of {choices}"), choices=", ".join(sorted(table))), name
                )
            if value is not None and not 0 <= value <= 1:
                raise InvalidValueError(f"threshold {name}", _RATIO, value)
            rule = table[name]
            table[name] = rule.model_copy(update={"threshold": value, "comparison": rule.comparison or ">="})
        return KpiRules(indicators=table)


GroupBy = Literal["agency", "procedure", "month", "total"]
OpenedRule = Literal["catalog_postal_channel", "eligible"]


@attrs.frozen(slots=True)
class KpiOptions:
    """How :func:`compute_kpis` groups and judges.

    Attributes:
        by: ``agency`` (default), ``procedure``, ``month`` or ``total``.
        period: months to keep (receipt month for reception figures, judged month for timeliness).
        rules: thresholds and sources (:class:`KpiRules`).
        opened_rule: which procedures count as opened to BCCI (see the module docstring).
        bcci_lists: agency code -> procedure codes it opened to BCCI (QĐ 45/2016 Điều 13 lists); overrides
            ``opened_rule`` for the agencies it names.
    """

    by: GroupBy = "agency"
    period: Period = attrs.field(factory=Period)
    rules: KpiRules = attrs.field(factory=KpiRules.default)
    opened_rule: OpenedRule = "catalog_postal_channel"
    bcci_lists: Mapping[str, frozenset[str]] = attrs.field(factory=dict)


@data_value
class Indicator(DataValue):
    """One figure: an indicator for one group, with its arithmetic, threshold, verdict, rule and source.

    ``first_month`` / ``last_month``: the months of receipt of the group's dossiers counted (of judgement when none
    was received in the period) — the days a report names an agency as of (``AgencyNames.for_rows``)."""

    __pydantic_config__: ClassVar[dict[str, object]] = {}

    group: str
    indicator: str
    numerator: int
    denominator: int | None
    value: float | None
    threshold: float | None
    passed: bool | None
    comparison: str | None = None
    period: str = "all"
    first_month: str | None = None
    last_month: str | None = None
    rule: str
    source: str

    @property
    def display(self) -> str:
        """``12.50 %`` (2 decimals, QĐ 766), ``n/a`` for a zero denominator, or the count."""
        if self.denominator is None:
            return str(self.numerator)
        return "n/a" if self.value is None else f"{self.value * 100:.2f} %"


# ------------------------------------------------------------------------------------------------------ computing


def _group_key(by: GroupBy, key: Key) -> str:
    agency, procedure, month = key
    return {"agency": agency, "procedure": procedure, "month": month, "total": "all"}[by]


def _opened(
    catalog: Catalog,
    options: KpiOptions,
    agency: str,
    procedure: str,
    period: Period,
    cache: dict[tuple[str, str], bool],
) -> bool:
    listed = options.bcci_lists.get(agency)
    if listed is not None:
        return procedure in listed
    hit = cache.get((agency, procedure))
    if hit is not None:
        return hit
    p = catalog.get(procedure)
    if p is None:
        ok = False
    elif options.opened_rule == "catalog_postal_channel":
        ok = p.offers(Channel.POSTAL)
    else:
        from tthc.postal.eligibility import check_postal_eligibility

        on = date.fromisoformat((period.end or period.start or vn_today().strftime("%Y-%m")) + "-01")
        ok = check_postal_eligibility(p, PostalService.BOTH, on=on).eligible is True
    cache[(agency, procedure)] = ok
    return ok


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def _passes(num: int, den: int, threshold: float, comparison: str | None) -> bool:
    """``num / den`` against the threshold, exactly: the ratio as a fraction, the threshold as the decimal it was
    written as (the shortest decimal giving its float: ``0.104`` is 104/1000, not the float's binary value) — so a
    group at exactly the threshold passes ``>=`` and fails ``>``, and one a hair off is on the right side."""
    ratio = Fraction(num, den)
    limit = Fraction(repr(threshold))
    return ratio > limit if comparison == ">" else ratio >= limit


def compute_kpis(
    partial: KpiPartial, catalog: Catalog, options: KpiOptions | None = None, *, lang: str | None = None
) -> list[Indicator]:
    """Indicators per group from the summed counts.

    Args:
        partial: the summed counts.
        catalog: the catalog that says which procedures are opened to BCCI.
        options: grouping, period, rules (:class:`KpiOptions`).
        lang: the language of each indicator's ``rule`` text (``"vi"``, ``"en"``; default: ``TTHC_LANG``, else
            Vietnamese — :func:`tthc.foundation.i18n.resolve_lang`).

    Returns:
        One :class:`Indicator` per (group, indicator), groups sorted, indicators in :data:`INDICATORS` order.
    """
    expect(partial, KpiPartial, "partial", "a KpiPartial")
    expect(catalog, Catalog, "catalog", "a Catalog")
    opts = expect_optional(options, KpiOptions, "options", "KpiOptions") or KpiOptions()
    code = resolve_lang(lang)
    period = opts.period
    rules = opts.rules.indicators
    cache: dict[tuple[str, str], bool] = {}
    groups: dict[str, dict[str, int]] = {}
    pairs: dict[str, dict[tuple[str, str], list[int]]] = {}
    months: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})  # received, judged: months per group

    def g(name: str) -> dict[str, int]:
        return groups.setdefault(name, dict.fromkeys(_ALL_COUNTERS, 0))

    for key, v in partial.reception.items():
        if key[2] not in period:
            continue
        acc = g(_group_key(opts.by, key))
        months[0].setdefault(_group_key(opts.by, key), set()).add(key[2])
        acc["dossiers"] += int(v[0])
        acc["online"] += int(v[3])
        if _opened(catalog, opts, key[0], key[1], period, cache):
            acc["bcci_dossiers"] += int(v[0])
            acc["bcci_received"] += int(v[1])
            acc["bcci_returned"] += int(v[2])
            unit = pairs.setdefault(_group_key(opts.by, key), {}).setdefault((key[0], key[1]), [0])
            unit[0] += int(v[4])
    for reading, table in (("pause", partial.judged_pause), ("restart", partial.judged_restart)):
        for key, v in table.items():
            if key[2] not in period:
                continue
            acc = g(_group_key(opts.by, key))
            months[1].setdefault(_group_key(opts.by, key), set()).add(key[2])
            for name, x in zip(JUDGED, v.tolist(), strict=True):
                acc[f"{name}_{reading}"] += int(x)
    out: list[Indicator] = []
    for group in sorted(groups):
        acc = groups[group]
        units = pairs.get(group, {})
        used = sum(1 for c in units.values() if c[0] > 0)
        seen = months[0].get(group) or months[1][group]
        figures: dict[str, tuple[int, int | None]] = {
            "dossiers": (acc["dossiers"], None),
            "bcci_procedures_with_postal": (used, len(units)),
            "bcci_received_share": (acc["bcci_received"], acc["bcci_dossiers"]),
            "bcci_returned_share": (acc["bcci_returned"], acc["bcci_dossiers"]),
        }
        for reading, name in (("pause", "on_time_rate"), ("restart", "on_time_rate_restart")):
            good = acc[f"early_{reading}"] + acc[f"on_time_{reading}"] + acc[f"open_within_{reading}"]
            total = good + acc[f"late_{reading}"] + acc[f"open_overdue_{reading}"]
            figures[name] = (good, total)
        figures["online_share"] = (acc["online"], acc["dossiers"])
        figures["early_count"] = (acc["early_pause"], None)
        figures["on_time_count"] = (acc["on_time_pause"] + acc["open_within_pause"], None)
        figures["late_count"] = (acc["late_pause"] + acc["open_overdue_pause"], None)
        for name in INDICATORS:
            num, den = figures[name]
            rule = rules.get(name)
            value = None if den is None else _ratio(num, den)
            threshold = rule.threshold if rule is not None else None
            passed = None
            if threshold is not None and den and rule is not None:
                passed = _passes(num, den, threshold, rule.comparison)
            out.append(
                Indicator(
                    group=group,
                    indicator=name,
                    numerator=num,
                    denominator=den,
                    value=value,
                    threshold=threshold,
                    passed=passed,
                    comparison=rule.comparison if rule is not None else None,
                    period=str(period),
                    first_month=min(seen),
                    last_month=max(seen),
                    rule=_rule_text(name, rule, opts, code),
                    source=str(rule.reference) if rule is not None else gettext(_COUNT_SOURCE, code),
                )
            )
    return out


_ALL_COUNTERS = (
    "dossiers",
    "online",
    "bcci_dossiers",
    "bcci_received",
    "bcci_returned",
    *(f"{n}_{r}" for r in ("pause", "restart") for n in JUDGED),
)


_COUNT_SOURCE = N_("count of dossier records")
_OPENED_RULE = N_("{rule}; opened to BCCI = {how}")
_OPENED_LISTS = N_("{rule}; opened to BCCI = {how} (agency lists given override)")
_OPENED_HOW = {
    "catalog_postal_channel": N_("the catalog publishes a postal channel for it"),
    "eligible": N_("tthc.postal.eligibility.check_postal_eligibility says eligible"),
}


def _rule_text(name: str, rule: IndicatorRule | None, opts: KpiOptions, lang: Lang) -> str:
    if rule is None:
        return gettext("dossiers received in the period", lang)
    text = rule.rule_vi if lang == "vi" and rule.rule_vi else rule.rule
    if name.startswith("bcci_"):
        how = gettext(_OPENED_HOW[opts.opened_rule], lang)
        template = _OPENED_LISTS if opts.bcci_lists else _OPENED_RULE
        text = gettext(template, lang).format(rule=text, how=how)
    return text
