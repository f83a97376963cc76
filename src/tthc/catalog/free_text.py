"""Parsers for the national portal's free text: fees, levels, channel tables and personal-presence statements.

Each parser returns a typed value or a structured :class:`Unparsed` that keeps the original text and says why; none
of them guesses. Forms accepted (sources: the portal exports described in domain.md §1 and ``data/real/README.md``):

=====================  ============================================================================================
what                   forms
=====================  ============================================================================================
fee (phí, lệ phí)      ``Phí : 2.000.000 Đồng (note)``, ``Lệ phí : 1.5 USD``, ``2,000,000 Việt Nam Đồng``,
                       ``120,000 VNĐ``, ``100 USD``, ``Miễn phí``, ``Phí : 0 Đồng``, ``Phí : Không Đồng``,
                       ``Phí : o Đồng`` (typo for 0), ``Mức thu bằng 50% <base>``, several lines (one per fee)
level (cấp thực hiện)  ``Cấp bộ, Cấp tỉnh, Cấp xã``, ``Cấp huyện`` (historic), ``Cơ quan khác``
channel table          rows ``{hinh_thuc, thoi_han_giai_quyet, phi_le_phi, mo_ta}`` or the flattened single string
                       ``Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến40 NgàyMiễn phí...``
presence / proxy       explicit statements only: ``phải trực tiếp ...``, ``phải có mặt``, ``không được ủy quyền``,
                       ``hoặc người được ủy quyền`` ... otherwise unknown
=====================  ============================================================================================

Why one module of this length: the four parsers share one vocabulary (the folded Vietnamese unit and fee words, the
mojibake repairs, the cell splitting) and are tested against the same real exports; split, each half would import
the other's private helpers.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

import attrs

from tthc.catalog.model import FeeKind, FeeLine, Level, Tri, parse_level
from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import InvalidValueError, ParseError
from tthc.foundation.channels import Channel
from tthc.foundation.error_words import ErrorWords
from tthc.foundation.i18n import N_
from tthc.foundation.money import Money
from tthc.foundation.text import fold
from tthc.foundation.words import Worded, Words, marked, words

__all__ = [
    "NO_INFORMATION",
    "ChannelTableRow",
    "FeeParse",
    "FeeStatus",
    "FlatChannelTable",
    "Inference",
    "Unparsed",
    "infer_authorisation",
    "infer_personal_presence",
    "infer_presence_and_authorisation",
    "is_no_information",
    "parse_amount",
    "parse_fee_text",
    "parse_levels",
    "parse_processing_time",
    "split_flat_channel_table",
]

NO_INFORMATION = "Không có thông tin"
"""The portal's placeholder for an empty cell ("no information")."""


@attrs.frozen(slots=True)
class Unparsed:
    """A text a parser could not read: which field, the text as published, and why.

    ``reason`` is in English (logs, JSON); ``said`` keeps what it says (:class:`~tthc.foundation.words.Words`, or a
    library error as :class:`~tthc.foundation.error_words.ErrorWords`), to word in the reader's language
    (:meth:`reason_in`). Two results are equal when their English reasons are.
    """

    field: str
    text: str
    reason: str
    said: Worded | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def of(cls, field: str, text: str, said: Worded) -> Unparsed:
        """A result whose reason is ``said`` (in English in ``reason``)."""
        return cls(field, text, said.text("en"), said)

    def reason_in(self, lang: str | None = None) -> str:
        """The reason in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        return self.said.text(lang) if self.said is not None else self.reason

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}: {self.text!r}"


def is_no_information(text: str | None) -> bool:
    """Whether a cell is empty or the portal's ``Không có thông tin`` / ``Không có`` placeholder."""
    if text is None:
        return True
    if len(text) > _PLACEHOLDER_MAX:  # the placeholders are short; folding long prose is wasted work
        return False
    return _is_placeholder(text)


_PLACEHOLDER_MAX = 40
"""No text longer than this is a placeholder (:func:`is_no_information` answers without looking)."""


# Parsers of short cells are cached: the same texts recur across thousands of records (units, fees, levels, labels),
# and every result is immutable. Bounded, so a long-running service does not grow without end.
_CACHE_SIZE = 8192


@lru_cache(maxsize=_CACHE_SIZE)
def _is_placeholder(text: str) -> bool:
    folded = _FOOTNOTE.sub("", fold(text)).strip(" .;:-()")
    return folded in ("", "khong co thong tin", "khong co", "khong", "chua co thong tin")


