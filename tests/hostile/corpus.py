"""The hostile corpus: a generator of dossier-record files that attack the readers (issue 11).

Code, not checked-in binaries: :func:`build_corpus` writes every file into a folder and returns one
:class:`CorpusFile` per file — its name, its path, what it attacks, and its expected accounting where it is known
(``rows``: data rows accounted for, read or unreadable; ``valid`` / ``invalid``: rows without / with an error-level
finding when validated against :meth:`tthc.catalog.Catalog.sample`). ``file_error`` marks files that must be refused
as a whole with a :class:`tthc.DataFileError` (no header, a required column missing, an unreadable Parquet footer,
UTF-16 without a BOM).

Classes covered: line endings (LF, CRLF, CR, mixes), BOMs, delimiters, blank lines, quoting (quoted newlines,
unterminated quotes, escaped and stray quotes), bare CR in a field, garbage bytes, huge lines, headers (wrong, empty
file, header only, duplicate names, one column), wrong field counts, NUL bytes, cp1258, UTF-16/UTF-32 with and
without BOM, cells (non-ASCII digits, huge and negative numbers, impossible dates, 2-digit years, out-of-range
years), JSON Lines oddities (deep nesting, huge integers, NaN/Infinity, non-object lines, NUL, lone surrogates)
and Parquet oddities (a corrupt data page, nested/binary/uint64/decimal/time columns, typed negative numbers,
dates outside 1900..2100, a truncated footer).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import attrs

from tthc.testing.record_files import HEADER, row, to_cp1258

__all__ = ["CorpusFile", "build_corpus", "good_rows"]


@attrs.frozen(slots=True)
class CorpusFile:
    """One file of the corpus.

    Attributes:
        name: the file name (unique in the corpus).
        path: where it was written.
        attacks: what it attacks, in a few words.
        rows / valid / invalid: the expected accounting when validated against the sample catalog (``None``: not
            stated — the tests then check only ``rows == valid + invalid``).
        file_error: the file must be refused as a whole with a ``DataFileError``.
    """

    name: str
    path: Path
    attacks: str
    rows: int | None = None
    valid: int | None = None
    invalid: int | None = None
    file_error: bool = False

    @property
    def format(self) -> str:
        if self.name.endswith(".parquet"):
            return "parquet"
        if self.name.endswith(".jsonl"):
            return "jsonl"
        return "csv"

    def __repr__(self) -> str:
        return f"<corpus {self.name}: {self.attacks}>"


def good_rows(n: int, start: int = 1) -> list[dict[str, str]]:
    """``n`` valid rows of the sample catalog with distinct dossier codes."""
    return [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(start, start + n)]


def _line(r: dict[str, str], header: list[str] = HEADER, delimiter: str = ",", quote_all: bool = False) -> str:
    buf = io.StringIO()
    w = csv.writer(
        buf, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    w.writerow([r.get(h, "") for h in header])
    return buf.getvalue()[:-1]  # the writer quotes CR and LF in a field only when they are its line terminator


def _csv(lines: list[str], header: list[str] = HEADER, delimiter: str = ",", eol: str = "\n", last: bool = True) -> str:
    text = eol.join([delimiter.join(header), *lines])
    return text + eol if last else text


def _good(
    n: int = 3, start: int = 1, *, header: list[str] = HEADER, delimiter: str = ",", quote_all: bool = False
) -> list[str]:
    return [_line(r, header, delimiter, quote_all) for r in good_rows(n, start)]


NOTE_HEADER = [*HEADER, "note"]  # an extra column no check reads: a cell that may hold anything


def _with_note(note: str, code: int) -> str:
    quote = any(c in note for c in "\r\n")  # the writer leaves a lone CR unquoted
    return _line({**row(dossier_code=f"000.00.12.H21-250303-{code:04d}"), "note": note}, NOTE_HEADER, quote_all=quote)


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[CorpusFile] = []

    def add(
        self,
        name: str,
        content: bytes | str | Callable[[Path], None],
        attacks: str,
        rows: int | None = None,
        valid: int | None = None,
        invalid: int | None = None,
        *,
        file_error: bool = False,
    ) -> None:
        assert all(f.name != name for f in self.files), name
        path = self.folder / name
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            content(path)
        if rows is not None and valid is not None and invalid is None:
            invalid = rows - valid
        self.files.append(CorpusFile(name, path, attacks, rows, valid, invalid, file_error))


# ------------------------------------------------------------------------------------------------------------ CSV


def _csv_files(w: _Writer) -> None:
    g3 = _good(3)
    # line endings
    w.add("eol_lf.csv", _csv(g3), "LF line endings", 3, 3)
    w.add("eol_crlf.csv", _csv(g3, eol="\r\n"), "CRLF line endings", 3, 3)
    w.add("eol_cr.csv", _csv(g3, eol="\r"), "CR-only line endings (old Mac)", 3, 3)
    w.add("eol_mixed.csv", ",".join(HEADER) + "\r\n" + g3[0] + "\n" + g3[1] + "\r" + g3[2] + "\r\n", "mixed", 3, 3)
    w.add("eol_mixed_cr_header.csv", ",".join(HEADER) + "\r" + g3[0] + "\r\n" + g3[1] + "\n" + g3[2], "CR header", 3, 3)
    w.add("eol_no_final_newline.csv", _csv(g3, last=False), "no newline at the end", 3, 3)
    w.add("eol_crlf_no_final.csv", _csv(g3, eol="\r\n", last=False), "CRLF, no final newline", 3, 3)
    w.add("eol_lfcr.csv", _csv(g3, eol="\n\r"), "LF CR pairs: a blank line after each row", 3, 3)
    # BOMs and encodings
    w.add("bom_utf8.csv", b"\xef\xbb\xbf" + _csv(g3).encode(), "UTF-8 BOM", 3, 3)
    w.add("bom_utf8_crlf.csv", b"\xef\xbb\xbf" + _csv(g3, eol="\r\n").encode(), "UTF-8 BOM + CRLF", 3, 3)
    # a BOM doubled by a tool that adds one to a file that had one: the second is a format character (Cf),
    # which header matching folds away like the first
    w.add("bom_utf8_twice.csv", b"\xef\xbb\xbf\xef\xbb\xbf" + _csv(g3).encode(), "two BOMs", 3, 3)
    for enc, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        w.add(f"enc_{enc}_bom.csv", bom + _csv(g3).encode(enc), f"{enc} with BOM", 3, 3)
        w.add(f"enc_{enc}_nobom.csv", _csv(g3).encode(enc), f"{enc} without BOM", file_error=True)
        w.add(f"enc_{enc}_bom_crlf.csv", bom + _csv(g3, eol="\r\n").encode(enc), f"{enc} BOM CRLF", 3, 3)
    for enc, bom in (("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff")):
        w.add(f"enc_{enc}_bom.csv", bom + _csv(g3).encode(enc), f"{enc} with BOM", 3, 3)
        w.add(f"enc_{enc}_nobom.csv", _csv(g3).encode(enc), f"{enc} without BOM", file_error=True)
    labelled = [_line(r) for r in good_rows(3)]
    labelled = [ln.replace(",returned,", ",Đã trả kết quả,") for ln in labelled]
    w.add("enc_cp1258_labels.csv", to_cp1258(_csv(labelled)), "cp1258 with Vietnamese status labels", 3, 3)
    w.add("enc_cp1258_undefined_byte.csv", to_cp1258(_csv(g3[:2])) + g3[2].encode() + b"\x81\n", "cp1258 0x81", 3, 2)
    w.add("enc_latin_garbage_line.csv", _csv(g3).encode() + b"\xff\xfe\xfd,\x80\n", "undecodable line", 4, 3)
    w.add("enc_utf16_bom_odd_tail.csv", b"\xff\xfe" + _csv(g3).encode("utf-16-le") + b"\x41", "odd byte", 4, 3)
    # delimiters
    for name, d in (("semicolon", ";"), ("tab", "\t"), ("pipe", "|")):
        w.add(f"delim_{name}.csv", _csv(_good(3, delimiter=d), delimiter=d), f"{name}-separated", 3, 3)
    w.add("delim_mixed_rows.csv", _csv([g3[0], g3[1].replace(",", ";"), g3[2]]), "one row ;-separated", 3, 2)
    # blank lines
    w.add("blank_between.csv", _csv([g3[0], "", "", g3[1], "", g3[2]]), "blank lines between", 3, 3)
    w.add("blank_leading.csv", _csv(["", "", *g3]), "blank lines after the header", 3, 3)
    w.add("blank_trailing.csv", _csv([*g3, "", "", "", ""]), "blank lines at the end", 3, 3)
    w.add("blank_whitespace.csv", _csv([g3[0], "   ", "\t", g3[1], " \t ", g3[2]]), "whitespace-only", 3, 3)
    w.add("blank_crlf.csv", _csv([g3[0], "", g3[1], "", g3[2]], eol="\r\n"), "blank CRLF lines", 3, 3)
    w.add("blank_only_commas.csv", _csv([g3[0], "," * (len(HEADER) - 1), g3[1]]), "a row of empty cells", 3, 2)
    # quoting
    w.add("quote_all.csv", _csv(_good(3, quote_all=True)), "every field quoted", 3, 3)
    note = _csv(
        [_with_note("first line\nsecond line", 1), _with_note("x", 2), _with_note("a\r\nb\r\nc", 3)], NOTE_HEADER
    )
    w.add("quote_newline_note.csv", note, "quoted newlines in an ignored column", 3, 3)
    w.add(
        "quote_newline_code.csv",
        _csv([g3[0], _line(row(dossier_code="000.00.12.H21-\n250303-0002")), g3[2]]),
        "quoted newline in the dossier code",
        3,
        2,
    )
    w.add("quote_cr_in_quoted.csv", _csv([_with_note("a\rb", 1), _with_note("c", 2)], NOTE_HEADER), "CR quoted", 2, 2)
    w.add(
        "quote_newline_crlf_file.csv",
        _csv([_with_note("one\r\ntwo", 1), _with_note("three", 2)], NOTE_HEADER, eol="\r\n"),
        "quoted CRLF in a CRLF file",
        2,
        2,
    )
    unclosed = g3[1].replace("000.00.12.H21-250303-0002", '"000.00.12.H21-250303-0002', 1)
    w.add("quote_unclosed_middle.csv", _csv([g3[0], unclosed, g3[2]]), "unterminated quote mid-file", 3, 2)
    w.add("quote_unclosed_last.csv", _csv([*g3[:2], unclosed.replace("0002", "0003")]), "unterminated at EOF", 3, 2)
    w.add(
        "quote_unclosed_then_quoted.csv",
        _csv([g3[0], unclosed, *_good(3, start=3, quote_all=True)]),
        "unterminated quote followed by quoted rows",
        5,
        4,
    )
    many_unclosed = [ln.replace(",online,", ',"online,', 1) for ln in _good(40)]
    w.add("quote_unclosed_every_row.csv", _csv(many_unclosed), "every row opens a quote", 40, 0)
    w.add("quote_escaped.csv", _csv([_with_note('he said "hi", twice', 1)], NOTE_HEADER), "escaped quotes", 1, 1)
    w.add(
        "quote_stray_mid_field.csv", _csv([_with_note('5" screen', 1), _with_note('a"b"c', 2)], NOTE_HEADER), "", 2, 2
    )
    w.add("quote_after_close.csv", _csv([_with_note('"ab"cd', 1)], NOTE_HEADER), "text after a closing quote", 1, 1)
    w.add("quote_only_quotes.csv", _csv([g3[0], '"', '""', '"""', g3[1]]), "lines of quotes", None)
    w.add("quote_newline_huge_span.csv", _csv([g3[0], '"' + "\n".join(["x"] * 500), g3[1]]), "long quote", None)
    # bare CR in an unquoted field: a line break (two malformed lines)
    w.add("cr_bare_in_field.csv", _csv([g3[0], g3[1].replace("online", "onl\rine", 1), g3[2]]), "bare CR", 4, 2)
    w.add("cr_bare_at_end_of_field.csv", _csv([g3[0], g3[1] + "\r", g3[2]]), "CR before LF = CRLF", 3, 3)
    # field counts
    w.add("fields_short.csv", _csv([g3[0], g3[1].rsplit(",", 3)[0], g3[2]]), "a short row", 3, 2)
    w.add("fields_long.csv", _csv([g3[0], g3[1] + ",extra,cells", g3[2]]), "a long row", 3, 2)
    w.add("fields_truncated_last.csv", _csv([*g3[:2], g3[2][:40]], last=False), "cut in the middle of a row", 3, 2)
    w.add("fields_one_per_line.csv", _csv(["a", "b", "c"]), "one field per line", 3, 0)
    # headers
    w.add("header_empty_file.csv", b"", "empty file", file_error=True)
    w.add("header_whitespace_file.csv", b"  \n\n \r\n", "only whitespace", file_error=True)
    w.add("header_only.csv", ",".join(HEADER) + "\n", "header only", 0, 0)
    w.add("header_only_no_newline.csv", ",".join(HEADER), "header only, no newline", 0, 0)
    w.add("header_missing_required.csv", _csv(g3, [h for h in HEADER if h != "channel"]), "no channel", file_error=True)
    w.add("header_duplicate_names.csv", _csv(g3, [*HEADER, "dossier_code"]), "duplicate column", file_error=True)
    w.add("header_one_column.csv", "dossier_code\n000.00.12.H21-250303-0001\n", "one column", file_error=True)
    w.add("header_garbage.csv", "\x00\x01\x02,\xff\n1,2\n".encode("latin-1"), "garbage header", file_error=True)
    w.add("header_portal_names.csv", _portal_csv(), "portal sync names", 2, 2)
    w.add("header_extra_unknown.csv", _csv([_with_note("x", 1)], NOTE_HEADER), "an unknown column", 1, 1)
    w.add("header_reordered.csv", _csv(_good(2, header=HEADER[::-1]), HEADER[::-1]), "columns reversed", 2, 2)
    w.add("header_quoted_names.csv", _csv(g3, [f'"{h}"' for h in HEADER]), "quoted header names", 3, 3)
    w.add("header_blank_first_line.csv", "\n" + _csv(g3), "a blank line before the header", file_error=True)
    # NUL bytes
    w.add("nul_in_cell.csv", _csv([g3[0], g3[1].replace("H21", "H\x0021", 1), g3[2]]), "NUL in a code", 3, 2)
    w.add("nul_line.csv", _csv([g3[0], "\x00\x00\x00", g3[2]]), "a line of NULs", 3, 2)
    w.add("nul_in_quoted.csv", _csv([_with_note("a\x00b", 1)], NOTE_HEADER), "NUL in a quoted note", 1, 1)
    # huge lines (the pyarrow reader's block is smaller)
    big = "x" * (9 << 20)
    w.add("huge_cell_note.csv", _csv([_with_note(big, 1), _with_note("y", 2)], NOTE_HEADER), "9 MiB cell", 2, 2)
    w.add("huge_line_garbage.csv", _csv([g3[0], big, g3[2]]), "a 9 MiB line without delimiters", 3, 2)
    # garbage
    rng = random.Random(11)
    w.add(
        "garbage_random_bytes.csv",
        ",".join(HEADER).encode() + b"\n" + bytes(rng.randrange(256) for _ in range(50_000)),
        "random bytes after the header",
    )
    ascii_junk = "".join(rng.choice('abc,;"\r\n \t\x00') for _ in range(30_000))
    w.add("garbage_ascii_punctuation.csv", _csv([ascii_junk]), "quotes, commas, CRs, NULs at random")
    w.add(
        "garbage_lines_5000.csv", _csv(["".join(rng.choice("ab,c") for _ in range(20)) for _ in range(5000)]), "", 5000
    )
    w.add("garbage_mixed_good.csv", _csv([*g3, "%%%", *_good(2, start=4)]), "garbage among good rows", 6, 5)
    # cells
    for name, changes, valid in _bad_cells():
        w.add(
            f"cell_{name}.csv",
            _csv([g3[0], _line(row(dossier_code="000.00.12.H21-250303-0002", **changes))]),
            name,
            2,
            valid,
        )


