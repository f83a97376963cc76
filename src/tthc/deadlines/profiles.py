"""Portal convention profiles: named presets for how real one-stop systems count time.

A profile is data (``portal_profiles.json``): a name, what the system does, its source, and the few
:class:`~tthc.deadlines.counting.CountingRules` switches it changes — the receipt cut-off, a working day counted as a
number of working hours from the receipt instant, due instants rounded up on the wall clock. ``statutory`` is the law
as ``tthc`` reads it; ``opencps`` is "a day is 8 working hours, no 15:00 cut-off, due instants rounded up to the
quarter hour" (domain.md §2 [2nd]).

A profile is usable wherever due dates are computed: ``compute_due(..., profile="opencps")``,
``ValidationOptions(profile="opencps")`` (``tthc validate --profile opencps``) and ``Dossier.start(...,
profile="opencps")``. Validating a system's export under its own profile tells a systematic portal convention from a
real mismatch: rows that still disagree are real.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from tthc.deadlines.counting import CountingRules
from tthc.errors import InvalidValueError
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.i18n import N_
from tthc.foundation.references import LegalReference
from tthc.foundation.words import words

__all__ = ["STATUTORY", "PortalProfile", "load_profiles", "portal_profile"]

STATUTORY = "statutory"
"""The name of the default profile: the law as ``tthc`` reads it (changes nothing)."""


@cache
def _file_model() -> Any:
    """The profiles file's pydantic model, defined on first use: every ``compute_due`` imports this module, only a
    profile file needs pydantic."""
    from pydantic import BaseModel, ConfigDict, Field

    class _RulesRow(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")
        receipt_cutoff: bool = True
        day_as_working_hours: int | None = Field(default=None, ge=1, le=24)
        round_due_up_minutes: int | None = Field(default=None, ge=1, le=60)

    class _ProfileRow(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")
        name: str = Field(min_length=1)
        description: str
        rules: _RulesRow = Field(default_factory=_RulesRow)
        reference: LegalReference

    class _ProfileFile(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="ignore")
        profiles: tuple[_ProfileRow, ...]

    return _ProfileFile


@attrs.frozen(slots=True)
class PortalProfile:
    """A named counting convention of a one-stop system.

    Attributes:
        name: the profile's name (``statutory``, ``opencps``, ...).
        description: what the system does, in one sentence.
        reference: where the convention was seen (source code, a specification), with its tag.
        receipt_cutoff, day_as_working_hours, round_due_up_minutes: the :class:`CountingRules` switches it sets.
    """

    name: str
    description: str
    reference: LegalReference
    receipt_cutoff: bool = True
    day_as_working_hours: int | None = None
    round_due_up_minutes: int | None = None

    @property
    def is_statutory(self) -> bool:
        """The profile changes nothing: the law as ``tthc`` reads it."""
        return self.receipt_cutoff and self.day_as_working_hours is None and self.round_due_up_minutes is None

    def apply(self, rules: CountingRules) -> CountingRules:
        """``rules`` with this profile's switches set (the same object for the statutory profile)."""
        return _apply(self, rules)

    def __repr__(self) -> str:
        parts = []
        if not self.receipt_cutoff:
            parts.append("no cut-off")
        if self.day_as_working_hours is not None:
            parts.append(f"1 day = {self.day_as_working_hours} working hours")
        if self.round_due_up_minutes is not None:
            parts.append(f"due rounded up to {self.round_due_up_minutes} min")
        return f"<profile {self.name}: {', '.join(parts) or 'the law as read'} ({self.reference.document})>"


@cache
def _apply(profile: PortalProfile, rules: CountingRules) -> CountingRules:
    # cached so that the compiled plan of the rules (keyed by identity) is reused from call to call
    if profile.is_statutory:
        return rules
    return attrs.evolve(
        rules,
        receipt_cutoff=profile.receipt_cutoff,
        day_as_working_hours=profile.day_as_working_hours,
        round_due_up_minutes=profile.round_due_up_minutes,
    )


def load_profiles(path: str | Path | None = None) -> Mapping[str, PortalProfile]:
    """The profiles of a JSON file shaped like the bundled ``portal_profiles.json`` (the bundled one by default).

    Raises:
        DataFileError: the file cannot be read, does not match the schema, or names a profile twice.
    """
    if path is None:
        return _bundled()
    return _from_raw(read_json_file(path), str(path))


@cache
def _bundled() -> Mapping[str, PortalProfile]:
    return _from_raw(load_json("portal_profiles.json"), "tthc/data/portal_profiles.json")


def _from_raw(raw: object, source: str) -> Mapping[str, PortalProfile]:
    from tthc.errors import DataFileError

    data = validate_data(_file_model(), raw, source)
    out: dict[str, PortalProfile] = {}
    for row in data.profiles:
        if row.name in out:
            raise DataFileError(
                words(
                    N_("{source}: profiles: expected unique names, got {name} twice"),
                    source=source,
                    name=repr(row.name),
                )
            )
        r = row.rules
        out[row.name] = PortalProfile(
            row.name, row.description, row.reference, r.receipt_cutoff, r.day_as_working_hours, r.round_due_up_minutes
        )
    return out


def portal_profile(profile: PortalProfile | str) -> PortalProfile:
    """A profile by name (a :class:`PortalProfile` is returned as is).

    Raises:
        InvalidValueError: no bundled profile has that name (the message lists them).
    """
    if isinstance(profile, PortalProfile):
        return profile
    table = _bundled()
    if isinstance(profile, str):
        hit = table.get(profile.strip().lower())
        if hit is not None:
            return hit
    raise InvalidValueError("profile", words(N_("one of {choices}"), choices="|".join(table)), profile)