_FOOTNOTE = re.compile(r"\s*\((?:\d{1,2}|[a-z])\)\s*$")  # "Không có thông tin(1)": a footnote marker


# -- processing time ------------------------------------------------------------------------------------------------


def parse_processing_time(text: str) -> ProcessingTime | Unparsed:
    """:meth:`ProcessingTime.parse` that returns :class:`Unparsed` instead of raising."""
    return _parse_processing_time(text) if type(text) is str else _parse_processing_time_uncached(text)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_processing_time(text: str) -> ProcessingTime | Unparsed:
    return _parse_processing_time_uncached(text)


def _parse_processing_time_uncached(text: str) -> ProcessingTime | Unparsed:
    try:
        return ProcessingTime.parse(text)
    except ParseError as exc:
        said = marked(exc.detail_words) if exc.detail else words(N_("not a processing time"))
        return Unparsed.of("processing_time", text, said)


# -- money and fees -------------------------------------------------------------------------------------------------

_CURRENCY_WORDS: tuple[tuple[str, str], ...] = (
    # folded word -> ISO code; longest first
    ("viet nam dong", "VND"),
    ("vnd", "VND"),
    ("dong", "VND"),
    ("do la my", "USD"),
    ("usd", "USD"),
    ("eur", "EUR"),
    ("d", "VND"),
)
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_DECIMAL = re.compile(r"^\d+[.,]\d{1,2}$")
_MIXED = re.compile(r"^\d{1,3}(?:([.,])\d{3})*(?!\1)[.,]\d{1,2}$")


def parse_amount(number: str, currency: str) -> Money | Unparsed:
    """Read an amount as the portal writes it, in ``currency`` (``'VND'``, ``'USD'``...).

    ``2,000,000`` and ``2.000.000`` are two million (groups of three after one kind of separator are thousands);
    ``1.5`` and ``0,5`` are decimals (valid only in a currency with a minor unit: half a đồng is :class:`Unparsed`).
    """
    raw = number.strip()
    digits: str
    if raw.isdigit():
        digits = raw
    elif _THOUSANDS.match(raw):
        digits = raw.replace(".", "").replace(",", "")
    elif _DECIMAL.match(raw):
        digits = raw.replace(",", ".")
    elif _MIXED.match(raw):
        sep = raw[-3] if raw[-3] in ".," else raw[-2]
        other = "," if sep == "." else "."
        digits = raw.replace(other, "").replace(sep, ".")
    else:
        return Unparsed.of("fee.amount", number, words(N_("not a number with thousands separators or a decimal")))
    try:
        return Money.of(Decimal(digits), currency)
    except InvalidValueError as exc:
        return Unparsed.of("fee.amount", f"{number} {currency}", ErrorWords(exc))
    except InvalidOperation:  # a bug guard: the patterns above admit only decimal figures
        return Unparsed.of("fee.amount", f"{number} {currency}", words(N_("not a decimal number")))


def _currency(word: str) -> str | None:
    folded = fold(word)
    for w, code in _CURRENCY_WORDS:
        if folded == w:
            return code
    return None


_LABEL = re.compile(r"^\s*(?P<label>l[eệ]\s*ph[ií]|ph[ií])\s*:\s*", re.IGNORECASE)
# the flattened export glues the next cell to the currency ("Đồngkể từ"), so only the one-letter "đ" needs a boundary
_AMOUNT = re.compile(
    r"^(?P<num>\d[\d.,]*)\s*(?P<cur>Việt\s+Nam\s+Đồng|VNĐ|VND|Đồng|đồng|Đô\s+la\s+Mỹ|USD|EUR|(?:đ|Đ)(?![\wà-ỹÀ-Ỹ]))",
    re.IGNORECASE,
)
_PERCENT = re.compile(
    r"^(?:\d+\.\s*)?(?:m[uứ]c\s+thu\s+(?:b[aằ]ng\s+)?)?(?P<pct>\d+(?:[.,]\d+)?)\s*%\s*(?P<base>.*)$", re.I | re.S
)
_FREE = re.compile(
    r"^(?:mi[eễ]n\s+(?:ph[ií]|l[eệ]\s*ph[ií]|thu)|kh[oô]ng\s+thu(?:\s+ph[ií])?)(?![\wà-ỹ])", re.IGNORECASE
)
_ZERO_WORD = re.compile(r"^(?P<word>kh[oô]ng|o|O)\s*(?:Việt\s+Nam\s+Đồng|VNĐ|Đồng|đồng)\s*$", re.IGNORECASE)
_EMPTY_AMOUNT = re.compile(r"^(?:Việt\s+Nam\s+Đồng|VNĐ|Đồng|đồng)?\s*$", re.IGNORECASE)

