"""The catalog: an immutable, indexed set of procedures, loaded from our JSON files or imported from portal exports."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NamedTuple

from tthc.catalog.model import Level, Procedure, _Frozen, parse_level
from tthc.errors import DataFileError, DuplicateCodeError, InvalidValueError, NotFoundError, Wordable
from tthc.foundation.channels import Channel
from tthc.foundation.data_files import as_file_path, iter_json_lines, load_json, lone_surrogate, read_json_file
from tthc.foundation.data_value import Described, data_value
from tthc.foundation.error_words import PydanticWords, main_error, own_errors
from tthc.foundation.i18n import N_
from tthc.foundation.ids import ProcedureCode
from tthc.foundation.output_files import atomic_output
from tthc.foundation.text import fold
from tthc.foundation.words import Words, marked, words

if TYPE_CHECKING:  # the portal importer is loaded by the functions that import (reading a catalog never needs it)
    from tthc.catalog.import_report import ImportReport

__all__ = [
    "SAMPLE_CATALOG",
    "Catalog",
    "CatalogFile",
    "PortalImport",
    "catalog_json_schema",
    "import_portal",
    "import_portal_files",
]

_UTF8_TEXT = N_("text that UTF-8 can write (no half of a surrogate pair, \\ud800-\\udfff)")


# --------------------------------------------------------------------------------------------------------------------
# The catalog: an immutable, indexed set of procedures
# --------------------------------------------------------------------------------------------------------------------

SAMPLE_CATALOG = "sample_catalog.json"
"""Name of the bundled sample catalog (written by this project, not an official list)."""


@data_value
class CatalogFile(_Frozen):
    """The on-disk JSON form of a catalog: ``{"about": ..., "procedures": [...]}``.

    JSON Lines catalogs (suffix ``.jsonl``) hold one :class:`Procedure` per line instead.
    """

    about: Annotated[str | None, Described("what this catalog is and where it comes from")] = None
    procedures: tuple[Procedure, ...] = ()


def _unpickle_catalog(procedures: tuple[Procedure, ...], about: str | None) -> Catalog:
    return Catalog(procedures, about=about)


def _describe(p: Procedure) -> Words:
    if p.source:
        return words(N_("{code} {name}, source {source}"), code=str(p.code), name=repr(p.name), source=p.source)
    return words(N_("{code} {name}"), code=str(p.code), name=repr(p.name))


class Catalog:
    """An immutable set of procedures, indexed by code (national ``1.000178`` or local ``1.001612.000.00.00.H48``).

    Lookup rules (``cat[code]``):

    1. the exact code, if present;
    2. for a local code (``<national>.<agency>``) not present, the national record it instantiates;
    3. for a national code not present, its only local instance (several instances: :class:`NotFoundError`
       listing them — ask for one of them by its local code).

    Two procedures with the same code are an error (:class:`DuplicateCodeError` naming both records).

    Example:
        >>> cat = Catalog.sample()
        >>> "1.001193" in cat
        True
    """

    __slots__ = ("_about", "_by_code", "_by_national", "_procedures")

    _about: str | None
    _procedures: tuple[Procedure, ...]
    _by_code: dict[str, Procedure]
    _by_national: dict[str, tuple[Procedure, ...]]

    def __init__(self, procedures: Iterable[Procedure] = (), *, about: str | None = None) -> None:
        procs = tuple(procedures)
        by_code: dict[str, Procedure] = {}
        position: dict[str, int] = {}
        by_national: dict[str, list[Procedure]] = {}
        for i, p in enumerate(procs):
            if not isinstance(p, Procedure):
                raise InvalidValueError(f"procedures[{i}]", N_("a tthc.Procedure"), type(p).__name__)
            first = by_code.get(p.code)
            if first is not None:
                raise DuplicateCodeError(
                    words(
                        N_("procedure code {code} appears twice: record #{i} {first} and record #{j} {second}"),
                        code=str(p.code),
                        i=position[p.code],
                        first=_describe(first),
                        j=i,
                        second=_describe(p),
                    )
                )
            by_code[p.code] = p
            position[p.code] = i
            by_national.setdefault(p.code.national, []).append(p)
        if about is not None and not isinstance(about, str):
            raise InvalidValueError("about", N_("text or None"), about)
        object.__setattr__(self, "_about", about)
        object.__setattr__(self, "_procedures", procs)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_national", {k: tuple(v) for k, v in by_national.items()})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Catalog is immutable (cannot set {name!r}); build a new one")

    def __reduce__(self) -> tuple[Callable[..., Catalog], tuple[tuple[Procedure, ...], str | None]]:
        # pickled as its constructor call (the slots are derived data, and __setattr__ refuses the default path),
        # so a catalog can be shipped to Dask workers and other processes
        return (_unpickle_catalog, (self._procedures, self._about))

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Catalog is immutable (cannot delete {name!r})")

    # -- container protocol ----------------------------------------------------------------------------------------

    @property
    def about(self) -> str | None:
        """What this catalog is (``about`` of the file it was loaded from)."""
        return self._about

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        """The procedures in their original order."""
        return self._procedures

    @property
    def codes(self) -> tuple[ProcedureCode, ...]:
        return tuple(p.code for p in self._procedures)

    def __len__(self) -> int:
        return len(self._procedures)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self._procedures)

    def __contains__(self, code: object) -> bool:
        if isinstance(code, Procedure):
            return self._by_code.get(code.code) == code
        return self.get(code) is not None if isinstance(code, str) else False

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalog):
            return NotImplemented
        return self._procedures == other._procedures and self._about == other._about

    def __hash__(self) -> int:
        return hash(self._procedures)

    def __repr__(self) -> str:
        about = f" ({self._about[:40]}...)" if self._about and len(self._about) > 40 else f" ({self._about})"
        return f"<Catalog of {len(self)} procedures{about if self._about else ''}>"

    def _resolve(self, code: str) -> Procedure:
        try:
            key = ProcedureCode(code)
        except InvalidValueError as exc:
            raise NotFoundError(
                words(
                    N_("procedure_code: expected {expected}, got {code}"),
                    expected=marked(exc.expected_words),
                    code=repr(code),
                )
            ) from None
        hit = self._by_code.get(key)
        if hit is not None:
            return hit
        if key.is_local:
            national = self._by_code.get(key.national)
            if national is not None:
                return national
            raise NotFoundError(
                words(
                    N_("procedure {code} is not in the catalog (nor its national code {national})"),
                    code=str(key),
                    national=str(key.national),
                )
            )
        instances = self._by_national.get(key, ())
        if len(instances) == 1:
            return instances[0]
        if instances:
            listed = ", ".join(p.code for p in instances)
            raise NotFoundError(
                words(
                    N_("procedure {code}: {count} local instances ({listed}); look one up by its local code"),
                    code=str(key),
                    count=len(instances),
                    listed=listed,
                )
            )
        raise NotFoundError(words(N_("procedure {procedure} is not in the catalog"), procedure=str(key)))

    def __getitem__(self, code: str) -> Procedure:
        """The procedure with ``code`` (see the lookup rules in the class docstring).

        Raises:
            NotFoundError: no procedure answers to ``code`` (the message names it).
        """
        if not isinstance(code, str):
            raise NotFoundError(
                words(N_("procedure_code: expected a code string such as '1.000178', got {code}"), code=repr(code))
            )
        return self._resolve(code)

    def get(self, code: str, default: Procedure | None = None) -> Procedure | None:
        """Like ``cat[code]`` but returns ``default`` instead of raising."""
        try:
            return self[code]
        except NotFoundError:
            return default

    def instances(self, code: str) -> tuple[Procedure, ...]:
        """Every record of the national procedure ``code`` (the national one and its local instances)."""
        try:
            return self._by_national.get(ProcedureCode(code).national, ())
        except InvalidValueError:
            return ()

    # -- filters ---------------------------------------------------------------------------------------------------

    def filter(
        self,
        *,
        level: Level | str | None = None,
        field: str | None = None,
        channel: Channel | str | int | None = None,
        agency: str | None = None,
        on: date | None = None,
        predicate: Callable[[Procedure], bool] | None = None,
    ) -> Catalog:
        """The procedures matching every given criterion, as a new catalog (order kept).

        Args:
            level: a :class:`Level` or a label (``'province'``, ``'Cấp tỉnh'``).
            field: lĩnh vực, compared without case or accents (``'ho tich'`` matches ``'Hộ tịch'``).
            channel: a :class:`Channel` or anything :meth:`Channel.parse` accepts.
            agency: an agency id (``'000.00.00.H48'``), a province code (``'H48'``) matched against local procedure
                codes, or a part of an agency name (accent-insensitive).
            on: keep procedures in force on this date (``valid_from``/``valid_until`` inclusive; unknown = in force).
            predicate: any further test.

        Raises:
            InvalidValueError: ``level`` or ``channel`` names nothing known.
        """
        for name, value in (("field", field), ("agency", agency)):
            if value is not None and not isinstance(value, str):
                raise InvalidValueError(name, N_("text or None"), value)
        if on is not None and (not isinstance(on, date) or isinstance(on, datetime)):
            raise InvalidValueError("on", N_("a date or None"), on)
        if predicate is not None and not callable(predicate):
            raise InvalidValueError("predicate", N_("a function of a Procedure, or None"), predicate)
        tests: list[Callable[[Procedure], bool]] = []
        if level is not None:
            lv = parse_level(level) if not isinstance(level, Level) else level
            tests.append(lambda p: lv in p.levels)
        if field is not None:
            f = fold(field)
            tests.append(lambda p: p.field is not None and fold(p.field) == f)
        if channel is not None:
            ch = Channel.parse(channel)
            tests.append(lambda p: p.offers(ch))
        if agency is not None:
            tests.append(_agency_test(agency))
        if on is not None:
            tests.append(lambda p: p.in_force(on))
        if predicate is not None:
            tests.append(predicate)
        return Catalog((p for p in self._procedures if all(t(p) for t in tests)), about=self._about)

    # -- files -----------------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Catalog:
        """Load a catalog written by :meth:`dump`: JSON (``{"about", "procedures"}``) or JSON Lines (``.jsonl`` or
        ``.jsonl.gz``); gzip-compressed or not (told by the first bytes).

        Raises:
            DataFileError: the file cannot be read or a record does not match the model (file, record, field named).
            DuplicateCodeError: two records carry the same code.
            InvalidValueError: ``path`` is not a str or os.PathLike.
        """
        p = as_file_path(path)
        if _json_lines(p):
            return cls(_read_jsonl_procedures(p))
        raw = read_json_file(p)
        return _catalog_from_raw(raw, str(p))

    def dump(self, path: str | Path) -> Path:
        """Write the catalog as JSON (or JSON Lines when the suffix is ``.jsonl``), gzip-compressed when the name
        ends in ``.gz`` (``catalog.jsonl.gz``: no time stamp or name in the gzip header, so the same catalog is the
        same bytes); returns the path.

        The file is written atomically (a temporary file renamed into place): it is complete or not there, and an
        older file at ``path`` survives a failed write.

        Raises:
            OutputFileError: the folder is missing, permission denied, no space left (``field`` ``"path"``).
            InvalidValueError: ``path`` is not a str or os.PathLike; a text of a procedure holds half of a surrogate
                pair (built in Python: no file read by tthc holds one), which UTF-8 cannot write (the older file
                is kept).
        """
        p = as_file_path(path)
        try:
            data = self._text(_json_lines(p)).encode("utf-8")
        except UnicodeEncodeError:
            raise self._unwritable() from None
        with atomic_output(p, "wb") as fh:
            if _gzipped(p):
                import gzip  # only for a compressed catalog

                with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as packed:
                    packed.write(data)
            else:
                fh.write(data)
        return p

    def _text(self, json_lines: bool) -> str:
        """The catalog as a JSON document, or as JSON Lines (one procedure a line); defaults are left out of each
        procedure (smaller files), never the two top-level keys of the document."""
        if json_lines:
            return "".join(
                json.dumps(proc.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False) + "\n"
                for proc in self._procedures
            )
        doc = {
            "about": self._about,
            "procedures": [proc.model_dump(mode="json", exclude_defaults=True) for proc in self._procedures],
        }
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"

    def _unwritable(self) -> InvalidValueError:
        """The error naming the first text of the catalog that UTF-8 cannot write (half of a surrogate pair)."""
        for i, proc in enumerate(self._procedures):
            for name, value in proc.model_dump(mode="json", exclude_defaults=True).items():
                if lone_surrogate(value):
                    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    said = words(N_("procedure {code}"), code=str(proc.code))
                    return InvalidValueError(f"procedures[{i}].{name}", _UTF8_TEXT, shown[:80], detail=said)
        return InvalidValueError("about", _UTF8_TEXT, (self._about or "")[:80])

    def to_file_model(self) -> CatalogFile:
        return CatalogFile(about=self._about, procedures=self._procedures)

    @classmethod
    def sample(cls) -> Catalog:
        """The bundled sample catalog (a few dozen procedures written by this project, not an official list)."""
        return _sample()

    @classmethod
    def from_portal(cls, rows: Iterable[object], *, source: str | None = None) -> PortalImport:
        """Import national-portal export rows (both shapes in ``data/real``) → a catalog and an import report.

        See :func:`import_portal`. Every row is accounted for in the report; nothing is dropped silently.
        """
        return import_portal(rows, source=source)


SchemaName = Literal["catalog", "procedure"]


def catalog_json_schema(which: SchemaName = "catalog") -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a catalog file (:class:`CatalogFile`) or of one :class:`Procedure`.

    Raises:
        InvalidValueError: ``which`` is neither ``'catalog'`` nor ``'procedure'``.
    """
    models: dict[str, type[CatalogFile | Procedure]] = {"catalog": CatalogFile, "procedure": Procedure}
    if which not in models:
        raise InvalidValueError("schema", N_("'catalog' or 'procedure'"), which)
    schema: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **models[which].model_json_schema(mode="validation"),
    }
    return schema


