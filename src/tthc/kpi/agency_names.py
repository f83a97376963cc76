"""Agency names for KPI reports: an agency code (``000.00.12.H21``) becomes a name a provincial official recognises.

Where a name comes from, first match wins:

1. a name file given by the user (``tthc kpi --agency-names FILE``, :meth:`AgencyNames.load`): CSV with a
   ``code,name`` header, or JSON ``{"code": "name", ...}`` / ``[{"code": ..., "name": ...}, ...]``;
2. the catalog (:meth:`AgencyNames.from_catalog`), only where it is unambiguous: every local procedure published
   under that agency id names one and the same agency; province-level ids (``000.00.00.Hxx``) are left to rule 3,
   since local procedures of a province name the bodies that implement them, not the province;
3. the bundled province list (``tthc/data/provinces.json``, cited): the 34 provinces in force from 1 Jul 2025
   (Nghị quyết 202/2025/QH15) and the old codes kept for records dated before the merger. The province-level id
   ``000.00.00.H21`` (or ``H21``) is named "UBND tỉnh Gia Lai"; any other id of that province shows the province
   beside the code: ``000.00.12.H21 (Gia Lai)``.

A code of a province that no longer exists (``H30``, Hậu Giang) is named as of the days of its records (``on=``: a
day, or the first and last day of the records; a report passes the months of each agency's records,
:meth:`AgencyNames.for_rows`):

* records up to the merger (``valid_until``, 30/06/2025): the old province, as it was — "UBND tỉnh Hậu Giang";
* records after it: the province it went into, the old name kept as a hint — "UBND Thành phố Cần Thơ (trước
  01/07/2025: UBND tỉnh Hậu Giang)";
* records on both sides: both, in order — "UBND tỉnh Hậu Giang (đến 30/06/2025), sau đó UBND Thành phố Cần Thơ (từ
  01/07/2025)";
* no day known: the old province, marked as former — "UBND tỉnh Hậu Giang (tỉnh cũ, đến 30/06/2025)".

A name from a name file or the catalog is shown as given, whatever the day.

A code none of these knows is shown as the code itself. Only the QCVN 102:2016 level-1 codes that a public secondary
source ties to the province are bundled, each with its source (``agency_code_sources``); the ``vietnam-provinces``
package holds the 34 provinces by their statistical (GSO) codes, not by the agency-id codes, so the province list is
a cited data file checked against that package in the tests.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import attrs
from pydantic import ConfigDict, StringConstraints, model_validator

from tthc.catalog.collection import Catalog
from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.arguments import CheckedModel, as_day, expect
from tthc.foundation.data_files import as_file_path, bundled_path, load_json, read_json_file, validate_data
from tthc.foundation.i18n import N_, Lang, format_day, gettext, resolve_lang
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import LegalReference
from tthc.foundation.words import Words, words
from tthc.kpi.indicators import Indicator
from tthc.kpi.periods import month_days

__all__ = ["AgencyName", "AgencyNames", "Days", "Province", "ProvinceList"]

Days = date | tuple[date, date]
"""The day of a record, or the first and last day of an agency's records (``datetime`` values are taken by their
date in Vietnam time)."""

_AGENCY_ID = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.([A-Z][0-9]{2})")
_PROVINCE_CODE = re.compile(r"[A-Z][0-9]{2}")
_PROVINCE_LEVEL = "000.00.00."

_Level1Code = Annotated[str, StringConstraints(pattern=r"^H[0-9]{2}$")]
"""A level-1 code of a provincial People's Committee (QCVN 102:2016/BTTTT): ``H`` and two digits."""

_PPC = {
    "province": N_("{province} Provincial People's Committee"),
    "city": N_("{province} People's Committee"),
}
_FORMER = N_("{name} (former province, until {day})")
_MERGED = N_("{name} (before {day}: {former})")
_BOTH = N_("{former} (until {until}), then {name} (from {day})")