_NOTE_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:đồng|Đồng|VNĐ|vnđ|USD|triệu đồng|đ(?![\wà-ỹ]))")

FeeStatus = Literal["parsed", "free", "not_stated", "partial", "unparsed"]


@attrs.frozen(slots=True)
class FeeParse:
    """The fees read from one fee text (one channel row): the lines understood and what was not.

    ``status``: ``free`` (every line free), ``parsed`` (every line has an amount, a percentage or is free),
    ``not_stated`` (empty or ``Không có thông tin``), ``partial`` (some lines not understood) or ``unparsed``.
    """

    text: str
    lines: tuple[FeeLine, ...] = ()
    problems: tuple[Unparsed, ...] = ()
    not_stated: bool = False
    remarks: tuple[str, ...] = ()  # readings worth a second look (an amount taken from a note, a suspicious amount)
    remarks_said: tuple[Words, ...] = attrs.field(default=(), eq=False, repr=False)
    """What ``remarks`` say, to word in the reader's language (one each, in the same order)."""

    @property
    def status(self) -> FeeStatus:
        if self.not_stated:
            return "not_stated"
        understood = [ln for ln in self.lines if ln.parsed]
        if not understood:
            return "unparsed"
        if self.problems or len(understood) < len(self.lines):
            return "partial"
        return "free" if all(ln.free for ln in understood) else "parsed"

    @property
    def ok(self) -> bool:
        """Every fee in the text was understood (or the text states no fee at all)."""
        return self.status in ("parsed", "free", "not_stated")


def _split_note(rest: str) -> tuple[str | None, str]:
    """Split ``(note) tail`` into the balanced parenthesised note and what follows it."""
    rest = rest.lstrip()
    if not rest.startswith("("):
        return None, rest
    depth = 0
    for m in _PARENTHESIS.finditer(rest):  # jump from one parenthesis to the next: notes run to kilobytes
        if m.group() == "(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return rest[1 : m.start()].strip() or None, rest[m.end() :]
    return rest[1:].strip() or None, ""


_PARENTHESIS = re.compile(r"[()]")


def _join(*parts: str | None) -> str | None:
    kept = [p.strip() for p in parts if p and p.strip()]
    return "; ".join(kept) if kept else None


def _kind_of(label: str | None) -> FeeKind:
    if label is None:
        return FeeKind.UNKNOWN
    return FeeKind.STATE_FEE if fold(label).replace(" ", "").startswith("le") else FeeKind.CHARGE


def _parse_fee_line(line: str, kind: FeeKind) -> tuple[FeeLine, Unparsed | None]:
    """One fee, without its label: ``2.000.000 Đồng (note)``, ``Miễn phí (note)``, ``Mức thu bằng 50% ...``."""
    body = line.strip()
    m = _AMOUNT.match(body)
    if m:
        currency = _currency(m.group("cur")) or "VND"
        note, tail = _split_note(body[m.end() :])
        money = parse_amount(m.group("num"), currency)
        note = _join(note, tail)
        if isinstance(money, Unparsed):
            return FeeLine(kind=kind, text=line, note=note), attrs.evolve(money, field="fee", text=line)
        if money.is_zero():
            return FeeLine(kind=kind, free=True, text=line, note=note), None
        return FeeLine(kind=kind, amount=money, text=line, note=note), None
    free = _FREE.match(body)
    if free:
        note, tail = _split_note(body[free.end() :])
        note = _join(note, tail)
        amounts = _NOTE_AMOUNT.findall(note or "")
        if not amounts:
            return FeeLine(kind=kind, free=True, text=line, note=note), None
        # "Miễn phí" followed by prose that states the real fee: the cell's "free" is not to be believed
        said = words(
            N_("'Miễn phí' but the note states {n} amount(s): {amounts}"),
            n=len(amounts),
            amounts=", ".join(amounts[:3]),
        )
        return FeeLine(kind=kind, text=line, note=note), Unparsed.of("fee", line, said)
    z = _ZERO_WORD.match(body)
    if z:
        why = "'o' read as the digit 0 (typo in the source)" if z.group("word") in ("o", "O") else "'Không' (none)"
        return FeeLine(kind=kind, free=True, text=line, note=why), None
    p = _PERCENT.match(body)
    if p:
        base = re.sub(r"\s*(?:Việt\s+Nam\s+Đồng|VNĐ|Đồng)\s*(?=\(|$)", " ", p.group("base"), flags=re.I).strip()
        pct = Decimal(p.group("pct").replace(",", "."))
        return FeeLine(kind=kind, percentage=pct, text=line, note=base or None), None
    if _EMPTY_AMOUNT.match(body.split("(")[0]):
        note, _ = _split_note(body[body.find("(") :]) if "(" in body else (None, "")
        return FeeLine(kind=kind, text=line, note=note), Unparsed.of("fee", line, words(N_("no amount stated")))
    return FeeLine(kind=kind, text=line), Unparsed.of(
        "fee", line, words(N_("not an amount, a percentage or 'Miễn phí'"))
    )


