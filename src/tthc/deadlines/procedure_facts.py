"""What the deadline engine reads of a procedure, as a protocol.

The deadline layer sits below the catalog (the catalog's procedures carry processing times, not the other way
round), so it names the few attributes it needs instead of importing :class:`tthc.catalog.Procedure`, which
satisfies this protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import InvalidValueError
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.i18n import N_, gettext, resolve_lang
from tthc.foundation.words import words

__all__ = ["ProcedureFacts", "PublishedRow", "PublishedTime", "published_time"]


class PublishedRow(Protocol):
    """One published channel row (cách thức thực hiện) as the deadline engine reads it."""

    @property
    def processing_time(self) -> ProcessingTime | None: ...

    @property
    def processing_time_text(self) -> str: ...

    @property
    def case(self) -> str | None: ...

    @property
    def online_level(self) -> OnlineLevel | None: ...


class ProcedureFacts(Protocol):
    """A procedure as the deadline engine sees it: its code, its field (lĩnh vực), its implementing levels and its
    published channel rows (each with its own processing time)."""

    @property
    def code(self) -> str: ...

    @property
    def field(self) -> str | None: ...

    @property
    def levels(self) -> Iterable[str]: ...

    def options(self, channel: Channel) -> Sequence[PublishedRow]: ...


@attrs.frozen(slots=True)
class PublishedTime:
    """The published processing time used for a channel, and which row it came from.

    Attributes:
        processing_time: the time of the row used.
        channel: the channel whose rows were read.
        row: 1-based index of the row used among the channel's published rows; ``rows`` their number.
        case: the row's case label (normal / complex case) when published.
        online_level: the row's online level (full / partial) when published.
    """

    processing_time: ProcessingTime
    channel: Channel
    row: int
    rows: int
    case: str | None
    online_level: OnlineLevel | None = None

    def describe(self, code: str, lang: str | None = None) -> str:
        """One trace line: ``processing time published for procedure 1.000178, channel postal: row 1 of 2
        ('15 Ngày làm việc')``, in ``lang`` (None: ``TTHC_LANG``, else Vietnamese)."""
        code_lang = resolve_lang(lang)
        text = self.processing_time.text or str(self.processing_time)
        channel = self.channel.label_vi.lower() if code_lang == "vi" else self.channel.value
        if self.case:
            template = gettext(
                "processing time published for procedure {code}, channel {channel}: row {row} of {rows}, case "
                "{case} ({text})",
                code_lang,
            )
        else:
            template = gettext(
                "processing time published for procedure {code}, channel {channel}: row {row} of {rows} ({text})",
                code_lang,
            )
        return template.format(
            code=code, channel=channel, row=self.row, rows=self.rows, case=repr(self.case), text=repr(text)
        )


def published_time(procedure: ProcedureFacts, channel: Channel) -> PublishedTime:
    """The first published row of ``channel`` that states a processing time — the one way ``tthc`` picks a
    procedure's time (:func:`~tthc.deadlines.compute_due`, the ``Dossier``, ``tthc due`` and the HTTP service).

    Raises:
        InvalidValueError: the procedure publishes no processing time for that channel (the message names the
            procedure and the channel).
    """
    rows = tuple(procedure.options(channel))
    for i, row in enumerate(rows, 1):
        if row.processing_time is not None:
            return PublishedTime(row.processing_time, channel, i, len(rows), row.case, row.online_level)
    what = words(N_("no row")) if not rows else words(N_("{count} row(s) without an understood time"), count=len(rows))
    raise InvalidValueError(
        "processing_time",
        words(N_("a processing time, or a procedure that publishes one for channel {channel}"), channel=channel),
        None,
        detail=words(
            N_("procedure {procedure} has {what} for {channel}"),
            procedure=str(procedure.code),
            what=what,
            channel=channel,
        ),
    )
