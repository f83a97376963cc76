"""Numbers, codes and classes of bulk validation: the checks with their sources, the legal numbers they use
(``tthc/data/record_rules.json``), the per-row timeliness codes, and the message templates of the findings.

A finding's ``code`` and ``field`` are machine names (English); its ``message`` is human text, written in the
language of ``ValidationOptions.lang`` (Vietnamese by default). Each message is a template of :data:`MESSAGES`,
translated once per language (:func:`message`) and filled per row, so the per-row cost is the same in both
languages."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import ClassVar, Literal

import attrs

from tthc.foundation.bundled import bundled_model
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.data_value import DataValue, data_value
from tthc.foundation.i18n import N_, gettext
from tthc.foundation.references import LegalReference
from tthc.foundation.words import words

__all__ = ["CHECKS", "MESSAGES", "Check", "RecordRules", "Timeliness", "check_title", "message"]


class Timeliness:
    """Per-row timeliness codes (int8) of :attr:`ChunkResult.timeliness_pause` / ``timeliness_restart``.

    ``EARLY`` / ``ON_TIME`` / ``LATE`` are the portal classes (trước hạn / đúng hạn / trễ hạn, TT 01/2018 Điều 13).
    An open dossier is judged at :attr:`ValidationOptions.as_of`: ``OPEN_WITHIN`` (still within time — counted
    as on time by QĐ 766 2.1) or ``OPEN_OVERDUE`` (counted late). ``UNKNOWN``: no due date, or open with no
    ``as_of``, or the row cannot be judged (not received, unreadable dates).
    """

    UNKNOWN = 0
    EARLY = 1
    ON_TIME = 2
    LATE = 3
    OPEN_WITHIN = 4
    OPEN_OVERDUE = 5
    NAMES = ("unknown", "early", "on_time", "late", "open_within_time", "open_overdue")


@attrs.frozen(slots=True)
class Check:
    """One validation check: its code, severity, what it means and where the rule comes from.

    ``title`` is marked for translation (:func:`check_title`); so is ``source`` when it is in words (the catalog, the
    reader, ...) — a path or a legal citation stays as written: ``gettext(source, lang)`` shows either."""

    code: str
    severity: Literal["error", "warning"]
    title: str
    source: str

    def __repr__(self) -> str:
        return f"<check {self.code} ({self.severity}): {self.title} [{self.source}]>"


def check_title(code: str, lang: str | None = None) -> str:
    """What a check code means (:data:`CHECKS`), in ``lang`` (None: ``TTHC_LANG``, else Vietnamese).

    Raises:
        KeyError: not a check code.
    """
    return gettext(CHECKS[code].title, lang)


def _check(code: str, title: str, source: str) -> tuple[str, Check]:
    return code, Check(code, "error" if code.startswith("E_") else "warning", title, source)


CHECKS: dict[str, Check] = dict(
    [
        _check("E_ENCODING", N_("a line cannot be decoded in the file's encoding"), N_("reader")),
        _check(
            "E_UNREADABLE_RANGE",
            N_("a range of the input (a Parquet row group, a byte range of a CSV) could not be read; each row counted"),
            "docs/scale.md",
        ),
        _check(
            "E_SCHEMA", N_("a line has the wrong number of fields, or a required value is empty"), "docs/records.md"
        ),
        _check(
            "E_TYPE",
            N_("a cell cannot be read as its column's type (date, number, channel, status)"),
            "docs/records.md",
        ),
        _check(
            "E_RANGE",
            N_(
                "a date outside the working calendar's compiled range, or a due date that would fall outside it "
                "(working days cannot be counted there); the cell then counts as empty"
            ),
            N_(
                "tthc.calendar: the compiled range of ValidationOptions.calendar (default 2000..2100, "
                "public_sector_schedule.json)"
            ),
        ),
        _check(
            "E_CHECK_FAILED",
            N_(
                "the checks stopped on this row with an unexpected error (a defect in tthc: please report it); "
                "the row is counted invalid and the run goes on"
            ),
            "docs/reliability.md",
        ),
        _check(
            "E_DOSSIER_CODE",
            N_("dossier code not in the form <agency id>-YYMMDD-NNNN (or a known legacy form)"),
            "TT 01/2018/TT-VPCP Điều 19",
        ),
        _check(
            "W_DOSSIER_CODE_DATE",
            N_("the date inside the dossier code differs from the receipt date"),
            "TT 01/2018/TT-VPCP Điều 19",
        ),
        _check(
            "E_DUPLICATE_DOSSIER", N_("the same dossier code appears on an earlier row"), "TT 01/2018/TT-VPCP Điều 19"
        ),
        _check("W_AGENCY_CODE", N_("agency code not in the QCVN 102:2016 form ddd.dd.dd.Hdd"), "QCVN 102:2016/BTTTT"),
        _check("E_UNKNOWN_PROCEDURE", N_("procedure code not in the catalog"), N_("catalog")),
        _check(
            "W_PROCEDURE_NOT_IN_FORCE",
            N_("the procedure was not in force on the receipt date"),
            N_("catalog valid_from/valid_until"),
        ),
        _check(
            "E_CHANNEL_NOT_OFFERED",
            N_("the catalog publishes no such channel for the procedure"),
            N_("NĐ 61/2018/NĐ-CP Điều 16; catalog"),
        ),
        _check(
            "E_DATE_ORDER",
            N_("dates out of order (receipt ≤ supplement request ≤ completion; receipt ≤ finish ≤ return)"),
            "NĐ 61/2018/NĐ-CP Điều 17–20",
        ),
        _check(
            "E_DUE_MISMATCH",
            N_("the recorded due date differs from the one recomputed from receipt, procedure and channel"),
            "NĐ 61/2018/NĐ-CP Điều 18.2; BLDS 2015 Điều 147–148",
        ),
        _check(
            "W_LATE_SUPPLEMENT_REQUEST",
            N_("supplement requested later than the allowed working days after receipt"),
            "NĐ 61/2018/NĐ-CP Điều 19.4",
        ),
        _check(
            "W_REPEATED_SUPPLEMENT",
            N_("more than one supplement request (counted late by QĐ 766)"),
            "NĐ 61/2018/NĐ-CP Điều 17; QĐ 766/QĐ-TTg",
        ),
        _check("E_SECOND_EXTENSION", N_("the return date was moved more than once"), "NĐ 61/2018/NĐ-CP Điều 19.9"),
        _check(
            "W_LATE_EXTENSION",
            N_("the apology / new appointment was issued later than 1 day before the due date"),
            "NĐ 61/2018/NĐ-CP Điều 19.9",
        ),
        _check(
            "W_EXTENSION_NOT_LATER",
            N_("the new appointment is not after the original due date"),
            "NĐ 61/2018/NĐ-CP Điều 19.9",
        ),
        _check(
            "E_POSTAL_INELIGIBLE",
            N_("a postal dossier or result for a procedure excluded from BCCI"),
            "QĐ 45/2016/QĐ-TTg Điều 1.2",
        ),
        _check(
            "E_TRACKING_FORMAT",
            N_("tracking number not a UPU S10 id (2 letters, 8 digits, check digit, country)"),
            "UPU S10",
        ),
        _check("E_TRACKING_CHECK_DIGIT", N_("tracking number check digit wrong"), "UPU S10"),
        _check(
            "W_TRACKING_MISSING", N_("postal dossier or result without a tracking number"), "QĐ 45/2016/QĐ-TTg Điều 6–7"
        ),
        _check(
            "W_STATUS",
            N_("status and dates disagree (a terminal status without an end date, or the reverse)"),
            N_("portal sync codes (domain.md §1)"),
        ),
    ]
)


@data_value
class _Rule(DataValue):
    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid"}
    value: int
    reference: LegalReference


@data_value
class RecordRules(DataValue):
    """Numbers from legal texts used by the checks (bundled: ``tthc/data/record_rules.json``)."""

    # validated on first use (a user's file): the bundled file is read as written (the tests validate it and compare)
    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "ignore"}

    supplement_request_within_working_days: _Rule
    max_supplement_requests: _Rule
    extension_notice_days_before_due: _Rule
    max_extensions: _Rule

    @classmethod
    def default(cls) -> RecordRules:
        return bundled_model(cls, load_json("record_rules.json"))

    @classmethod
    def load(cls, path: str | Path) -> RecordRules:
        """Rules from a JSON file shaped like the bundled one.

        Raises:
            DataFileError: the file cannot be read or does not match the schema.
        """
        shape = words(N_("{path}: expected record rules like tthc/data/record_rules.json"), path=str(path))
        return validate_data(cls, read_json_file(path), shape)


MESSAGES: dict[str, str] = {
    # E_RANGE
    "date_outside_calendar": N_("expected a date in {span} (the working calendar's range), got {given}"),
    "due_outside_calendar": N_(
        "expected a due date in {span} (the working calendar's range), got one after it: received {received} + {time}"
    ),
    "restart_outside_calendar": N_(
        "expected the due date restarted after the supplement (NĐ 61/2018 Điều 19.4) in {span} (the working "
        "calendar's range), got one after it"
    ),
    "pause_outside_calendar": N_(
        "expected the due date moved by the supplement's {days} working days (QĐ 766) in {span} (the working "
        "calendar's range), got one after it"
    ),
    # E_DUE_MISMATCH
    "due_mismatch": N_(
        "recorded due {recorded}, recomputed {expected} from {received} + {time} ({channel}); trace: {trace}"
    ),
    "no_time_published": N_("no processing time published for this channel"),
    "trace_not_available": N_("not available ({error})"),
    # supplements and extensions
    "late_supplement": N_(
        "supplement requested {requested}, more than {limit} working days after the receipt day {day} "
        "(received {received})"
    ),
    "repeated_supplement": N_("{count} supplement requests; the law allows {limit} (QĐ 766 counts the dossier late)"),
    "second_extension": N_("the return date was moved {count} times; at most {limit} allowed"),
    "extension_not_later": N_("new appointment {new} is not after the due date {due}"),
    "late_extension": N_("apology issued {issued}, less than {notice} working day(s) before the due date {due}"),
    # E_SCHEMA, identifiers
    "required_empty": N_("expected a value in required column {column}, got an empty cell"),
    "expected_given": N_("expected {expected}, got {given}"),
    "code_date": N_("the code says received on {code_day}, received_at is {received}"),
    # catalog
    "unknown_procedure": N_("procedure {procedure} is not in the catalog"),
    "channel_not_offered": N_("procedure {procedure} publishes no {channel} channel (published: {published})"),
    "not_in_force": N_("procedure {procedure} is in force {validity}, received {day}"),
    # dates (E_DATE_ORDER: the template, then what each pair of tthc.validation.steps.DATE_ORDER means)
    "date_order": N_("{what}: {later} {later_at} < {earlier} {earlier_at}"),
    "finished before it was received": N_("finished before it was received"),
    "due before it was received": N_("due before it was received"),
    "result returned before processing finished": N_("result returned before processing finished"),
    "result returned before the dossier was received": N_("result returned before the dossier was received"),
    "supplement requested before receipt": N_("supplement requested before receipt"),
    "supplement completed before it was requested": N_("supplement completed before it was requested"),
    # postal
    "tracking_missing": N_("postal dossier or result without a tracking number"),
    "tracking_format": N_("expected a UPU S10 id such as 'EB123456785VN', got {given}"),
    "tracking_digit": N_("expected check digit {digit} for serial {serial}, got {given} (UPU S10)"),
    "postal_ineligible": N_("procedure {procedure} cannot be done by post: {reason}"),
    # status
    "status_no_finish": N_("status {status} but no finished_at"),
    "status_open_finished": N_("status {status} but finished_at is {finished}"),
    "status_no_return": N_("status returned but no returned_at"),
    # a defect (E_CHECK_FAILED) and the run-wide duplicate check (E_DUPLICATE_DOSSIER)
    "check_failed": N_("the checks stopped on this row with an unexpected error ({error}); please report it to tthc"),
    "duplicate_code": N_("dossier code {code} already on row {row}"),
    "duplicate_code_in_file": N_("dossier code {code} already on row {row} of {file}"),
}
"""The message templates of the findings, by name: English, marked for translation, filled per row."""


@cache
def message(name: str, lang: str) -> str:
    """The template ``name`` of :data:`MESSAGES` in ``lang`` (a resolved code), translated once per language."""
    return gettext(MESSAGES[name], lang)