def parse_fee_text(text: str | None, *, kind: FeeKind = FeeKind.UNKNOWN) -> FeeParse:
    """Read the fees of one channel row.

    Each line starting with ``Phí :`` (a charge, phí) or ``Lệ phí :`` (a state fee, lệ phí) is one fee; lines
    without a label (``File đính kèm: ...``) are notes of the fee above. A text with no label is one fee of ``kind``.
    """
    if text is None or is_no_information(text):
        return FeeParse(text or "", not_stated=True)
    return _parse_fee_text(text, kind) if type(text) is str else _parse_fee_text_uncached(text, kind)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_fee_text(text: str, kind: FeeKind) -> FeeParse:
    return _parse_fee_text_uncached(text, kind)


def _parse_fee_text_uncached(text: str, kind: FeeKind) -> FeeParse:
    chunks: list[tuple[str | None, str, list[str]]] = []  # (label, value, extra note lines)
    for raw_line in text.splitlines():
        if not raw_line.strip():
            continue
        m = _LABEL.match(raw_line)
        if m:
            chunks.append((m.group("label"), raw_line[m.end() :], []))
        elif chunks:
            chunks[-1][2].append(raw_line.strip())
        else:
            chunks.append((None, raw_line, []))
    lines: list[FeeLine] = []
    problems: list[Unparsed] = []
    remarks: list[Words] = []
    for label, value, extra in chunks:
        line_kind = _kind_of(label) if label is not None else kind
        fee, problem = _parse_fee_line(value, line_kind)
        if extra:
            fee = fee.model_copy(update={"note": _join(fee.note, *extra)})
        if label is not None:
            fee = fee.model_copy(update={"text": f"{label} : {value.strip()}"})
        lines.append(fee)
        if problem is not None:
            problems.append(problem)
        remark = _suspicious_amount(fee)
        if remark is not None:
            remarks.append(remark)
    said = tuple(remarks)
    return FeeParse(text, tuple(lines), tuple(problems), remarks=tuple(r.text("en") for r in said), remarks_said=said)


def _suspicious_amount(fee: FeeLine) -> Words | None:
    """A small đồng amount whose note states a thousand times more (``40 Việt Nam Đồng(40.000đ/giấy)``): kept as
    published, but flagged — the cell may be written in thousands of đồng."""
    if fee.amount is None or fee.amount.currency != "VND" or fee.amount.minor >= 1000 or not fee.note:
        return None
    wanted = fee.amount.minor * 1000
    for figure in re.findall(r"\d[\d.,]*", fee.note):
        digits = parse_amount(figure.rstrip(".,"), "VND")
        if isinstance(digits, Money) and digits.minor == wanted:
            return words(
                N_("amount {amount} đ but the note says {figure}: the cell may be in thousands"),
                amount=fee.amount.minor,
                figure=figure.rstrip(".,"),
            )
    return None


# -- levels ---------------------------------------------------------------------------------------------------------


def parse_levels(text: str | None) -> tuple[tuple[Level, ...], tuple[Unparsed, ...]]:
    """Read ``Cấp bộ, Cấp tỉnh, Cấp xã`` into levels (order kept, duplicates dropped) and the parts not understood."""
    if text is None or is_no_information(text):
        return (), ()
    return _parse_levels(text) if type(text) is str else _parse_levels_uncached(text)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_levels(text: str) -> tuple[tuple[Level, ...], tuple[Unparsed, ...]]:
    return _parse_levels_uncached(text)