class Province(CheckedModel):
    """A province-level unit: its name, kind, statistical code and, where confirmed, its agency-id code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: Literal["province", "city"]
    gso_code: int | None = None
    agency_code: _Level1Code | None = None
    merged_from: tuple[str, ...] = ()
    valid_until: IsoDay | None = None
    merged_into: str | None = None


_TWICE = N_("agency_code: expected each code on one province, got {codes} more than once")
_UNSOURCED = N_("agency_code_sources: expected a source for every code, got none for {codes}")
_UNUSED = N_("agency_code_sources: expected only codes of a province, got {codes}")
_NOT_MERGED = N_(
    "former_provinces: expected valid_until and merged_into one of the provinces for {name}, got {until} and {into}"
)


class ProvinceList(CheckedModel):
    """The bundled province list (``tthc/data/provinces.json``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    comment: str = ""
    valid_from: IsoDay
    reference: LegalReference
    agency_code_reference: LegalReference
    agency_code_sources: dict[str, LegalReference]
    provinces: tuple[Province, ...]
    former_provinces: tuple[Province, ...] = ()

    @model_validator(mode="after")
    def _codes_are_cited_once(self) -> ProvinceList:
        """Each agency code belongs to one province and has its source; each former province says when it ended
        and which province it went into."""
        codes = [p.agency_code for p in (*self.provinces, *self.former_provinces) if p.agency_code]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        # worded ValueErrors: pydantic shows a validator's ValueError as the field's error (foundation.error_words)
        if twice:
            raise ValueError(words(_TWICE, codes=", ".join(twice)))
        unsourced = sorted(set(codes) - self.agency_code_sources.keys())
        if unsourced:
            raise ValueError(words(_UNSOURCED, codes=str(unsourced)))
        unused = sorted(self.agency_code_sources.keys() - set(codes))
        if unused:
            raise ValueError(words(_UNUSED, codes=str(unused)))
        names = {p.name for p in self.provinces}
        for p in self.former_provinces:
            if p.valid_until is None or p.merged_into not in names:
                raise ValueError(words(_NOT_MERGED, name=p.name, until=p.valid_until, into=repr(p.merged_into)))
        return self

    @classmethod
    def default(cls) -> ProvinceList:
        raw = dict(load_json("provinces.json"))
        raw["comment"] = raw.pop("$comment", "")
        return validate_data(cls, raw, str(bundled_path("provinces.json")))


@cache
def _by_agency_code() -> dict[str, Province]:
    data = ProvinceList.default()
    return {p.agency_code: p for p in (*data.former_provinces, *data.provinces) if p.agency_code}


@cache
def _by_name() -> dict[str, Province]:
    return {p.name: p for p in ProvinceList.default().provinces}


def _clean_name(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _normalised(names: Mapping[str, str]) -> dict[str, str]:
    """Codes as the records write them (upper case, no spaces around), names in NFC with single spaces."""
    expect(names, Mapping, "names", "a mapping agency code -> name")
    out: dict[str, str] = {}
    for code, name in names.items():
        expect(code, str, "names", "agency codes as text")
        expect(name, str, "names", "names as text")
        out[code.strip().upper()] = _clean_name(name)
    return out


@attrs.frozen(slots=True)
class AgencyNames:
    """Names of agencies by code; see the module docstring for where names come from and in which order.

    Attributes:
        names: agency code -> name, from a name file or the catalog (the province list is always consulted after).
    """

    names: Mapping[str, str] = attrs.field(factory=dict, converter=_normalised)

    def __or__(self, other: AgencyNames) -> AgencyNames:
        """The names of both, ``other`` winning where both name a code."""
        if not isinstance(other, AgencyNames):
            return NotImplemented
        return AgencyNames({**self.names, **other.names})

    @classmethod
    def load(cls, path: str | Path) -> AgencyNames:
        """Names from a CSV file (a header row with ``code`` and ``name`` columns) or a JSON file
        (``{"000.00.12.H21": "Sở Tư pháp", ...}`` or a list of ``{"code": ..., "name": ...}``).

        Raises:
            DataFileError: the file cannot be read, or a row has no code or no name.
        """
        p = as_file_path(path, "agency names")
        if p.suffix.lower() == ".json":
            return cls(_from_json(p))
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise DataFileError(
                words(N_("{path}: cannot read the agency names ({reason})"), path=str(p), reason=reason)
            ) from None
        return cls(_from_csv(p, text))

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> AgencyNames:
        """The names a catalog gives unambiguously (rule 2 of the module docstring)."""
        expect(catalog, Catalog, "catalog", "a Catalog")
        seen: dict[str, set[str]] = {}
        for procedure in catalog:
            agency = procedure.code.agency
            if agency is None or agency.startswith(_PROVINCE_LEVEL):
                continue
            seen.setdefault(agency, set()).update(_clean_name(a) for a in procedure.agencies)
        return cls({code: next(iter(names)) for code, names in seen.items() if len(names) == 1})

    def describe(self, code: str, lang: str | None = None, *, on: Days | None = None) -> AgencyName:
        """The agency's name and province as of ``on`` (see the module docstring), with the label that shows both
        beside the code."""
        code_lang = resolve_lang(lang)
        days = _days(on)
        key = code.strip().upper()
        province = _as_of(key, days, code_lang, lambda p: p.name)
        name = self.names.get(key)
        if name is None and (key.startswith(_PROVINCE_LEVEL) or _PROVINCE_CODE.fullmatch(key)):
            name = _as_of(key, days, code_lang, lambda p: gettext(_PPC[p.kind], code_lang).format(province=p.name))
        return AgencyName(code, name, province)

    def for_rows(self, indicators: Iterable[Indicator], lang: str | None = None) -> dict[str, AgencyName]:
        """Each group of the KPI rows named as of its records' days (``first_month`` .. ``last_month`` of the rows;
        no day when a row carries no months) — the one naming the HTML report, the CSV / XLSX table and the
        terminal table use."""
        spans: dict[str, list[str] | None] = {}
        for r in expect(indicators, Iterable, "indicators", "a sequence of Indicator"):
            expect(r, Indicator, "indicators", "a sequence of Indicator")
            if r.first_month is None or r.last_month is None:
                spans[r.group] = None  # a row without months: its group is named without a day
            elif r.group not in spans:
                spans[r.group] = [r.first_month, r.last_month]
            elif (span := spans[r.group]) is not None:
                span[:] = min(span[0], r.first_month), max(span[1], r.last_month)
        return {g: self.describe(g, lang, on=None if m is None else month_days(*m)) for g, m in spans.items()}

    def province(self, code: str, lang: str | None = None, *, on: Days | None = None) -> str | None:
        """The province of an agency code (``Gia Lai``); ``None`` when the province code is not in the bundled
        list. A code of a province that no longer exists is named as of ``on`` (see the module docstring)."""
        return self.describe(code, lang, on=on).province

    def name(self, code: str, lang: str | None = None, *, on: Days | None = None) -> str | None:
        """The agency's name, or ``None`` when no source names it (a province-level id is named after its
        province's People's Committee, as of ``on`` as :meth:`province` names the province)."""
        return self.describe(code, lang, on=on).name

    def label(self, code: str, lang: str | None = None, *, on: Days | None = None) -> str:
        """``Sở Tư pháp (000.00.12.H21)``, ``000.00.12.H21 (Gia Lai)`` or the code itself."""
        return self.describe(code, lang, on=on).label


@attrs.frozen(slots=True)
class AgencyName:
    """An agency as a report shows it (:meth:`AgencyNames.describe`).

    Attributes:
        code: the agency code as the records write it.
        name: its name, or ``None`` when no source names it.
        province: its province, or ``None`` when the province code is not in the bundled list.
    """

    code: str
    name: str | None
    province: str | None

    @property
    def label(self) -> str:
        """The name with the code (``Sở Tư pháp (000.00.12.H21)``), else the code with the province
        (``000.00.12.H21 (Gia Lai)``), else the code: the code is always visible."""
        if self.name is not None:
            return f"{self.name} ({self.code})"
        return f"{self.code} ({self.province})" if self.province is not None else self.code


def _days(on: Days | None) -> tuple[date, date] | None:
    if on is None:
        return None
    if isinstance(on, tuple):
        if len(on) == 2:
            first, last = as_day(on[0], "on"), as_day(on[1], "on")
            if first <= last:
                return first, last
        raise InvalidValueError("on", N_("a day, or the first and last day of the records"), on)
    day = as_day(on, "on")
    return day, day


def _as_of(code: str, days: tuple[date, date] | None, lang: Lang, text: Callable[[Province], str]) -> str | None:
    """``text`` of the province an agency code belongs to, as of ``days`` (the module docstring's rules for a
    province that no longer exists)."""
    p = _province_of(code)
    if p is None or p.valid_until is None:
        return None if p is None else text(p)
    until = p.valid_until
    if days is None:
        return gettext(_FORMER, lang).format(name=text(p), day=format_day(until, lang, with_weekday=False))
    if days[1] <= until:
        return text(p)
    merged = text(_by_name()[p.merged_into or ""])  # merged_into is one of the provinces (checked at load)
    since = format_day(until + timedelta(days=1), lang, with_weekday=False)
    if days[0] > until:
        return gettext(_MERGED, lang).format(name=merged, day=since, former=text(p))
    return gettext(_BOTH, lang).format(
        former=text(p), until=format_day(until, lang, with_weekday=False), name=merged, day=since
    )


def _province_of(code: str) -> Province | None:
    key = code.strip().upper()
    m = _AGENCY_ID.fullmatch(key)
    level1 = m.group(1) if m else key if _PROVINCE_CODE.fullmatch(key) else None
    return None if level1 is None else _by_agency_code().get(level1)


def _pairs_to_names(path: Path, pairs: Iterable[tuple[Words, object, object]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for where, code, name in pairs:
        if not isinstance(code, str) or not code.strip():
            raise DataFileError(
                words(
                    N_("{path}: {where}: expected an agency code, got {given}"),
                    path=str(path),
                    where=where,
                    given=repr(code),
                )
            )
        if not isinstance(name, str) or not name.strip():
            raise DataFileError(
                words(
                    N_("{path}: {where}: expected a name for {code}, got {given}"),
                    path=str(path),
                    where=where,
                    code=code.strip(),
                    given=repr(name),
                )
            )
        out[code.strip().upper()] = _clean_name(name)
    return out


def _from_json(path: Path) -> dict[str, str]:
    raw = read_json_file(path)
    if isinstance(raw, dict):
        return _pairs_to_names(path, ((words(N_("key {key}"), key=repr(k)), k, v) for k, v in raw.items()))
    if isinstance(raw, list):
        source = N_("{path}: item {item}: expected {{code, name}}")
        rows = [validate_data(_NameRow, r, words(source, path=str(path), item=i)) for i, r in enumerate(raw)]
        return _pairs_to_names(path, ((words(N_("item {item}"), item=i), r.code, r.name) for i, r in enumerate(rows)))
    raise DataFileError(
        words(N_("{path}: expected an object code -> name or a list of {{code, name}}"), path=str(path))
    )


class _NameRow(CheckedModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str
    name: str


def _from_csv(path: Path, text: str) -> dict[str, str]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip().lower() for h in reader.fieldnames or ()]
        if "code" not in header or "name" not in header:
            raise DataFileError(
                words(
                    N_("{path}: expected a CSV header with the columns code and name, got {given}"),
                    path=str(path),
                    given=str(header),
                )
            )
        reader.fieldnames = header
        rows = [(words(N_("line {line}"), line=reader.line_num), row.get("code"), row.get("name")) for row in reader]
    except csv.Error as exc:
        raise DataFileError(words(N_("{path}: unreadable CSV ({reason})"), path=str(path), reason=str(exc))) from None
    return _pairs_to_names(path, rows)