def _agency_test(agency: str) -> Callable[[Procedure], bool]:
    wanted = agency.strip().upper()
    folded = fold(agency)

    def test(p: Procedure) -> bool:
        suffix = p.code.agency
        if suffix is not None and (suffix == wanted or suffix.endswith("." + wanted) or suffix[-3:] == wanted):
            return True
        return any(folded in fold(a) for a in p.agencies)

    return test


def _catalog_from_raw(raw: object, where: str) -> Catalog:
    if isinstance(raw, list):
        raw = {"procedures": raw}
    if not isinstance(raw, dict):
        raise DataFileError(words(_NOT_A_CATALOG, where=where, type=type(raw).__name__))
    procs_raw = raw.get("procedures")
    if not isinstance(procs_raw, list):
        raise DataFileError(words(_NOT_A_LIST, where=where, type=type(procs_raw).__name__))
    procs = [_procedure_from_raw(r, f"{where}: procedures[{i}]") for i, r in enumerate(procs_raw)]
    about = raw.get("about")
    if about is not None and not isinstance(about, str):
        raise DataFileError(words(_NOT_TEXT, where=where, type=type(about).__name__))
    extra = set(raw) - {"about", "procedures", "$schema", "$comment"}
    if extra:
        raise DataFileError(words(_EXTRA_KEYS, where=where, keys=str(sorted(extra))))
    return Catalog(procs, about=about)