def _parse_levels_uncached(text: str) -> tuple[tuple[Level, ...], tuple[Unparsed, ...]]:
    levels: list[Level] = []
    problems: list[Unparsed] = []
    for part in re.split(r"[,;/\n]|\bvà\b", text):
        if not part.strip():
            continue
        try:
            lv = parse_level(part)
        except ParseError:
            problems.append(Unparsed.of("levels", part.strip(), _NOT_A_LEVEL))
            continue
        if lv not in levels:
            levels.append(lv)
    return tuple(levels), tuple(problems)


_NOT_A_LEVEL = words(N_("not a level (Cấp bộ/tỉnh/huyện/xã, Cơ quan khác)"))


# -- channel tables -------------------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class ChannelTableRow:
    """One row of a channel table, cells as published (not yet parsed)."""

    label: str
    channel: Channel
    time_text: str
    fee_text: str
    description: str
    problem: str | None = None  # why the cells could not be told apart, if so (then the cells are empty)
    remark: str | None = None  # how an ambiguous split was resolved, if it was
    said: Words | None = attrs.field(default=None, eq=False, repr=False)
    """What ``problem`` (or else ``remark``) says, to word in the reader's language."""

    @classmethod
    def with_problem(cls, label: str, channel: Channel, description: str, said: Words) -> ChannelTableRow:
        """A row whose cells could not be told apart: the whole text kept as the description, cells empty."""
        return cls(label, channel, "", "", description, problem=said.text("en"), said=said)

    @classmethod
    def with_remark(
        cls, label: str, channel: Channel, time_text: str, fee_text: str, description: str, said: Words
    ) -> ChannelTableRow:
        """A row split one of several ways, with how the split was chosen."""
        return cls(label, channel, time_text, fee_text, description, remark=said.text("en"), said=said)

    def problem_in(self, lang: str | None = None) -> str | None:
        """``problem`` in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        if self.problem is None:
            return None
        return self.said.text(lang) if self.said is not None else self.problem

    def remark_in(self, lang: str | None = None) -> str | None:
        """``remark`` in ``lang``."""
        if self.remark is None:
            return None
        return self.said.text(lang) if self.said is not None and self.problem is None else self.remark


FLAT_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
# a row starts where a channel label is glued to the next cell (prose has a space or a colon after the label)
_ROW_LABELS = ("Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính")
_ROW_START = re.compile(rf"({'|'.join(_ROW_LABELS)})(?=[0-9A-ZÀ-Ỹa-zà-ỹĐđ])")
_ROW_CHANNEL = {label: Channel.parse(label) for label in _ROW_LABELS}
_TIME_UNITS = r"Ngày làm việc|ngày làm việc|Ngày|ngày|Giờ làm việc|giờ làm việc|Giờ|giờ|Tháng|tháng|Tuần|tuần|Năm|năm"
_TIME_HEAD = re.compile(
    rf"^(?:(?P<num>\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+)?)(?:\s*(?P<unit>{_TIME_UNITS}))?|Không có thông tin|Không quy định"
    r"|Trong ngày(?: làm việc)?)"
)
_FEE_HEAD = re.compile(
    r"Miễn phí|Không có thông tin|Không thu|\d[\d.,]{0,40}\s*(?:Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD|EUR)"
)
_FEE_AT = re.compile(rf"^(?:{_FEE_HEAD.pattern})")


@attrs.frozen(slots=True)
class FlatChannelTable:
    """The rows read from a flattened channel table, and any text that belongs to no row (kept, to be reported)."""

    rows: tuple[ChannelTableRow, ...]
    unassigned: str = ""


def split_flat_channel_table(text: str) -> FlatChannelTable:
    """Split the flattened channel table of ``portal_national_2642`` into rows of cells.

    The portal glued the cells together: ``Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến40 NgàyMiễn phí...``.
    A row starts at a channel label glued to the next cell; its processing time is a figure with an optional unit
    (or ``Không có thông tin`` / ``Không quy định`` / ``Trong ngày`` / prose up to the fee); the fee is ``Miễn phí``,
    ``Không có thông tin`` or an amount with its currency, with an optional ``(note)``; the rest is the description.

    A bare figure glued to an amount (``Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)``) can be split several ways; it is
    split only when one split leaves a non-zero amount or the note confirms the amount, else the row carries a
    ``problem`` and no split. Text before the first row (or a text with no row at all) is ``unassigned``.
    """
    body = text[len(FLAT_HEADER) :] if text.startswith(FLAT_HEADER) else text
    starts = _row_starts(body)
    lead = body[: starts[0].start()] if starts else body
    rows = tuple(
        _split_row(m.group(1), body[m.end() : starts[i + 1].start() if i + 1 < len(starts) else len(body)])
        for i, m in enumerate(starts)
    )
    return FlatChannelTable(rows, lead.strip())


def _row_starts(body: str) -> list[re.Match[str]]:
    """``list(_ROW_START.finditer(body))``, from the labels' common beginnings found by ``str.find``: the regular
    expression alone tries every position of a table that is mostly prose (half the time of its scan). The labels
    cannot overlap one another, so the matches found from every candidate are those ``finditer`` finds."""
    found: list[re.Match[str]] = []
    for head in _ROW_HEADS:
        i = body.find(head)
        while i >= 0:
            m = _ROW_START.match(body, i)
            if m is not None:
                found.append(m)
            i = body.find(head, i + 1)
    found.sort(key=re.Match.start)
    return found


_ROW_HEADS = ("Trực t", "Dịch vụ bưu chính")  # every label of _ROW_LABELS starts with one of these


def _split_row(label: str, seg: str) -> ChannelTableRow:
    channel = _ROW_CHANNEL[label]
    t = _TIME_HEAD.match(seg)
    if t is not None and t.group("num") is not None and t.group("unit") is None:
        return _split_bare_figure(label, channel, seg)
    if t is not None and _FEE_AT.match(seg[t.end() :]):
        time_text = seg[: t.end()]
        fee_text, description = _take_fee(seg[t.end() :])
        return ChannelTableRow(label, channel, time_text.strip(), fee_text, description)
    f = _FEE_HEAD.search(seg)
    if f is None:
        return ChannelTableRow.with_problem(label, channel, seg.strip(), _NO_FEE_CELL)
    fee_text, description = _take_fee(seg[f.start() :])
    return ChannelTableRow(label, channel, seg[: f.start()].strip(), fee_text, description)


_NO_FEE_CELL = words(N_("no fee cell found in the row"))


def _take_fee(seg: str) -> tuple[str, str]:
    m = _FEE_AT.match(seg)
    assert m is not None  # callers checked
    note, tail = _split_note(seg[m.end() :])
    fee = m.group(0) + (f"({note})" if note is not None else "")
    return fee, tail.strip()


def _split_bare_figure(label: str, channel: Channel, seg: str) -> ChannelTableRow:
    """``<digits><fee>``: the time is a bare figure; find where it ends."""
    digits = re.match(r"^\d+", seg)
    assert digits is not None
    run = digits.group(0)
    after = seg[len(run) :]
    if not after[:1].isdigit() and not re.match(r"^[.,]\d", after) and _FEE_AT.match(after):
        # the figure is followed by a word fee (Miễn phí / Không có thông tin): no ambiguity
        fee_text, description = _take_fee(after)
        return ChannelTableRow(label, channel, run, fee_text, description)
    if not _FEE_AT.match(seg) and not _FEE_AT.match(after):
        f = _FEE_HEAD.search(seg)
        if f is None:
            return ChannelTableRow.with_problem(label, channel, seg.strip(), _NO_FEE_CELL)
        fee_text, description = _take_fee(seg[f.start() :])
        return ChannelTableRow(label, channel, seg[: f.start()].strip(), fee_text, description)
    # Digits glued to an amount: try every split that leaves a non-empty time and a non-zero, well-formed amount.
    # A zero amount is ruled out on evidence: no fee cell of the national export is "0 <currency>" (a zero fee is
    # always written "Miễn phí"), and an amount does not start with a 0.
    candidates: list[tuple[str, str, str]] = []
    for cut in range(1, len(run)):
        rest = seg[cut:]
        m = _AMOUNT.match(rest)
        if m is None or m.group("num")[0] == "0":
            continue
        money = parse_amount(m.group("num"), _currency(m.group("cur")) or "VND")
        if isinstance(money, Unparsed) or money.is_zero():
            continue
        fee_text, description = _take_fee(rest)
        candidates.append((seg[:cut], fee_text, description))
    if len(candidates) == 1:
        time_text, fee_text, description = candidates[0]
        said = words(
            N_(
                "figure {figure} glued to the amount: read as time {time} + fee {fee}, the only split with a "
                "non-zero amount"
            ),
            figure=repr(run),
            time=repr(time_text),
            fee=repr(fee_text.split("(")[0]),
        )
        return ChannelTableRow.with_remark(label, channel, time_text, fee_text, description, said)
    chosen = _agreeing_with_note(candidates)
    if chosen is not None:
        said = words(
            N_("figure {figure} glued to the amount: split confirmed by the amount in the note"), figure=repr(run)
        )
        return ChannelTableRow.with_remark(label, channel, *chosen, said)
    said = words(
        N_("a bare figure glued to an amount ({figure}...): {n} possible splits, none confirmed by the note"),
        figure=run,
        n=len(candidates),
    )
    return ChannelTableRow.with_problem(label, channel, seg.strip(), said)


def _agreeing_with_note(candidates: list[tuple[str, str, str]]) -> tuple[str, str, str] | None:
    """The only candidate split whose amount's digits lead a figure in its note (``20 VNĐ(20.000 vnđ)``)."""
    agreeing = []
    for time_text, fee_text, description in candidates:
        m = _AMOUNT.match(fee_text)
        note, _ = _split_note(fee_text[m.end() :]) if m else (None, "")
        if m is None or not note:
            continue
        amount_digits = re.sub(r"\D", "", m.group("num"))
        figures = [re.sub(r"\D", "", f) for f in re.findall(r"\d[\d.,]*", note)]
        if any(
            f == amount_digits or (f.startswith(amount_digits) and set(f[len(amount_digits) :]) <= {"0"})
            for f in figures
        ):
            agreeing.append((time_text, fee_text, description))
    return agreeing[0] if len(agreeing) == 1 else None


