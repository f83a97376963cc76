"""Numbers, codes and classes of bulk validation: the checks with their sources, the legal numbers they use
(``tthc/data/record_rules.json``) and the per-row timeliness codes."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import attrs
from pydantic import BaseModel, ConfigDict

from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.references import LegalReference

__all__ = ["CHECKS", "Check", "RecordRules", "Timeliness"]


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
    """One validation check: its code, severity, what it means and where the rule comes from."""

    code: str
    severity: Literal["error", "warning"]
    title: str
    source: str

    def __repr__(self) -> str:
        return f"<check {self.code} ({self.severity}): {self.title} [{self.source}]>"


def _check(code: str, title: str, source: str) -> tuple[str, Check]:
    return code, Check(code, "error" if code.startswith("E_") else "warning", title, source)


CHECKS: dict[str, Check] = dict(
    [
        _check("E_ENCODING", "a line cannot be decoded in the file's encoding", "reader"),
        _check(
            "E_UNREADABLE_RANGE",
            "a range of the input (a Parquet row group, a byte range of a CSV) could not be read; each row counted",
            "docs/scale.md",
        ),
        _check("E_SCHEMA", "a line has the wrong number of fields, or a required value is empty", "docs/records.md"),
        _check(
            "E_TYPE", "a cell cannot be read as its column's type (date, number, channel, status)", "docs/records.md"
        ),
        _check(
            "E_RANGE",
            "a date outside the working calendar's compiled range, or a due date that would fall outside it "
            "(working days cannot be counted there); the cell then counts as empty",
            "tthc.calendar: the compiled range of ValidationOptions.calendar (default 2000..2100, "
            "public_sector_schedule.json)",
        ),
        _check(
            "E_CHECK_FAILED",
            "the checks stopped on this row with an unexpected error (a defect in tthc: please report it); "
            "the row is counted invalid and the run goes on",
            "docs/reliability.md",
        ),
        _check(
            "E_DOSSIER_CODE",
            "dossier code not in the form <agency id>-YYMMDD-NNNN (or a known legacy form)",
            "TT 01/2018/TT-VPCP Điều 19",
        ),
        _check(
            "W_DOSSIER_CODE_DATE",
            "the date inside the dossier code differs from the receipt date",
            "TT 01/2018/TT-VPCP Điều 19",
        ),
        _check("E_DUPLICATE_DOSSIER", "the same dossier code appears on an earlier row", "TT 01/2018/TT-VPCP Điều 19"),
        _check("W_AGENCY_CODE", "agency code not in the QCVN 102:2016 form ddd.dd.dd.Hdd", "QCVN 102:2016/BTTTT"),
        _check("E_UNKNOWN_PROCEDURE", "procedure code not in the catalog", "catalog"),
        _check(
            "W_PROCEDURE_NOT_IN_FORCE",
            "the procedure was not in force on the receipt date",
            "catalog valid_from/valid_until",
        ),
        _check(
            "E_CHANNEL_NOT_OFFERED",
            "the catalog publishes no such channel for the procedure",
            "NĐ 61/2018/NĐ-CP Điều 16; catalog",
        ),
        _check(
            "E_DATE_ORDER",
            "dates out of order (receipt ≤ supplement request ≤ completion; receipt ≤ finish ≤ return)",
            "NĐ 61/2018/NĐ-CP Điều 17–20",
        ),
        _check(
            "E_DUE_MISMATCH",
            "the recorded due date differs from the one recomputed from receipt, procedure and channel",
            "NĐ 61/2018/NĐ-CP Điều 18.2; BLDS 2015 Điều 147–148",
        ),
        _check(
            "W_LATE_SUPPLEMENT_REQUEST",
            "supplement requested later than the allowed working days after receipt",
            "NĐ 61/2018/NĐ-CP Điều 19.4",
        ),
        _check(
            "W_REPEATED_SUPPLEMENT",
            "more than one supplement request (counted late by QĐ 766)",
            "NĐ 61/2018/NĐ-CP Điều 17; QĐ 766/QĐ-TTg",
        ),
        _check("E_SECOND_EXTENSION", "the return date was moved more than once", "NĐ 61/2018/NĐ-CP Điều 19.9"),
        _check(
            "W_LATE_EXTENSION",
            "the apology / new appointment was issued later than 1 day before the due date",
            "NĐ 61/2018/NĐ-CP Điều 19.9",
        ),
        _check(
            "W_EXTENSION_NOT_LATER",
            "the new appointment is not after the original due date",
            "NĐ 61/2018/NĐ-CP Điều 19.9",
        ),
        _check(
            "E_POSTAL_INELIGIBLE",
            "a postal dossier or result for a procedure excluded from BCCI",
            "QĐ 45/2016/QĐ-TTg Điều 1.2",
        ),
        _check(
            "E_TRACKING_FORMAT",
            "tracking number not a UPU S10 id (2 letters, 8 digits, check digit, country)",
            "UPU S10",
        ),
        _check("E_TRACKING_CHECK_DIGIT", "tracking number check digit wrong", "UPU S10"),
        _check(
            "W_TRACKING_MISSING", "postal dossier or result without a tracking number", "QĐ 45/2016/QĐ-TTg Điều 6–7"
        ),
        _check(
            "W_STATUS",
            "status and dates disagree (a terminal status without an end date, or the reverse)",
            "portal sync codes (domain.md §1)",
        ),
    ]
)


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    value: int
    reference: LegalReference


class RecordRules(BaseModel):
    """Numbers from legal texts used by the checks (bundled: ``tthc/data/record_rules.json``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    supplement_request_within_working_days: _Rule
    max_supplement_requests: _Rule
    extension_notice_days_before_due: _Rule
    max_extensions: _Rule

    @classmethod
    def default(cls) -> RecordRules:
        return cls.model_validate(load_json("record_rules.json"))

    @classmethod
    def load(cls, path: str | Path) -> RecordRules:
        """Rules from a JSON file shaped like the bundled one.

        Raises:
            DataFileError: the file cannot be read or does not match the schema.
        """
        return validate_data(
            cls, read_json_file(path), f"{path}: expected record rules like tthc/data/record_rules.json"
        )