# the top-level shape of a catalog file, worded in the reader's language
_NOT_A_CATALOG = N_("{where}: expected a JSON object with 'procedures' (or a list), got {type}")
_NOT_A_LIST = N_("{where}: expected 'procedures' to be a list, got {type}")
_NOT_TEXT = N_("{where}: expected 'about' to be text, got {type}")
_EXTRA_KEYS = N_("{where}: unexpected top-level keys {keys} (expected 'about', 'procedures')")


def _procedure_from_raw(raw: object, where: object) -> Procedure:
    from pydantic import ValidationError

    try:
        return Procedure.model_validate(raw)
    except ValidationError as exc:
        code = raw.get("code") if isinstance(raw, dict) else None
        errors = exc.errors()
        field, first = main_error(errors)
        # a union's "should be an instance" branch is not one more error of the file
        count = len(own_errors(errors))
        cause = (first.get("ctx") or {}).get("error")
        nested = isinstance(cause, InvalidValueError)  # the check's own words, never its field said twice
        if isinstance(cause, InvalidValueError) and not field:  # a check of the whole procedure names its field
            field = cause.field
        said = words(
            _BAD_PROCEDURE if count == 1 else _BAD_PROCEDURE_MORE,
            where=where,
            code=repr(code),
            field=field,
            # a check of a nested value (an amount, a currency) says what it expected itself
            problem=words(_EXPECTED, expected=_worded(cause.expected_words))
            if nested and isinstance(cause, InvalidValueError)
            else PydanticWords(first, first["msg"], framed=True),
            given=repr(cause.given if nested and isinstance(cause, InvalidValueError) else first.get("input")),
            n=count - 1,
        )
        raise DataFileError(said) from None