# -- personal presence and authorisation ------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Inference:
    """A tri-state fact read from prose, with the words that said it (``None`` when unknown).

    ``evidence`` is the folded text as read, or, when statements conflict, an English line quoting both; ``said``
    keeps that line to word in the reader's language (:meth:`evidence_in`).
    """

    value: Tri
    evidence: str | None = None
    said: Worded | None = attrs.field(default=None, eq=False, repr=False)

    def evidence_in(self, lang: str | None = None) -> str | None:
        """The evidence in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese): the words read
        are shown as read."""
        return self.said.text(lang) if self.said is not None else self.evidence


# Each pattern starts with a literal (a lookbehind is written after the word it guards: "phai (?<!khong phai )" is
# "(?<!khong )phai "), so the regular expression engine skips to the candidates instead of trying every position;
# alternatives with different first words are searched one by one (:func:`_find` keeps the leftmost match).
_PRESENCE_YES = (
    re.compile(
        r"phai (?<!khong phai )(?<!khong can phai )(?<!khong bat buoc phai )"
        r"(?:truc tiep (?:den|co mat|nop|ky|thuc hien|lam thu tuc|xuat trinh)|co mat(?! du hop| tai cuoc hop))"
    ),
    re.compile(r"bat buoc (?:phai )?co mat"),
    re.compile(r"khong (?:duoc )?(?:nop|gui) (?:ho so )?qua (?:duong )?buu (?:chinh|dien)"),
)
_PRESENCE_NO = re.compile(r"khong (?:can|bat buoc|phai) (?:phai )?(?:truc tiep den|co mat)")
_PROXY_NO = re.compile(
    r"khong(?<!quy dinh khong) (?:duoc|the|cho phep) (?:phep )?uy quyen|khong (?:ap dung|chap nhan) (?:viec )?uy quyen"
    r"|khong uy quyen cho (?:nguoi|ca nhan|to chuc) khac|khong duoc nop thay"
)
# only the applicant's proxy: "ủy quyền" also names delegation between agencies ("UBND tỉnh ủy quyền cho ...")
_PROXY_YES = (
    re.compile(r"hoac qua uy quyen|hoac (?:nguoi|ca nhan|to chuc) (?:duoc )?uy quyen"),
    re.compile(r"(?:co the|duoc phep|duoc) uy quyen cho (?:nguoi|ca nhan|to chuc|co quan, to chuc)"),
    re.compile(r"(?:hoac|thuc hien hoac) uy quyen cho (?:nguoi|ca nhan|to chuc) khac"),
    re.compile(r"nguoi(?<!khong nguoi) duoc uy quyen"),
    re.compile(r"phai (?:gui |co |nop )?(?:van ban|giay) uy quyen"),
    re.compile(r"giay uy quyen (?:nhan|nop)"),
)


