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

A code of a province that no longer exists (``H30``, Hậu Giang) names that province, marked as former; given the
day of the record (``on=``), it names the province in force that day: the old province until the merger
(``valid_until``), the province it was merged into after it.

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
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import attrs
from pydantic import ConfigDict, StringConstraints, model_validator

from tthc.catalog.collection import Catalog
from tthc.errors import DataFileError
from tthc.foundation.arguments import CheckedModel, as_day, expect
from tthc.foundation.data_files import as_file_path, bundled_path, load_json, read_json_file, validate_data
from tthc.foundation.i18n import N_, format_day, gettext
from tthc.foundation.references import LegalReference

__all__ = ["AgencyNames", "Province", "ProvinceList"]

_AGENCY_ID = re.compile(r"\d{3}\.\d{2}\.\d{2}\.([A-Z]\d{2})")
_PROVINCE_CODE = re.compile(r"[A-Z]\d{2}")
_PROVINCE_LEVEL = "000.00.00."

_Level1Code = Annotated[str, StringConstraints(pattern=r"^H\d{2}$")]
"""A level-1 code of a provincial People's Committee (QCVN 102:2016/BTTTT): ``H`` and two digits."""

_PPC = {
    "province": N_("{province} Provincial People's Committee"),
    "city": N_("{province} People's Committee"),
}
_FORMER = N_("{name} (former province, until {day})")


class Province(CheckedModel):
    """A province-level unit: its name, kind, statistical code and, where confirmed, its agency-id code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: Literal["province", "city"]
    gso_code: int | None = None
    agency_code: _Level1Code | None = None
    merged_from: tuple[str, ...] = ()
    valid_until: date | None = None
    merged_into: str | None = None


class ProvinceList(CheckedModel):
    """The bundled province list (``tthc/data/provinces.json``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    comment: str = ""
    valid_from: date
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
        if twice:
            raise ValueError(f"agency_code: expected each code on one province, got {', '.join(twice)} more than once")
        unsourced = sorted(set(codes) - self.agency_code_sources.keys())
        if unsourced:
            raise ValueError(f"agency_code_sources: expected a source for every code, got none for {unsourced}")
        unused = sorted(self.agency_code_sources.keys() - set(codes))
        if unused:
            raise ValueError(f"agency_code_sources: expected only codes of a province, got {unused}")
        names = {p.name for p in self.provinces}
        for p in self.former_provinces:
            if p.valid_until is None or p.merged_into not in names:
                raise ValueError(
                    f"former_provinces: expected valid_until and merged_into one of the provinces for {p.name}, "
                    f"got {p.valid_until} and {p.merged_into!r}"
                )
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
            raise DataFileError(f"{p}: cannot read the agency names ({exc})") from None
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

    def province(self, code: str, lang: str | None = None, *, on: date | None = None) -> str | None:
        """The province of an agency code (``Gia Lai``); ``None`` when the province code is not in the bundled
        list. The code of a province that no longer exists gives that province, marked as former, or, with the
        record's day ``on``, the province in force that day (see the module docstring)."""
        found = _province_on(code, on)
        if found is None:
            return None
        p, until = found
        return _mark_former(p.name, until, lang)

    def name(self, code: str, lang: str | None = None, *, on: date | None = None) -> str | None:
        """The agency's name, or ``None`` when no source names it (a province-level id is named after its
        province's People's Committee, the province found as :meth:`province` finds it)."""
        key = code.strip().upper()
        if key in self.names:
            return self.names[key]
        if key.startswith(_PROVINCE_LEVEL) or _PROVINCE_CODE.fullmatch(key):
            found = _province_on(key, on)
            if found is not None:
                p, until = found
                return _mark_former(gettext(_PPC[p.kind], lang).format(province=p.name), until, lang)
        return None

    def label(self, code: str, lang: str | None = None, *, on: date | None = None) -> str:
        """``Sở Tư pháp (000.00.12.H21)``, ``000.00.12.H21 (Gia Lai)`` or the code itself."""
        name = self.name(code, lang, on=on)
        if name is not None:
            return f"{name} ({code})"
        province = self.province(code, lang, on=on)
        return f"{code} ({province})" if province is not None else code


def _mark_former(text: str, until: date | None, lang: str | None) -> str:
    if until is None:
        return text
    return gettext(_FORMER, lang).format(name=text, day=format_day(until, lang, with_weekday=False))


def _province_on(code: str, on: date | None) -> tuple[Province, date | None] | None:
    """The province an agency code names on the day ``on``, and the last day of that province when its name must
    be marked as former (a former province's code read without a day). A former province answers for its own
    days, the province it went into for the days after."""
    day = None if on is None else as_day(on, "on")
    p = _province_of(code)
    if p is None or p.valid_until is None:
        return None if p is None else (p, None)
    if day is None:
        return p, p.valid_until
    if day <= p.valid_until:
        return p, None
    return _by_name()[p.merged_into or ""], None  # merged_into is one of the provinces (checked at load)


def _province_of(code: str) -> Province | None:
    key = code.strip().upper()
    m = _AGENCY_ID.fullmatch(key)
    level1 = m.group(1) if m else key if _PROVINCE_CODE.fullmatch(key) else None
    return None if level1 is None else _by_agency_code().get(level1)


def _pairs_to_names(path: Path, pairs: Iterable[tuple[str, object, object]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for where, code, name in pairs:
        if not isinstance(code, str) or not code.strip():
            raise DataFileError(f"{path}: {where}: expected an agency code, got {code!r}")
        if not isinstance(name, str) or not name.strip():
            raise DataFileError(f"{path}: {where}: expected a name for {code.strip()}, got {name!r}")
        out[code.strip().upper()] = _clean_name(name)
    return out


def _from_json(path: Path) -> dict[str, str]:
    raw = read_json_file(path)
    if isinstance(raw, dict):
        return _pairs_to_names(path, ((f"key {k!r}", k, v) for k, v in raw.items()))
    if isinstance(raw, list):
        rows = [validate_data(_NameRow, r, f"{path}: item {i}: expected {{code, name}}") for i, r in enumerate(raw)]
        return _pairs_to_names(path, ((f"item {i}", r.code, r.name) for i, r in enumerate(rows)))
    raise DataFileError(f"{path}: expected an object code -> name or a list of {{code, name}}")


class _NameRow(CheckedModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str
    name: str


def _from_csv(path: Path, text: str) -> dict[str, str]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip().lower() for h in reader.fieldnames or ()]
        if "code" not in header or "name" not in header:
            raise DataFileError(f"{path}: expected a CSV header with the columns code and name, got {header}")
        reader.fieldnames = header
        rows = [(f"line {reader.line_num}", row.get("code"), row.get("name")) for row in reader]
    except csv.Error as exc:
        raise DataFileError(f"{path}: unreadable CSV ({exc})") from None
    return _pairs_to_names(path, rows)
