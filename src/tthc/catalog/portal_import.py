"""Import the national portal's procedure exports into a :class:`~tthc.catalog.model.Catalog`, with a per-record report.

Two real export shapes are understood (see ``data/real/README.md``):

* **national** (``portal_national_2642``): flat fields ``ma_thu_tuc``, ``ten_thu_tuc``, ``cap_thuc_hien``,
  ``linh_vuc``, ``cach_thuc_thuc_hien`` (the channel table flattened into one string), ``yeu_cau_dieu_kien``...;
* **defence** (``portal_defence_207``): ``metadata`` / ``content`` / ``tables.hinh_thuc_nop[]`` rows
  ``{hinh_thuc, thoi_han_giai_quyet, phi_le_phi, mo_ta}``. Nested values given as JSON or Python-repr strings
  are decoded (and the report says so).

Every input record ends up in the :class:`ImportReport` — imported, imported with issues, or failed with the reason
(malformed JSON, undecodable bytes, unknown shape, missing or impossible code, a code that is no text, a NUL or other
C0 control character in any text, duplicate code). Nothing is dropped silently and no value is invented: a text that
could not be read stays visible in the catalog and in the report. Where text is expected, a JSON number is read as
written (with a note) and an object, a list or true/false leaves the field empty with an issue — never its repr.

Duplicate codes within one import: the **first** record is kept; each later one is a ``failed`` entry naming the
row that was kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Literal, NamedTuple

import attrs
from pydantic import ValidationError

from tthc.catalog.free_text import (
    _CACHE_SIZE,
    ChannelTableRow,
    FeeParse,
    FeeStatus,
    FlatChannelTable,
    Unparsed,
    infer_presence_and_authorisation,
    is_no_information,
    parse_fee_text,
    parse_levels,
    parse_processing_time,
    split_flat_channel_table,
)
from tthc.catalog.import_report import (
    ChannelRowReport,
    ImportIssue,
    ImportReport,
    RecordReport,
    Severity,
    TimeStatus,
)
from tthc.catalog.legal_basis import flat_legal_basis, legal_basis
from tthc.catalog.model import LegalBasis, Procedure, Tri
from tthc.catalog.portal_files import RawRecord, decode_line
from tthc.catalog.portal_values import (
    RefusedText,
    as_text,
    cell_text,
    code_hint,
    control_character,
    decode_nested,
    field_text,
)
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import InvalidValueError
from tthc.foundation.channels import Channel
from tthc.foundation.error_words import ErrorWords
from tthc.foundation.i18n import N_
from tthc.foundation.ids import ProcedureCode
from tthc.foundation.words import Worded, Words, words

__all__ = ["Parsed", "assemble", "import_record", "keep_first", "parse_portal_rows", "parse_record"]

Shape = Literal["national", "defence", "unknown"]


def parse_portal_rows(rows: Iterable[object], *, source: str | None = None) -> tuple[list[Procedure], ImportReport]:
    """Parse export rows (dicts, JSON text lines, bytes, or :class:`RawRecord`) into procedures and a report.

    The report has exactly one entry per input row; a duplicate code keeps the first record.
    :func:`tthc.catalog.import_portal` wraps this into a :class:`~tthc.catalog.Catalog`.
    """
    return keep_first(import_record(_as_raw(item, i, source)) for i, item in enumerate(rows, 1))


def keep_first(results: Iterable[tuple[Procedure | None, RecordReport]]) -> tuple[list[Procedure], ImportReport]:
    """The procedures and the report of records imported one by one (:func:`import_record`), in input order.

    A code met again fails its record, naming the row (and file) that was kept: decided here, over the whole
    input, so records parsed in separate processes are reported as in one.
    """
    kept: dict[str, tuple[int, str | None]] = {}
    procedures: list[Procedure] = []
    reports: list[RecordReport] = []
    for proc, rep in results:
        if proc is not None:
            first = kept.get(proc.code)
            if first is not None:
                if first[1] and first[1] != rep.source:
                    said = words(_DUPLICATE_IN, row=first[0], source=first[1])
                else:
                    said = words(_DUPLICATE, row=first[0])
                duplicate = ImportIssue.worded("code", str(proc.code), said, "error")
                rep = rep.model_copy(update={"status": "failed", "issues": (*rep.issues, duplicate)})
            else:
                kept[proc.code] = (rep.row, rep.source)
                procedures.append(proc)
        reports.append(rep)
    return procedures, ImportReport(records=tuple(reports))


_DUPLICATE = N_("duplicate code: already imported from row {row}; the first record is kept")
_DUPLICATE_IN = N_("duplicate code: already imported from row {row} of {source}; the first record is kept")


def _as_raw(item: object, index: int, source: str | None) -> RawRecord:
    if isinstance(item, RawRecord):
        return item
    if isinstance(item, Mapping):
        return RawRecord(source, index, data=dict(item))
    if isinstance(item, str | bytes):
        return decode_line(source, index, item)
    said = words(N_("expected a JSON object (dict) or a JSON text line, got {type}"), type=type(item).__name__)
    return RawRecord.failed(source, index, said)


# -- one record -----------------------------------------------------------------------------------------------------


def _failed(
    rec: RawRecord, shape: Shape, code: str | None, said: Worded, field: str = "record", *, text: str | None = None
) -> RecordReport:
    issue = ImportIssue.worded(field, text if text is not None else rec.text or (code or ""), said, "error")
    return RecordReport(source=rec.source, row=rec.row, code=code, shape=shape, status="failed", issues=(issue,))


def import_record(rec: RawRecord) -> tuple[Procedure | None, RecordReport]:
    """One record's procedure (``None`` when it failed) and its report, before duplicate codes are looked for
    (:func:`keep_first`)."""
    return assemble(parse_record(rec))


class Parsed(NamedTuple):
    """A record read and understood, before its models are built (:func:`assemble`): the fields of its
    :class:`Procedure` and of its :class:`RecordReport`.

    What a worker process of the import hands back: plain data passes between processes several times faster than
    the models (pickling a pydantic model rebuilds it field by field), and building them is the same work wherever
    it is done.
    """

    source: str | None
    row: int
    text: str  # the record's text when it came as one (kept by a report of failure)
    shape: Shape
    procedure: dict[str, object]
    report: dict[str, object]


def parse_record(rec: RawRecord) -> Parsed | RecordReport:
    """One record read and understood (:class:`Parsed`), or the report of a record that failed."""
    if rec.error is not None or not isinstance(rec.data, dict):
        said = rec.said or (Words(rec.error) if rec.error else words(N_("no data")))
        return _failed(rec, "unknown", None, said)
    data: dict[str, object] = rec.data
    shape: Shape = (
        "national" if "ma_thu_tuc" in data else "defence" if "metadata" in data or "thu_tuc_id" in data else "unknown"
    )
    if not rec.no_control_escape:  # (a line without an escape of one holds none: decode_line looked)
        refused = control_character(data, "")
        if refused is not None:
            field, text, said = refused
            return _failed(rec, shape, code_hint(data), said, field, text=text)
    issues: list[ImportIssue] = []
    if shape == "national":
        fields = _national_fields(data, issues)
    elif shape == "defence":
        try:
            fields = _defence_fields(data, issues)
        except RefusedText as exc:
            return _failed(rec, shape, None, exc.said, exc.field)
    else:
        keys = ", ".join(sorted(str(k) for k in data)[:8])
        said = words(
            N_(
                "unknown record shape: expected 'ma_thu_tuc' (national export) or 'metadata' (defence export), "
                "got keys [{keys}]"
            ),
            keys=keys,
        )
        return _failed(rec, "unknown", None, said)
    code_text = fields.code
    if not code_text:
        for issue in issues:  # a code that is no text (an object, a list): that is why the record fails
            if issue.field in _CODE_FIELDS and issue.severity == "unparsed":
                return _failed(rec, shape, None, issue.said or Words(issue.reason), issue.field, text=issue.text)
        return _failed(rec, shape, None, words(N_("code: missing (expected 'd.dddddd', e.g. '1.000178')")), "code")
    try:
        code = ProcedureCode(code_text)
    except InvalidValueError as exc:
        return _failed(rec, shape, code_text, ErrorWords(exc), "code")
    return _build(rec, shape, code, fields, issues)


_CODE_FIELDS = frozenset({"ma_thu_tuc", "metadata.mã_thủ_tục", "thu_tuc_id"})


@attrs.define(slots=True)
class _Fields:
    """The text fields of one record, whichever shape it came in."""

    code: str | None = None
    name: str | None = None
    field: str | None = None
    decision: str | None = None
    levels: str | None = None
    agencies: tuple[str, ...] = ()
    audience: str | None = None
    result: str | None = None
    conditions: str | None = None
    channel_rows: tuple[ChannelTableRow, ...] = ()
    legal_basis: tuple[LegalBasis, ...] = ()
    source: str | None = None
    prose: tuple[str, ...] = ()  # further prose searched for presence / authorisation statements


def _national_fields(d: dict[str, object], issues: list[ImportIssue]) -> _Fields:
    given = d.get("cach_thuc_thuc_hien")
    flat = given if given is None or type(given) is str else as_text(given, "cach_thuc_thuc_hien", issues)
    rows: tuple[ChannelTableRow, ...] = ()
    if flat is not None and flat.strip():
        table = _split_table(flat)
        rows = table.rows
        if table.unassigned:
            why = _OUTSIDE_ROWS if rows else _NO_ROW
            issues.append(ImportIssue.worded("channels", table.unassigned[:200], why, "unparsed"))
    elif flat is not None or given is None:  # (a value that is no text is said so already)
        issues.append(ImportIssue.worded("channels", flat or "", _NO_TABLE, "unparsed"))
    doing = field_text(d.get("co_quan_thuc_hien"), "co_quan_thuc_hien", issues)
    deciding = field_text(d.get("co_quan_co_tham_quyen"), "co_quan_co_tham_quyen", issues)
    agencies = tuple(dict.fromkeys(a for a in (doing, deciding) if a))
    return _Fields(
        code=field_text(d.get("ma_thu_tuc"), "ma_thu_tuc", issues),
        name=field_text(d.get("ten_thu_tuc"), "ten_thu_tuc", issues),
        field=field_text(d.get("linh_vuc"), "linh_vuc", issues),
        decision=_decision(field_text(d.get("so_quyet_dinh"), "so_quyet_dinh", issues)),
        levels=field_text(d.get("cap_thuc_hien"), "cap_thuc_hien", issues),
        agencies=agencies,
        audience=field_text(d.get("doi_tuong_thuc_hien"), "doi_tuong_thuc_hien", issues),
        result=_national_result(field_text(d.get("ket_qua_xu_ly"), "ket_qua_xu_ly", issues)),
        conditions=field_text(d.get("yeu_cau_dieu_kien"), "yeu_cau_dieu_kien", issues),
        channel_rows=rows,
        legal_basis=flat_legal_basis(field_text(d.get("can_cu_phap_ly"), "can_cu_phap_ly", issues)),
        source=field_text(d.get("detail_url"), "detail_url", issues)
        or field_text(d.get("_source_path"), "_source_path", issues),
        prose=(
            *(r.description for r in rows),
            *(t for t in (field_text(d.get("trinh_tu_thuc_hien"), "trinh_tu_thuc_hien", issues),) if t),
        ),
    )


@lru_cache(maxsize=_CACHE_SIZE)
def _split_table(flat: str) -> FlatChannelTable:
    # whole channel tables recur (1,578 distinct in the 2,642 records of the national export): one split each
    return split_flat_channel_table(flat)


_OUTSIDE_ROWS = words(N_("text outside any channel row"))
_NO_ROW = words(N_("no channel row found in the table"))
_NO_TABLE = words(N_("no channel table"))
_UNKNOWN_CHANNEL = words(N_("unknown channel (expected Trực tiếp / Trực tuyến / Dịch vụ bưu chính)"))
_MISSING = words(N_("missing (kept empty)"))


def _defence_fields(d: dict[str, object], issues: list[ImportIssue]) -> _Fields:
    meta = decode_nested(d.get("metadata"), "metadata", issues)
    content = decode_nested(d.get("content"), "content", issues)
    tables = decode_nested(d.get("tables"), "tables", issues)
    meta = meta if isinstance(meta, dict) else {}
    content = content if isinstance(content, dict) else {}
    tables = tables if isinstance(tables, dict) else {}
    code = field_text(meta.get("mã_thủ_tục"), "metadata.mã_thủ_tục", issues)
    other = field_text(d.get("thu_tuc_id"), "thu_tuc_id", issues)
    if code and other and other != code:
        said = words(
            N_("thu_tuc_id {given} differs from metadata.mã_thủ_tục {used}; the latter is used"),
            given=repr(other),
            used=repr(code),
        )
        issues.append(ImportIssue.worded("code", other, said, "warning"))
    name = field_text(meta.get("tên_thủ_tục"), "metadata.tên_thủ_tục", issues)
    field = field_text(meta.get("lĩnh_vực"), "metadata.lĩnh_vực", issues)
    decision = _decision(field_text(meta.get("số_quyết_định"), "metadata.số_quyết_định", issues))
    levels = field_text(meta.get("cấp_thực_hiện"), "metadata.cấp_thực_hiện", issues)
    rows: list[ChannelTableRow] = []
    raw_rows = decode_nested(tables.get("hinh_thuc_nop"), "tables.hinh_thuc_nop", issues)
    for j, raw in enumerate(raw_rows if isinstance(raw_rows, list) else [], 1):
        raw = decode_nested(raw, f"tables.hinh_thuc_nop[{j}]", issues)
        if not isinstance(raw, dict):
            said = words(N_("expected a row object, got {type}"), type=type(raw).__name__)
            issues.append(ImportIssue.worded(f"channels[{j}]", str(raw)[:120], said, "unparsed"))
            continue
        at = f"tables.hinh_thuc_nop[{j}]."
        label = cell_text(raw, "hinh_thuc", at + "hinh_thuc", issues)
        if label is None:  # no text (said so): no channel to tell
            continue
        try:
            channel = Channel.parse(label)
        except InvalidValueError:
            issues.append(ImportIssue.worded(f"channels[{j}].hinh_thuc", label, _UNKNOWN_CHANNEL, "unparsed"))
            continue
        time_text, fee_text, note = (
            (cell_text(raw, key, at + key, issues) or "").strip()
            for key in ("thoi_han_giai_quyet", "phi_le_phi", "mo_ta")
        )
        rows.append(ChannelTableRow(label, channel, time_text, fee_text, note))
    if not isinstance(raw_rows, list):
        issues.append(ImportIssue.worded("channels", str(raw_rows or "")[:120], _NO_TABLE, "unparsed"))
    basis: list[LegalBasis] = []
    raw_basis = decode_nested(tables.get("can_cu_phap_ly"), "tables.can_cu_phap_ly", issues)
    for k, item in enumerate(raw_basis if isinstance(raw_basis, list) else [], 1):
        item = decode_nested(item, "tables.can_cu_phap_ly[]", issues)
        if isinstance(item, dict):
            at = f"tables.can_cu_phap_ly[{k}]"
            number = field_text(item.get("so_ky_hieu"), f"{at}.so_ky_hieu", issues)
            title = field_text(item.get("trich_yeu"), f"{at}.trich_yeu", issues) or number
            if title:
                basis.append(legal_basis(number, title))
    doing = field_text(content.get("cơ_quan_thực_hiện"), "content.cơ_quan_thực_hiện", issues)
    deciding = field_text(content.get("cơ_quan_có_thẩm_quyền"), "content.cơ_quan_có_thẩm_quyền", issues)
    agencies = tuple(dict.fromkeys(a for a in (doing, deciding) if a))
    how = field_text(content.get("cách_thức_thực_hiện"), "content.cách_thức_thực_hiện", issues)
    steps = field_text(content.get("trình_tự_thực_hiện"), "content.trình_tự_thực_hiện", issues)
    return _Fields(
        code=code or other,
        name=name,
        field=field,
        decision=decision,
        levels=levels,
        agencies=agencies,
        audience=field_text(content.get("đối_tượng_thực_hiện"), "content.đối_tượng_thực_hiện", issues),
        result=field_text(content.get("kết_quả_thực_hiện"), "content.kết_quả_thực_hiện", issues),
        conditions=field_text(
            content.get("yêu_cầu_điều_kiện_thực_hiện"), "content.yêu_cầu_điều_kiện_thực_hiện", issues
        ),
        channel_rows=tuple(rows),
        legal_basis=tuple(basis),
        source=field_text(d.get("_source_path"), "_source_path", issues)
        or field_text(d.get("source_file"), "source_file", issues),
        prose=(*(r.description for r in rows), *(t for t in (how, steps) if t)),
    )


def _decision(text: str | None) -> str | None:
    if text is None:
        return None
    return _DECISION_PREFIX.sub("", text).strip() or text


_DECISION_PREFIX = re.compile(r"^(?:Quyết định|QĐ)\s+số\s*:?\s*", re.IGNORECASE)


def _national_result(text: str | None) -> str | None:
    if text is None:
        return None
    # the flattened result block carries the portal's UI labels after the result names
    cut = _RESULT_UI_LABELS.split(text, maxsplit=1)[0]
    return cut.strip() or None


_RESULT_UI_LABELS = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")


_MOJIBAKE = re.compile(r"[ÃÄÆáâ][\x80-\xbf\u0152-\u0178\u2013-\u203a]|á»|áº")


def _mojibake(text: str) -> Words | None:
    """Why ``text`` looks like UTF-8 bytes read as Latin-1 / cp1252 (with the repaired text when it can be), or
    ``None`` when it does not."""
    if not _MOJIBAKE.search(text):
        return None
    for codec in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return words(
            N_("looks double-encoded (UTF-8 read as {codec}), probably {repaired}; kept as given"),
            codec=codec,
            repaired=repr(repaired[:80]),
        )
    return words(N_("looks double-encoded (UTF-8 read as Latin-1/cp1252); kept as given"))


def _split_top_level(text: str | None) -> tuple[str, ...]:
    """Split a comma list, ignoring commas inside parentheses (``Tổ chức (không bao gồm doanh nghiệp, HTX), ...``)."""
    if not text:
        return ()
    return _split_list(text) if type(text) is str else _split_list.__wrapped__(text)


@lru_cache(maxsize=_CACHE_SIZE)
def _split_list(text: str) -> tuple[str, ...]:
    # audiences recur (910 distinct texts in the 2,642 records of the national export): one result each
    if "(" not in text:  # every separator is at the top level
        parts = _LIST_SEPARATOR.split(text)
    else:
        parts = []
        depth = 0
        start = 0
        for m in _LIST_PUNCTUATION.finditer(text):  # from one parenthesis or separator to the next
            ch = m.group()
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth = max(0, depth - 1)
            elif depth == 0:
                parts.append(text[start : m.start()])
                start = m.end()
        parts.append(text[start:])
    stripped = (p.strip() for p in parts)
    return tuple(dict.fromkeys(p for p in stripped if p))


_LIST_SEPARATOR = re.compile(r"[,;\n]")
_LIST_PUNCTUATION = re.compile(r"[(),;\n]")


def _time_status(pt: ProcessingTime | None, text: str) -> TimeStatus:
    if pt is None:
        return "not_stated" if is_no_information(text) else "unparsed"
    if pt.unit is TimeUnit.UNKNOWN_UNIT:
        return "unknown_unit"
    if pt.unit is TimeUnit.UNSPECIFIED:
        return "unspecified"
    return "parsed"


@lru_cache(maxsize=_CACHE_SIZE)
def _channel_options(
    rows: tuple[ChannelTableRow, ...],
) -> tuple[tuple[dict[str, object], ...], tuple[ChannelRowReport, ...], tuple[ImportIssue, ...]]:
    """The fields of each row's :class:`ChannelOption`, the rows' reports and their issues, in row order.

    Cached: a table that recurs gives the same rows (its cells are exact ``str``: slices of the record's text, or
    ``str()`` of a defence row's values), hence the same options, reports and issues (their fields name the row's
    position in the table). All immutable but the option dicts, which the caller copies.
    """
    options: list[dict[str, object]] = []
    reports: list[ChannelRowReport] = []
    issues: list[ImportIssue] = []
    for j, row in enumerate(rows, 1):
        option, report = _channel_option(j, row, issues)
        options.append(option)
        reports.append(report)
    return tuple(options), tuple(reports), tuple(issues)


def _channel_option(
    j: int, row: ChannelTableRow, issues: list[ImportIssue]
) -> tuple[dict[str, object], ChannelRowReport]:
    """The fields of one :class:`ChannelOption` (validated with the procedure) and the row's report."""
    where = f"channels[{j}]({row.channel.value})"
    if row.problem is not None:
        issues.append(_issue(where, row.description[:200], row.problem, row.said, "unparsed"))
        # the cells could not be told apart: keep the whole row text in both, never a guessed split
        option: dict[str, object] = {
            "channel": row.channel,
            "processing_time_text": row.description,
            "fee_text": row.description,
            "note": row.problem,
        }
        text = row.description[:200]
        return option, _row_report(row.channel, text, "unparsed", None, text, "unparsed")
    if row.remark is not None:
        issues.append(_issue(where, f"{row.time_text} | {row.fee_text}", row.remark, row.said, "note"))
    pt: ProcessingTime | None = None
    if row.time_text and not is_no_information(row.time_text):
        parsed = parse_processing_time(row.time_text)
        if isinstance(parsed, Unparsed):
            issues.append(_issue(f"{where}.processing_time", row.time_text, parsed.reason, parsed.said, "unparsed"))
        else:
            pt = parsed
    fees: FeeParse = parse_fee_text(row.fee_text)
    for problem in fees.problems:
        issues.append(_issue(f"{where}.fee", problem.text, problem.reason, problem.said, "unparsed"))
    for remark, said in zip(fees.remarks, fees.remarks_said or (None,) * len(fees.remarks), strict=True):
        issues.append(_issue(f"{where}.fee", row.fee_text[:200], remark, said, "warning"))
    option = {
        "channel": row.channel,
        "processing_time": pt,
        "processing_time_text": row.time_text,
        "fees": fees.lines,
        "fee_text": row.fee_text,
        "note": row.description or None,
    }
    unit = pt.unit if pt is not None else None
    return option, _row_report(
        row.channel, row.time_text, _time_status(pt, row.time_text), unit, row.fee_text, fees.status
    )