# every pattern above contains one of its anchors; searching only near them keeps long prose cheap
_PRESENCE_ANCHORS = ("co mat", "truc tiep", "buu")
_PROXY_ANCHORS = ("uy quyen", "nop thay")


def _near(folded: str, anchors: tuple[str, ...], before: int = 80, after: int = 60) -> str:
    """The parts of ``folded`` around each anchor (overlapping windows merged), joined by a separator."""
    spans: list[tuple[int, int]] = []
    for anchor in anchors:
        i = folded.find(anchor)
        while i >= 0:
            spans.append((max(0, i - before), min(len(folded), i + len(anchor) + after)))
            i = folded.find(anchor, i + 1)
    if not spans:
        return ""
    spans.sort()
    merged = [spans[0]]
    for a, b in spans[1:]:
        if a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return " | ".join(folded[a:b] for a, b in merged)


def _find(patterns: tuple[re.Pattern[str], ...], folded: str) -> str | None:
    """The words around the leftmost match of the alternatives ``patterns`` (the first of them on a tie, as in one
    alternation), or ``None``."""
    m: re.Match[str] | None = None
    for pattern in patterns:
        found = pattern.search(folded)
        if found is not None and (m is None or found.start() < m.start()):
            m = found
    if m is None:
        return None
    a, b = max(0, m.start() - 40), min(len(folded), m.end() + 40)
    return folded[a:b].strip()


