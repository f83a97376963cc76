"""Route zones of the public postal service, before and after the 2025 abolition of districts.

Tariffs and the transit-time standard (TT 17/2017/TT-BTTTT Điều 7) name zones by district: same district (nội
huyện), between districts of one province (liên huyện), between provinces (liên tỉnh, split by region distance for
prices and by the class of the destination city for transit times). From 1 Jul 2025 districts no longer exist; the
post-2025 vocabulary (same commune, within province, between provinces) and its mapping onto the old tables are data
in ``postal_transit.json`` and an [open] library default (domain.md §4).

Zones form a tree (a commune lies in a district, a district in a province): a table that has no value for a zone
is read at its nearest coarser zone, and a coarse zone whose table values sit in its finer zones gives a range.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import attrs
from pydantic import BaseModel, ConfigDict

from tthc.errors import InvalidValueError, NotFoundError
from tthc.foundation.data_files import load_json
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import LegalReference
from tthc.foundation.text import fold
from tthc.foundation.words import Joined, Words, words

__all__ = ["Zone", "ZoneLookup", "ZoneVocabulary", "lookup_zone", "zone_vocabulary"]


class Zone(TthcStrEnum):
    """A postal route zone (tuyến) between the applicant's address and the agency."""

    SAME_COMMUNE = "same_commune"  # nội xã (post-2025 vocabulary)
    SAME_DISTRICT = "same_district"  # nội huyện (before 1 Jul 2025)
    BETWEEN_DISTRICTS = "between_districts"  # liên huyện, one province (before 1 Jul 2025)
    WITHIN_PROVINCE = "within_province"  # nội tỉnh
    BETWEEN_PROVINCES = "between_provinces"  # liên tỉnh
    BETWEEN_PROVINCES_SAME_REGION = "between_provinces_same_region"  # liên tỉnh nội vùng (tariffs)
    BETWEEN_PROVINCES_NEAR_REGION = "between_provinces_near_region"  # liên tỉnh cận vùng (tariffs)
    BETWEEN_PROVINCES_FAR_REGION = "between_provinces_far_region"  # liên tỉnh cách vùng (tariffs)
    BETWEEN_PROVINCES_MAJOR_CITY = "between_provinces_major_city"  # to/from a special or class-I city (transit)
    BETWEEN_PROVINCES_OTHER = "between_provinces_other"  # between provinces, elsewhere (transit)

    @property
    def parent(self) -> Zone | None:
        """The next coarser zone (``None`` at the top)."""
        return _PARENT.get(self)

    @property
    def label_vi(self) -> str:
        return _LABELS[self]

    def ancestors(self) -> tuple[Zone, ...]:
        """This zone and every coarser one, nearest first."""
        out: list[Zone] = [self]
        while (p := out[-1].parent) is not None:
            out.append(p)
        return tuple(out)

    def descendants(self) -> tuple[Zone, ...]:
        """Every finer zone inside this one."""
        return tuple(z for z in Zone if z is not self and self in z.ancestors())

    @classmethod
    def parse(cls, value: object) -> Zone:
        """Read a zone from its code name or a Vietnamese label (``'nội huyện'``, ``'liên tỉnh'``...).

        Raises:
            InvalidValueError: the value names no zone.
        """
        if isinstance(value, Zone):
            return value
        if isinstance(value, str):
            folded = fold(value).replace("-", "_")
            for z in cls:
                if folded == z.value or folded == fold(z.label_vi):
                    return z
            alias = _ALIASES.get(folded)
            if alias is not None:
                return alias
        raise InvalidValueError(
            "route",
            words(N_("one of {choices} (or a Vietnamese label)"), choices=", ".join(z.value for z in cls)),
            value,
        )


_PARENT: dict[Zone, Zone] = {
    Zone.SAME_COMMUNE: Zone.SAME_DISTRICT,
    Zone.SAME_DISTRICT: Zone.WITHIN_PROVINCE,
    Zone.BETWEEN_DISTRICTS: Zone.WITHIN_PROVINCE,
    Zone.BETWEEN_PROVINCES_SAME_REGION: Zone.BETWEEN_PROVINCES,
    Zone.BETWEEN_PROVINCES_NEAR_REGION: Zone.BETWEEN_PROVINCES,
    Zone.BETWEEN_PROVINCES_FAR_REGION: Zone.BETWEEN_PROVINCES,
    Zone.BETWEEN_PROVINCES_MAJOR_CITY: Zone.BETWEEN_PROVINCES,
    Zone.BETWEEN_PROVINCES_OTHER: Zone.BETWEEN_PROVINCES,
}
_LABELS: dict[Zone, str] = {
    Zone.SAME_COMMUNE: "nội xã",
    Zone.SAME_DISTRICT: "nội huyện",
    Zone.BETWEEN_DISTRICTS: "liên huyện",
    Zone.WITHIN_PROVINCE: "nội tỉnh",
    Zone.BETWEEN_PROVINCES: "liên tỉnh",
    Zone.BETWEEN_PROVINCES_SAME_REGION: "liên tỉnh nội vùng",
    Zone.BETWEEN_PROVINCES_NEAR_REGION: "liên tỉnh cận vùng",
    Zone.BETWEEN_PROVINCES_FAR_REGION: "liên tỉnh cách vùng",
    Zone.BETWEEN_PROVINCES_MAJOR_CITY: "liên tỉnh đến thành phố loại đặc biệt, loại I",
    Zone.BETWEEN_PROVINCES_OTHER: "liên tỉnh nơi khác",
}
_ALIASES: dict[str, Zone] = {
    "noi vung": Zone.BETWEEN_PROVINCES_SAME_REGION,
    "can vung": Zone.BETWEEN_PROVINCES_NEAR_REGION,
    "cach vung": Zone.BETWEEN_PROVINCES_FAR_REGION,
    "same_province": Zone.WITHIN_PROVINCE,
    "intra_province": Zone.WITHIN_PROVINCE,
    "inter_province": Zone.BETWEEN_PROVINCES,
}