_EXPECTED = N_("expected {expected}")


def _worded(text: str | Wordable) -> Wordable:
    return words(text) if isinstance(text, str) else text  # a marked text, translated when shown


_BAD_PROCEDURE = N_("{where} (code {code}): field {field}: {problem}, got {given}")
_BAD_PROCEDURE_MORE = N_("{where} (code {code}): field {field}: {problem}, got {given} (+{n} more errors)")
_LINE = N_("{source}: line {line}")


def _gzipped(p: Path) -> bool:
    return p.suffix.lower() == ".gz"


def _json_lines(p: Path) -> bool:
    """Whether a catalog file's name says JSON Lines: ``.jsonl``, or ``.jsonl.gz``."""
    return (Path(p.stem) if _gzipped(p) else p).suffix.lower() == ".jsonl"


def _read_jsonl_procedures(p: Path) -> list[Procedure]:
    return [_procedure_from_raw(raw, words(_LINE, source=str(p), line=n)) for n, raw in iter_json_lines(p)]


@cache
def _sample() -> Catalog:
    # the bundled file is read as written, without pydantic's validators (tests/foundation/test_bundled.py validates
    # it and compares): the sample run validates none of the user's data and skips building them
    from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
    from tthc.foundation.bundled import bundled_model
    from tthc.foundation.money import Money

    converters = {
        ProcessingTime: lambda d: ProcessingTime(TimeUnit(d["unit"]), d.get("amount"), d.get("text", "")),
        Money: lambda d: Money(d["minor"], d["currency"]),
    }
    raw = load_json(SAMPLE_CATALOG)
    return Catalog((bundled_model(Procedure, p, converters) for p in raw["procedures"]), about=raw.get("about"))