def _fold_all(texts: tuple[str | None, ...]) -> str:
    """``" ".join(fold(t) for t in texts if t)``, folding the texts as one: a record's prose is a handful of texts,
    and one pass over them all costs about a third less than a pass each (measured by benchmarks/catalog_import.py).

    They are joined by :data:`_APART` — a character that folds to itself, is no whitespace and separates what
    folding does (decomposition, lower case and its final-sigma rule, whitespace runs): each piece between two of
    them is then its own text folded, but for a space either side; a text folding to nothing stays an empty piece.
    """
    kept = [t for t in texts if t]
    if len(kept) < 2 or any(_APART in t for t in kept):
        return " ".join(map(fold, kept))
    return " ".join(piece.strip(" ") for piece in fold(_APART.join(kept)).split(_APART))


_APART = "\x01"


_CONFLICT = N_("conflicting statements: {yes} / {no}")


def _infer(folded: str, yes: tuple[re.Pattern[str], ...], no: re.Pattern[str]) -> Inference:
    said_no = _find((no,), folded)
    # a negative statement contains its positive words ("không được ủy quyền cho người khác"): blank it out first
    said_yes = _find(yes, no.sub(" # ", folded) if said_no else folded)
    if said_yes and said_no:
        said = words(_CONFLICT, yes=repr(said_yes), no=repr(said_no))
        return Inference(Tri.UNKNOWN, said.text("en"), said)
    if said_yes:
        return Inference(Tri.YES, said_yes)
    if said_no:
        return Inference(Tri.NO, said_no)
    return Inference(Tri.UNKNOWN)


def infer_personal_presence(*texts: str | None) -> Inference:
    """Whether the applicant must appear in person, read only from explicit statements.

    ``phải trực tiếp đến``, ``phải có mặt`` (not ``phải có mặt dự họp``: council members attending a meeting),
    ``không được nộp qua bưu chính`` → yes; ``không cần có mặt`` → no; both or neither → unknown.
    (QĐ 45/2016/QĐ-TTg Điều 1.2: presence required without authorisation keeps a procedure off the postal channel.)
    """
    return _infer(_near(_fold_all(texts), _PRESENCE_ANCHORS), _PRESENCE_YES, _PRESENCE_NO)


def infer_authorisation(*texts: str | None) -> Inference:
    """Whether a proxy may act for the applicant, read only from explicit statements.

    ``không được ủy quyền`` → no (not ``pháp luật quy định không được ủy quyền``: a condition, not a statement);
    ``hoặc người được ủy quyền``, ``có thể ủy quyền`` → yes; both or neither → unknown.
    """
    return _infer(_near(_fold_all(texts), _PROXY_ANCHORS), _PROXY_YES, _PROXY_NO)


def infer_presence_and_authorisation(*texts: str | None) -> tuple[Inference, Inference]:
    """Both :func:`infer_personal_presence` and :func:`infer_authorisation` over the same texts (folded once)."""
    folded = _fold_all(texts)
    return (
        _infer(_near(folded, _PRESENCE_ANCHORS), _PRESENCE_YES, _PRESENCE_NO),
        _infer(_near(folded, _PROXY_ANCHORS), _PROXY_YES, _PROXY_NO),
    )