class _ZonesFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    cutover: IsoDay
    cutover_reference: LegalReference
    pre_cutover_only: tuple[Zone, ...]
    post_cutover_mapping: dict[Zone, Zone]
    post_cutover_reference: LegalReference


@attrs.frozen(slots=True)
class ZoneVocabulary:
    """Which zones are valid on a date, and how post-cut-over zones read the (district-based) tables.

    Attributes:
        cutover: first day without districts (1 Jul 2025 in the bundled data).
        pre_cutover_only: zones naming districts; invalid on or after ``cutover``.
        post_cutover_mapping: the zone a post-cut-over zone is looked up as ([open] default).
    """

    cutover: date
    cutover_reference: LegalReference
    pre_cutover_only: frozenset[Zone]
    post_cutover_mapping: Mapping[Zone, Zone]
    post_cutover_reference: LegalReference

    @classmethod
    def from_dict(cls, raw: Mapping[str, object]) -> ZoneVocabulary:
        m = _ZonesFile.model_validate(raw)
        return cls(
            m.cutover,
            m.cutover_reference,
            frozenset(m.pre_cutover_only),
            dict(m.post_cutover_mapping),
            m.post_cutover_reference,
        )

    def normalise(self, zone: Zone, on: date) -> tuple[Zone, Words | None, LegalReference | None]:
        """The zone to look tables up with on ``on``, and a note (with its reference) when it was mapped — worded in
        a language when shown (``note.text("vi")``; ``str(note)`` is the English).

        Raises:
            InvalidValueError: a district zone on or after the cut-over.
        """
        if on >= self.cutover:
            if zone in self.pre_cutover_only:
                raise InvalidValueError(
                    "route",
                    words(
                        N_(
                            "a zone without districts on or after {day} (same_commune, within_province, "
                            "between_provinces...)"
                        ),
                        day=self.cutover,
                    ),
                    zone.value,
                    detail=words(N_("districts were abolished ({document})"), document=self.cutover_reference.document),
                )
            mapped = self.post_cutover_mapping.get(zone, zone)
            if mapped is not zone:
                note = words(N_("post-2025 zone {zone} read as {key} [open]"), zone=zone, key=mapped)
                return mapped, note, self.post_cutover_reference
        return zone, None, None


def zone_vocabulary() -> ZoneVocabulary:
    """The bundled zone vocabulary (``postal_transit.json``)."""
    return ZoneVocabulary.from_dict(load_json("postal_transit.json")["zones"])


@attrs.frozen(slots=True)
class ZoneLookup:
    """How a zone was found in a table: the key used and whether the answer is a range (several finer zones)."""

    asked: Zone
    keys: tuple[Zone, ...]  # one key: exact or coarser match; several: the finer zones a coarse zone spans

    @property
    def is_range(self) -> bool:
        return len(self.keys) > 1

    def describe(self, lang: str | None = None) -> str:
        """``zone within_province spans same_district, between_districts`` / ``tuyến nội tỉnh gồm …`` in ``lang``
        (None: ``TTHC_LANG``, else Vietnamese)."""
        return self.words().text(lang)

    def words(self) -> Words:
        """:meth:`describe`, worded when shown."""
        if not self.is_range:
            key = self.keys[0]
            if key is self.asked:
                return words(N_("zone {zone}"), zone=self.asked)
            return words(N_("zone {zone} read at {key}"), zone=self.asked, key=key)
        return words(N_("zone {zone} spans {keys}"), zone=self.asked, keys=Joined(self.keys, ", "))


def lookup_zone(zone: Zone, available: frozenset[Zone] | set[Zone], *, what: str) -> ZoneLookup:
    """Find ``zone`` among the zones a table has values for.

    Walking from the zone to ever coarser ones, the first zone the table has wins; failing that, the finer zones
    inside it that the table has (a range). So ``within_province`` spans the same-district and between-districts
    prices, and a price-only zone such as ``between_provinces_near_region`` is timed as ``between_provinces``.

    Raises:
        NotFoundError: the table has nothing for this zone (``what`` names the table).
    """
    for z in zone.ancestors():
        if z in available:
            return ZoneLookup(zone, (z,))
        finer = tuple(d for d in z.descendants() if d in available)
        if finer:
            return ZoneLookup(zone, finer)
    have = ", ".join(sorted(z.value for z in available)) or words(N_("none"))
    raise NotFoundError(
        words(
            N_("{what}: no value for route zone {zone} (zones in the table: {have})"),
            what=what,
            zone=repr(zone.value),
            have=have,
        )
    )