def _bad_cells() -> list[tuple[str, dict[str, str], int | None]]:
    """(name, changes to the second row, valid rows of the two) — each an attack on one cell."""
    return [
        ("channel_superscript_two", {"channel": "²"}, 1),
        ("channel_arabic_two", {"channel": "٢"}, 1),
        ("channel_fullwidth_two", {"channel": "２"}, 1),
        ("status_superscript", {"status": "¹⁰"}, 1),
        ("status_arabic", {"status": "١٠"}, 1),
        ("level_superscript", {"online_level": "³"}, 1),
        ("fee_superscript", {"fee_vnd": "²⁰⁰"}, 1),
        ("fee_arabic", {"fee_vnd": "٢٠٠"}, 1),
        ("fee_20_digits", {"fee_vnd": "12345678901234567890"}, 1),
        ("fee_19_digits", {"fee_vnd": "9999999999999999999"}, 1),
        ("fee_negative", {"fee_vnd": "-5"}, 1),
        ("fee_float", {"fee_vnd": "1e5"}, 1),
        ("fee_grouped", {"fee_vnd": "200.000"}, 2),
        ("count_superscript", {"supplement_count": "¹"}, 1),
        ("date_feb_30_iso", {"received_at": "2024-02-30 09:09"}, 1),
        ("date_feb_30_dmy", {"received_at": "30/02/2024"}, 1),
        ("date_month_13", {"received_at": "2026-13-01"}, 1),
        ("date_hour_25", {"received_at": "2025-03-03 25:00"}, 1),
        ("date_minute_61", {"received_at": "2025-03-03 09:61"}, 1),
        ("date_two_digit_year", {"received_at": "02/01/24"}, 1),
        ("date_year_1999", {"received_at": "1999-12-31 09:00"}, 1),
        ("date_year_9999", {"received_at": "9999-12-31 09:00"}, 1),
        ("date_year_0001", {"received_at": "0001-01-01"}, 1),
        ("date_arabic_digits", {"received_at": "٢٠٢٥-03-03 09:00"}, 1),
        ("date_due_feb_29_2023", {"due_at": "2023-02-29 17:00"}, 1),
        ("date_leap_day_ok", {"finished_at": "2025-03-14 10:00:00"}, 2),
        ("code_fullwidth_digits", {"procedure_code": "２.００１４１７"}, 1),
        ("agency_markup", {"agency_code": "[/]"}, None),
        ("formula_injection", {"agency_code": '=HYPERLINK("x")'}, None),
    ]