class PortalImport(NamedTuple):
    """The result of an import: the catalog and the report.

    Unpacks as ``catalog, report = Catalog.from_portal(rows)``.
    """

    catalog: Catalog
    report: ImportReport


def import_portal_files(paths: Iterable[str | Path], *, jobs: int = 1) -> PortalImport:
    """Import several export files (``.jsonl`` or ``.jsonl.gz``) into one catalog; duplicates across files count.

    ``jobs`` > 1 parses a large import (more than 4 MiB of JSON) in that many forked worker processes
    (:func:`~tthc.catalog.portal_jobs.usable_jobs`: the cores this process may use); the catalog and the report are
    the same whatever ``jobs`` is. The default, 1, parses in this process.

    Raises:
        InvalidValueError: ``paths`` is one path rather than a list of them, or holds something that is not a path;
            ``jobs`` is not a whole number >= 1.
        WorkerLostError: ``jobs`` > 1 and a worker process ended before its work was done (killed, often for lack
            of memory, or crashed; the message says which): nothing is returned; fewer jobs need less memory.
    """
    if isinstance(paths, str | bytes | os.PathLike) or not isinstance(paths, Iterable):
        raise InvalidValueError("paths", N_("an iterable of file paths (a list, even for one file)"), paths)
    paths = [as_file_path(p, "paths") for p in paths]
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InvalidValueError("jobs", N_("a whole number >= 1"), jobs)
    from tthc.catalog.portal_jobs import parse_portal_files

    procedures, report = parse_portal_files(paths, jobs=jobs)  # blank lines are not records
    return PortalImport(Catalog(procedures, about="Imported from national portal exports"), report)


def import_portal(rows: Iterable[object], *, source: str | None = None) -> PortalImport:
    """Import export rows: dicts, JSON text lines, bytes, or :class:`RawRecord` from :func:`read_portal_jsonl`.

    Returns a :class:`PortalImport` (``catalog, report``); the report has exactly one entry per input row.
    """
    if source is not None and not isinstance(source, str):
        raise InvalidValueError("source", N_("the name of the export (a str) or None"), source)
    from tthc.catalog.portal_import import parse_portal_rows

    procedures, report = parse_portal_rows(rows, source=source)
    about = "Imported from national portal exports" + (f" ({source})" if source else "")
    return PortalImport(Catalog(procedures, about=about), report)
