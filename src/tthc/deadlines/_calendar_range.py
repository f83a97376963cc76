"""A due date the compiled calendar cannot answer, said as the user asked for it — the one mapping from a
:class:`~tthc.errors.CalendarRangeError` met while computing a due date to the words a person reads.

The calendar refuses under its own parameter names (``date``, ``n``) and quotes the counting step that left its
range (the next working day after a 15:00 receipt, the day a month later) — values the user never typed. Both faces
of :func:`~tthc.deadlines.compute_due` name the receipt instead, as the user gave it: ``tthc due`` (``--received``)
and the service (``received_at`` of ``/v1/due``, ``/v1/due/batch`` and ``tthc batch due``). Each face builds its
own error from these words (the CLI an :class:`~tthc.errors.InvalidValueError`, the service a ``calendar-range``
problem), so that the two say the same thing.
"""

from __future__ import annotations

from datetime import date, datetime

import attrs

from tthc.deadlines.counting import to_local
from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import CalendarRangeError, TthcError
from tthc.foundation.i18n import N_
from tthc.foundation.words import Words, words

__all__ = ["OutsideCalendar", "receipt_outside_calendar"]


@attrs.frozen(slots=True)
class OutsideCalendar:
    """What a receipt should have been (``expected_words``) and, when the receipt itself lies in the range, why it
    still cannot be answered (``detail_words``: its processing time ends after the range); both worded when shown,
    as :class:`~tthc.errors.InvalidValueError`'s attributes of the same names."""

    expected_words: Words
    detail_words: Words | None = None


def receipt_outside_calendar(
    exc: CalendarRangeError,
    received: datetime | date,
    processing_time: ProcessingTime | str | None,
    procedure: object,
    first: date,
    last: date,
) -> OutsideCalendar | None:
    """The words for ``exc``, raised while computing the due date of a dossier received at ``received`` (naive:
    Vietnam time) with ``processing_time`` (None: the one ``procedure`` publishes) on a calendar compiled for
    ``first..last``.

    A receipt outside the range is named as such ("a receipt in 2000-01-01..2100-12-31 (the compiled range)"); a
    receipt in the range whose due date falls after it says which time ends after ``last``. None when ``exc`` names
    the processing time already (a time no receipt in the range can fit): that error is raised as it is.
    """
    if str(exc).startswith("processing_time:"):
        return None
    try:
        day = to_local(received).date() if isinstance(received, datetime) else received
    except (TthcError, OverflowError):  # not a receipt the calendar could look at: outside it
        day = None
    if day is None or not first <= day <= last:
        return OutsideCalendar(words(N_("a receipt in {first}..{last} (the compiled range)"), first=first, last=last))
    if processing_time is not None:
        text = processing_time.text if isinstance(processing_time, ProcessingTime) else processing_time
        detail = words(N_("{time} from it ends after {last}"), time=text or str(processing_time), last=last)
    else:
        detail = words(
            N_("the processing time of {procedure} from it ends after {last}"), procedure=procedure, last=last
        )
    return OutsideCalendar(
        words(N_("a receipt whose due date falls in {first}..{last} (the compiled range)"), first=first, last=last),
        detail,
    )