def _portal_csv() -> str:
    header = ["MaHoSo", "MaTTHC", "agency_code", "KenhThucHien", "NgayTiepNhan", "NgayHenTra", "status"]
    lines = [
        "000.00.12.H21-250303-0001,2.001417,000.00.12.H21,2,03/03/2025 09:00,17/03/2025 17:00,4",
        "000.00.12.H21-250303-0002,2.001417,000.00.12.H21,2,03/03/2025 09:00:00,17/03/2025 17:00:00,4",
    ]
    return _csv(lines, header)


# ------------------------------------------------------------------------------------------------------ JSON Lines


def _json_good(n: int = 3, start: int = 1) -> list[str]:
    return [json.dumps({k: v for k, v in r.items() if v}, ensure_ascii=False) for r in good_rows(n, start)]


def _jsonl_files(w: _Writer) -> None:
    g = _json_good(3)
    j = "\n".join
    w.add("json_good.jsonl", j(g) + "\n", "plain", 3, 3)
    w.add("json_crlf.jsonl", "\r\n".join(g) + "\r\n", "CRLF", 3, 3)
    w.add("json_cr_only.jsonl", "\r".join(g) + "\r", "CR only", 3, 3)
    w.add("json_bom.jsonl", b"\xef\xbb\xbf" + (j(g) + "\n").encode(), "UTF-8 BOM", 3, 3)
    w.add("json_empty.jsonl", b"", "empty file", 0, 0)
    w.add("json_blank_lines.jsonl", j(["", g[0], "  ", g[1], "", g[2], ""]), "blank lines", 3, 3)
    w.add("json_no_final_newline.jsonl", j(g), "no final newline", 3, 3)
    for enc, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00")):
        w.add(f"json_{enc}_bom.jsonl", bom + (j(g) + "\n").encode(enc), f"{enc} with BOM", 3, 3)
    w.add("json_utf16le_nobom.jsonl", (j(g) + "\n").encode("utf-16-le"), "UTF-16 without BOM", file_error=True)
    w.add(
        "json_cp1258.jsonl", to_cp1258(j([g[0], g[1].replace('"returned"', '"Đã trả kết quả"')]) + "\n"), "cp1258", 2, 2
    )
    odd = {
        "array": "[1, 2]",
        "number": "42",
        "string": '"text"',
        "null": "null",
        "true": "true",
        "invalid": "{not json",
        "trailing_comma": '{"a": 1,}',
        "deep_nesting": "[" * 100_000 + "]" * 100_000,
        "deep_object": '{"a":' * 50_000 + "1" + "}" * 50_000,
        "huge_int_fee": g[1][:-1] + ', "fee_vnd": ' + "9" * 5000 + "}",
        "huge_int_key": '{"x": ' + "1" * 5000 + "}",
        "nan_fee": g[1][:-1] + ', "fee_vnd": NaN}',
        "infinity_fee": g[1][:-1] + ', "fee_vnd": Infinity}',
        "neg_infinity_count": g[1][:-1] + ', "supplement_count": -Infinity}',
        "float_fee_huge": g[1][:-1] + ', "fee_vnd": 1e300}',
        "float_fee_overflow": g[1][:-1] + ', "fee_vnd": 1e400}',
        "negative_fee": g[1][:-1] + ', "fee_vnd": -5}',
        "fee_fraction": g[1][:-1] + ', "fee_vnd": 200000.5}',
        "nested_cell": g[1][:-1] + ', "status": {"code": 10}}',
        "list_cell": g[1][:-1] + ', "channel": [2]}',
        "bool_cell": g[1][:-1] + ', "channel": true}',
        "nul_escaped": g[1].replace("H21-250303", "H21\\u0000-250303", 1),
        "nul_raw": g[1].replace("H21-250303", "H21\x00-250303", 1),
        "lone_surrogate": g[1].replace("H21-250303", "H21\\ud800-250303", 1),
        "superscript_channel": g[1].replace('"online"', '"²"', 1),
        "int_channel": g[1].replace('"online"', "2", 1),
        "duplicate_keys": g[1][:-1] + ', "dossier_code": "000.00.12.H21-250303-0009"}',
        "two_names_one_column": g[1][:-1] + ', "MaHoSo": "000.00.12.H21-250303-0009"}',
        "date_feb_30": g[1].replace("2025-03-03 09:00:00", "2024-02-30 09:09", 1),
        "garbage_bytes": "\x01\x02\x03\x7f",
    }
    for name, line in odd.items():
        valid = 3 if name == "int_channel" else 2  # a key given twice is E_SCHEMA, as two names for one column
        w.add(f"json_{name}.jsonl", j([g[0], line, g[2]]) + "\n", name, 3, valid)
    w.add("json_undecodable.jsonl", (j(g) + "\n").encode() + b'{"a": "\xff\xfe"}\n', "invalid UTF-8", 4, 3)
    w.add("json_huge_line.jsonl", j([g[0], '{"note": "' + "x" * (9 << 20) + '"}']) + "\n", "9 MiB line", 2, 1)


