"""The import report of :func:`tthc.catalog.import_portal`: one entry per input record, and coverage figures.

Coverage definitions (used by ``tthc import-portal`` and the conformance test):

* **processing time**: a channel row counts as *explicit* when its time was parsed into a unit and an amount, is
  ``Không quy định`` (unspecified), a bare figure (unit unknown — kept, never guessed), or the cell says the portal
  has no information (``Không có thông tin`` / empty: *not stated*). Only *unparsed* rows are not explicit.
* **fees**: over the rows whose fee cell states something (not empty / ``Không có thông tin``), the share whose every
  fee was read into an amount + currency (+ kind when the text names it), a percentage, or an explicit *free*.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import ConfigDict, Field, PrivateAttr, computed_field

from tthc.deadlines.processing_time import TimeUnit
from tthc.foundation.arguments import CheckedModel
from tthc.foundation.channels import Channel
from tthc.foundation.i18n import N_, gettext, resolve_lang
from tthc.foundation.words import Worded

__all__ = [
    "ChannelRowReport",
    "Coverage",
    "ImportIssue",
    "ImportReport",
    "RecordReport",
    "TimeStatus",
    "UnparsedText",
    "severity_name",
]

TimeStatus = Literal["parsed", "unknown_unit", "unspecified", "not_stated", "unparsed"]
FeeStatusField = Literal["parsed", "free", "not_stated", "partial", "unparsed"]
Severity = Literal["error", "unparsed", "warning", "note"]
RecordStatus = Literal["imported", "imported_with_issues", "failed"]


class _Frozen(CheckedModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ImportIssue(_Frozen):
    """Something about one record: ``error`` (not imported), ``unparsed`` (a text kept but not understood),
    ``warning`` (imported, worth a look) or ``note`` (how an inference was made).

    ``reason`` is in English (the JSON report is read by programs); the importer also keeps what it says as
    :class:`~tthc.foundation.words.Words` (:attr:`said`), so :meth:`reason_in` and :meth:`explain` word it in the
    reader's language. ``text`` is the text as read, except a note's English line that quotes conflicting
    statements, kept worded too (:meth:`text_in`).
    """

    field: str
    text: str
    reason: str
    severity: Severity
    _said: Worded | None = PrivateAttr(default=None)  # absent when built by hand or read from JSON
    _text_said: Worded | None = PrivateAttr(default=None)

    @classmethod
    def worded(
        cls, field: str, text: str, said: Worded, severity: Severity, *, text_said: Worded | None = None
    ) -> ImportIssue:
        """An issue whose reason is ``said`` (``reason`` holds it in English); ``text_said``: ``text`` worded, when
        it is not only the text as read."""
        issue = cls(field=field, text=text, reason=said.text("en"), severity=severity)
        issue._said = said
        issue._text_said = text_said
        return issue

    @property
    def said(self) -> Worded | None:
        """What ``reason`` says, to word in any language (None: an issue built by hand or read from JSON)."""
        return self._said

    def text_in(self, lang: str | None = None) -> str:
        """``text`` in ``lang``: as read, or the worded line of conflicting statements."""
        return self._text_said.text(lang) if self._text_said is not None else self.text

    def reason_in(self, lang: str | None = None) -> str:
        """The reason in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

        Without :attr:`said`, the importer's fixed reasons are still translated; any other text is shown as given.
        """
        if self._said is not None:
            return self._said.text(lang)
        return gettext(self.reason, lang) if self.reason in _FIXED_REASONS else self.reason

    def explain(self, lang: str | None = None) -> str:
        """``[unparsed] channels: no channel table ('…')`` in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``,
        else Vietnamese). The field and the text are shown as read."""
        code = resolve_lang(lang)
        reason = self.reason_in(code)
        return f"{gettext(_SEVERITY_MARKS[self.severity], code)} {self.field}: {reason} ({self.text_in(code)[:80]!r})"

    def __str__(self) -> str:
        return f"[{self.severity}] {self.field}: {self.reason} ({self.text[:80]!r})"


def severity_name(severity: str, lang: str | None = None) -> str:
    """The name of an issue severity in ``lang``: ``unparsed`` / ``chưa đọc được`` (the mark without brackets)."""
    return gettext(_SEVERITY_MARKS[severity], lang).strip("[]")


_SEVERITY_MARKS: dict[str, str] = {
    "error": N_("[error]"),
    "unparsed": N_("[unparsed]"),
    "warning": N_("[warning]"),
    "note": N_("[note]"),
}
_FIXED_REASONS = (  # the importer's reasons that carry no value (tthc.catalog.portal_import): translated when shown
    N_("no channel table"),
    N_("missing (kept empty)"),
    N_("unknown channel (expected Trực tiếp / Trực tuyến / Dịch vụ bưu chính)"),
)


class ChannelRowReport(_Frozen):
    """How one channel row was read."""

    channel: Channel
    time_text: str
    time_status: TimeStatus
    unit: TimeUnit | None = None
    fee_text: str
    fee_status: FeeStatusField


class RecordReport(_Frozen):
    """One input record: where it was (source file, 1-based row), its code, what was parsed and what was not."""

    source: str | None = None
    row: int
    code: str | None = None
    shape: Literal["national", "defence", "unknown"]
    status: RecordStatus
    parsed: tuple[str, ...] = ()
    channel_rows: tuple[ChannelRowReport, ...] = ()
    issues: tuple[ImportIssue, ...] = ()

    @property
    def imported(self) -> bool:
        return self.status != "failed"


class UnparsedText(_Frozen):
    """A text that could not be read, with how often it occurred."""

    field: str
    text: str
    reason: str
    count: int
    _said: Worded | None = PrivateAttr(default=None)

    def reason_in(self, lang: str | None = None) -> str:
        """The reason in ``lang`` (see :meth:`ImportIssue.reason_in`)."""
        if self._said is not None:
            return self._said.text(lang)
        return gettext(self.reason, lang) if self.reason in _FIXED_REASONS else self.reason


class Coverage(_Frozen):
    """Figures over an import (see the module docstring for the definitions)."""

    records_in: int
    imported: int
    imported_with_issues: int
    failed: int
    channel_rows: int
    time_status: dict[str, int]
    time_units: dict[str, int]
    fee_status: dict[str, int]
    issues: dict[str, int] = Field(description="issues per severity: error, unparsed, warning, note")
    share_time_explicit: float = Field(description="rows with a parsed / unspecified / unknown-unit / not-stated time")
    share_time_parsed_or_unknown_unit: float = Field(description="the same, without the not-stated rows")
    share_fee_parsed: float = Field(description="rows with a stated fee whose every fee line was read")


class ImportReport(_Frozen):
    """One :class:`RecordReport` per input record, in input order."""

    records: tuple[RecordReport, ...] = ()

    def __len__(self) -> int:
        return len(self.records)

    @property
    def failed(self) -> tuple[RecordReport, ...]:
        return tuple(r for r in self.records if r.status == "failed")

    @property
    def with_issues(self) -> tuple[RecordReport, ...]:
        return tuple(r for r in self.records if r.status == "imported_with_issues")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def coverage(self) -> Coverage:
        # rows of failed records (a duplicate was read, then refused) are not in the catalog: not counted
        rows = [c for r in self.records if r.status != "failed" for c in r.channel_rows]
        n = len(rows)
        time_status = Counter(c.time_status for c in rows)
        fee_status = Counter(c.fee_status for c in rows)
        units = Counter(c.unit.value for c in rows if c.unit is not None)
        stated_fees = n - fee_status["not_stated"]
        return Coverage(
            records_in=len(self.records),
            imported=sum(1 for r in self.records if r.status != "failed"),
            imported_with_issues=sum(1 for r in self.records if r.status == "imported_with_issues"),
            failed=sum(1 for r in self.records if r.status == "failed"),
            channel_rows=n,
            time_status=dict(time_status.most_common()),
            time_units=dict(units.most_common()),
            fee_status=dict(fee_status.most_common()),
            issues=dict(Counter(i.severity for r in self.records for i in r.issues).most_common()),
            share_time_explicit=_share(n - time_status["unparsed"], n),
            share_time_parsed_or_unknown_unit=_share(n - time_status["unparsed"] - time_status["not_stated"], n),
            share_fee_parsed=_share(fee_status["parsed"] + fee_status["free"], stated_fees),
        )

    def unparsed_texts(self, limit: int | None = 20) -> tuple[UnparsedText, ...]:
        """The texts not understood (severity ``unparsed`` and ``error``), most frequent first."""
        counts: Counter[tuple[str, str, str]] = Counter()
        said: dict[tuple[str, str, str], Worded | None] = {}
        for r in self.records:
            for i in r.issues:
                if i.severity in ("unparsed", "error"):
                    field = i.field.split("(")[-1].split(")")[-1].lstrip(".") or i.field.split("[")[0]
                    key = (field, i.text, i.reason)
                    counts[key] += 1
                    said.setdefault(key, i.said)
        return tuple(_unparsed_text(key, c, said[key]) for key, c in counts.most_common(limit))


def _unparsed_text(key: tuple[str, str, str], count: int, said: Worded | None) -> UnparsedText:
    field, text, reason = key
    out = UnparsedText(field=field, text=text, reason=reason, count=count)
    out._said = said
    return out


def _share(part: int, whole: int) -> float:
    return 1.0 if whole == 0 else part / whole