def _issue(field: str, text: str, reason: str, said: Worded | None, severity: Severity) -> ImportIssue:
    """An issue from a parser's result: worded when the parser said it in words, else its English reason."""
    if said is None:
        return ImportIssue(field=field, text=text, reason=reason, severity=severity)
    return ImportIssue.worded(field, text, said, severity)


@lru_cache(maxsize=_CACHE_SIZE)
def _row_report(
    channel: Channel,
    time_text: str,
    time_status: TimeStatus,
    unit: TimeUnit | None,
    fee_text: str,
    fee_status: FeeStatus,
) -> ChannelRowReport:
    # channel rows recur ("Trực tuyến | 30 Ngày làm việc | Miễn phí"): one (immutable) report each
    return ChannelRowReport(
        channel=channel,
        time_text=time_text,
        time_status=time_status,
        unit=unit,
        fee_text=fee_text,
        fee_status=fee_status,
    )


_INFERRED = {
    Tri.YES: words(N_("read as yes from the text")),
    Tri.NO: words(N_("read as no from the text")),
    Tri.UNKNOWN: words(N_("left unknown")),
}


def _build(rec: RawRecord, shape: Shape, code: ProcedureCode, f: _Fields, issues: list[ImportIssue]) -> Parsed:
    parsed: list[str] = ["code"]
    if f.name is None:
        issues.append(ImportIssue.worded("name", "", _MISSING, "unparsed"))
    else:
        parsed.append("name")
        garbled = _mojibake(f.name)
        if garbled is not None:
            issues.append(ImportIssue.worded("name", f.name[:120], garbled, "warning"))
    levels, level_problems = parse_levels(f.levels)
    for p in level_problems:
        issues.append(_issue("levels", p.text, p.reason, p.said, "unparsed"))
    if levels:
        parsed.append("levels")
    options, row_reports, row_issues = _channel_options(f.channel_rows)
    issues.extend(row_issues)
    if options:
        parsed.append(f"channels[{len(options)}]")
    presence, proxy = infer_presence_and_authorisation(f.conditions, *f.prose)
    for name, inf in (("requires_personal_presence", presence), ("authorisation_allowed", proxy)):
        if inf.evidence is not None:
            issues.append(ImportIssue.worded(name, inf.evidence, _INFERRED[inf.value], "note", text_said=inf.said))
    unparsed = any(i.severity == "unparsed" for i in issues)
    procedure: dict[str, object] = {
        "code": code,
        "name": f.name or "",
        "field": f.field,
        "decision": f.decision,
        "levels": levels,
        "agencies": f.agencies,
        "audience": _split_top_level(f.audience),
        "channels": [dict(option) for option in options],  # copies: the cached ones are shared
        "result": f.result,
        "legal_basis": f.legal_basis,
        "conditions": f.conditions,
        "requires_personal_presence": presence.value,
        "authorisation_allowed": proxy.value,
        "source": f.source,
    }
    report: dict[str, object] = {
        "source": rec.source,
        "row": rec.row,
        "code": str(code),
        "shape": shape,
        "status": "imported_with_issues" if unparsed else "imported",
        "parsed": tuple(parsed),
        "channel_rows": row_reports,
        "issues": tuple(issues),
    }
    return Parsed(rec.source, rec.row, rec.text, shape, procedure, report)


def assemble(parsed: Parsed | RecordReport) -> tuple[Procedure | None, RecordReport]:
    """The models of a record from :func:`parse_record`: its procedure (``None`` when it failed) and its report."""
    if isinstance(parsed, RecordReport):
        return None, parsed
    # model_validate of one nested mapping: pydantic builds the procedure and its channel options in one call, about
    # twice as fast as constructing each model on its own (measured by benchmarks/catalog_import.py)
    try:
        proc = Procedure.model_validate(parsed.procedure)
    except ValidationError as exc:  # a bug guard: fields above are typed; report rather than crash the import
        first = exc.errors()[0]  # pydantic's message, in English
        said = words(
            N_("{field}: {message} (refused by the catalog model)"),
            field=".".join(map(str, first["loc"])),
            message=first["msg"],
        )
        rec = RawRecord(parsed.source, parsed.row, text=parsed.text)
        return None, _failed(rec, parsed.shape, str(parsed.procedure["code"]), said)
    return proc, RecordReport.model_validate(parsed.report)