# --------------------------------------------------------------------------------------------------------- Parquet


def _parquet_files(w: _Writer) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - the corpus is built in the dev environment
        return
    rows = good_rows(6)

    def table(**override: object) -> pa.Table:
        cols: dict[str, object] = {h: [r[h] or None for r in rows] for h in HEADER}
        cols.update(override)
        return pa.table(cols)

    def write(t: pa.Table, **kw: object) -> Callable[[Path], None]:
        return lambda p: pq.write_table(t, p, **kw)

    w.add("pq_good.parquet", write(table()), "plain text columns", 6, 6)
    w.add("pq_row_groups.parquet", write(table(), row_group_size=2), "three row groups", 6, 6)
    w.add("pq_empty.parquet", write(table().slice(0, 0)), "zero rows", 0, 0)
    w.add("pq_dictionary.parquet", write(table(), use_dictionary=True), "dictionary pages", 6, 6)
    w.add("pq_missing_channel.parquet", write(table().drop(["channel"])), "no channel", file_error=True)
    w.add("pq_not_parquet.parquet", b"PAR1 garbage", "not a Parquet file", file_error=True)
    w.add("pq_empty_file.parquet", b"", "empty file", file_error=True)

    def truncated(p: Path) -> None:
        pq.write_table(table(), p)
        p.write_bytes(p.read_bytes()[:-20])

    w.add("pq_truncated_footer.parquet", truncated, "footer cut", file_error=True)

    def corrupt_page(p: Path) -> None:
        # three row groups without compression; overwrite bytes in the middle of the second group's data pages
        pq.write_table(
            table(dossier_code=[f"000.00.12.H21-250303-{i:04d}" for i in range(1, 7)]),
            p,
            row_group_size=2,
            compression="NONE",
            use_dictionary=False,
        )
        meta = pq.ParquetFile(p).metadata
        rg = meta.row_group(1)
        col = rg.column(0)
        data = bytearray(p.read_bytes())
        start = col.data_page_offset
        for k in range(start, start + 12):
            data[k] = 0xFF
        p.write_bytes(bytes(data))

    w.add("pq_corrupt_page.parquet", corrupt_page, "a corrupt data page in row group 2 of 3", 6, 4)
    n = len(rows)
    typed = {
        "fee_int_negative": (pa.array([-5] + [200000] * (n - 1), pa.int64()), 5),
        "fee_uint64_huge": (pa.array([2**64 - 1] + [200000] * (n - 1), pa.uint64()), 5),
        "fee_int32": (pa.array([200000] * n, pa.int32()), 6),
        "fee_float": (pa.array([200000.0] * (n - 1) + [0.5], pa.float64()), 5),
        "fee_float_nan": (pa.array([float("nan")] + [200000.0] * (n - 1), pa.float64()), 5),
        "fee_decimal": (pa.array([Decimal("200000.00")] * n, pa.decimal128(12, 2)), None),
        "fee_list": (pa.array([[1, 2]] * n, pa.list_(pa.int64())), None),
        "fee_struct": (pa.array([{"a": 1}] * n, pa.struct([("a", pa.int64())])), None),
        "fee_binary": (pa.array([b"\x00\xff"] * n, pa.binary()), None),
        "fee_bool": (pa.array([True] * n, pa.bool_()), None),
        "fee_null_type": (pa.nulls(n), 6),
        "count_negative": (pa.array([-1] + [0] * (n - 1), pa.int64()), 5),
        "received_date32": (pa.array([date(2025, 3, 3)] * n, pa.date32()), None),
        "received_date_9999": (pa.array([date(9999, 12, 31)] + [date(2025, 3, 3)] * (n - 1), pa.date32()), None),
        "received_ts_1800": (
            pa.array([datetime(1800, 1, 1)] + [datetime(2025, 3, 3, 9)] * (n - 1), pa.timestamp("s")),
            5,
        ),
        "received_time": (pa.array([time(9, 0)] * n, pa.time64("us")), 0),
        "received_text_feb30": (pa.array(["2024-02-30 09:09"] + ["2025-03-03 09:00:00"] * (n - 1)), 5),
        "received_large_string": (pa.array(["2025-03-03 09:00:00"] * n, pa.large_string()), 6),
        "channel_int": (pa.array([2] * n, pa.int64()), 6),
        "channel_superscript": (pa.array(["²"] + ["online"] * (n - 1)), 5),
        "channel_list": (pa.array([["online"]] * n, pa.list_(pa.string())), 0),
        "code_binary": (pa.array([b"000.00.12.H21-250303-0001"] * n, pa.binary()), None),
    }
    for name, (arr, valid) in typed.items():
        column = name.split("_")[0]
        column = {"fee": "fee_vnd", "count": "supplement_count", "received": "received_at", "code": "dossier_code"}.get(
            column, column
        )
        if pa.types.is_nested(arr.type):  # refused as a whole, naming the column and its type
            w.add(f"pq_{name}.parquet", write(table(**{column: arr})), f"{column} as {arr.type}", file_error=True)
        else:
            w.add(f"pq_{name}.parquet", write(table(**{column: arr})), f"{column} as {arr.type}", n, valid)


def build_corpus(folder: Path) -> list[CorpusFile]:
    """Write the hostile corpus into ``folder`` and describe each file."""
    folder.mkdir(parents=True, exist_ok=True)
    w = _Writer(folder)
    _csv_files(w)
    _jsonl_files(w)
    _parquet_files(w)
    return w.files
