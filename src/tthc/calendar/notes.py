"""The reasons a calendar gives for its days, in the reader's language.

A compiled :class:`~tthc.calendar.working_calendar.WorkingCalendar` keeps one note per day off and per make-up day,
written when the calendar is built: the ``holidays.VN`` name (English), the occasion of the public-sector schedule
(its Vietnamese name and the letter it comes from), or the user's own reason for an overlay. The notes stay as
built — the compiled days are cached and compared as they are — and :func:`day_note` words them for a language when
a trace or a phrase is shown:

* ``holidays.VN`` names become the names ``holidays`` ships in Vietnamese (``language="vi"``): ``29 Tết``,
  ``Mùng hai Tết Nguyên Đán``, ``Ngày nghỉ (thay cho ngày 14/02/2015)``. The calendar reads them when it is compiled
  (where ``holidays`` is imported anyway) and keeps them with its days — in the disk cache too — so wording a
  holiday never imports ``holidays``;
* a bundled schedule occasion uses its Vietnamese reference wording (the reference's ``document_vi`` in
  ``public_sector_schedule.json``, when the document is described in words rather than a letter number);
* the library's own phrases (a swapped weekday, a make-up day, an overlay without a reason) are translated;
* a user's reason (an overlay, a schedule file of one's own) is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Final

from tthc.foundation.data_files import load_json
from tthc.foundation.i18n import N_, format_day, gettext, resolve_lang
from tthc.foundation.references import bundled_reference

__all__ = ["day_note", "occasion_text"]

HOLIDAYS_SWAP: Final = " [holidays.VN swap]"
_SWAP_MARK: Final = N_("[holidays.VN swap]")  # the mark of a day holidays.VN swapped, in the note's language
_SWAPPED_WEEKDAY: Final = "swapped weekday off, "
_CULTURE_SUFFIX: Final = " (Ngày Văn hóa Việt Nam, Nghị quyết 80-NQ/TW) [open]"
_MAKE_UP_FOR: Final = re.compile(r"^make-up working day for (\d{4}-\d{2}-\d{2})" + re.escape(HOLIDAYS_SWAP) + "$")
# the library's fixed notes (working_calendar.py writes them in English when it builds a calendar)
_FIXED: Final = frozenset(
    (
        N_("extra day off (overlay)"),
        N_("extra working day (overlay)"),
        N_("overlay"),
        N_("day off"),
        N_("make-up working day [holidays.VN swap]"),
    )
)


def day_note(d: date, note: str, lang: str | None = None, names_vi: Mapping[date, str] | None = None) -> str:
    """The calendar's note for ``d`` in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

    English is the note as built; Vietnamese is worded as the module docstring says, and a note it does not know
    (a user's own reason) is returned as written.

    Args:
        d: the day the note belongs to.
        note: the calendar's note for ``d``, as built (English).
        lang: the language.
        names_vi: the calendar's Vietnamese names of its ``holidays.VN`` days off — the days whose note is
            ``holidays.VN``'s English name (``WorkingCalendar.holiday_names_vi``); None or a day it does not list:
            the note is not a ``holidays.VN`` name and is kept as written.
    """
    code = resolve_lang(lang)
    if code == "en":
        return note
    vi = None if names_vi is None else names_vi.get(d)
    if vi is not None:  # a holidays.VN day (never a schedule occasion's): worded without reading the schedule file
        if note.endswith(_CULTURE_SUFFIX):
            return f"{vi} (Nghị quyết 80-NQ/TW) [open]"
        return vi + (" " + gettext(_SWAP_MARK, code) if note.endswith(HOLIDAYS_SWAP) else "")
    occasion = _occasions_vi().get(note)
    if occasion is not None:
        return occasion
    if note.startswith(_SWAPPED_WEEKDAY):
        rest = note.removeprefix(_SWAPPED_WEEKDAY)
        return gettext("swapped weekday off, {occasion}", code).format(occasion=_occasions_vi().get(rest, rest))
    if note in _FIXED:
        return gettext(note, code)
    m = _MAKE_UP_FOR.match(note)
    if m:
        day = format_day(date.fromisoformat(m[1]), code, with_weekday=False)
        return gettext("make-up working day for {day} [holidays.VN swap]", code).format(day=day)
    return note  # not a holidays.VN name: a user's reason, kept as written


def occasion_text(occasion: str, year: int, reference: str) -> str:
    """How a schedule occasion names its days in a calendar's notes: ``Tết Dương lịch 2026 (12729/VPCP-KGVX,
    25/12/2025 [2nd])`` (``reference``: the reference cited in a line, in the note's language)."""
    return f"{occasion} {year} ({reference})"


@cache
def _occasions_vi() -> dict[str, str]:
    """The bundled schedule's occasion notes (as the calendar has them) → their Vietnamese wording.

    Read as written, without the file's pydantic models (the file ships with the package; the tests compare this
    with the validated schedule's own wording): a Vietnamese trace through a listed occasion imports no pydantic.
    """
    out = {}
    for occ in load_json("public_sector_schedule.json")["occasions"]:
        ref = bundled_reference(occ["reference"])
        out[occasion_text(occ["occasion"], occ["year"], str(ref))] = occasion_text(
            occ["occasion"], occ["year"], ref.text("vi")
        )
    return out
