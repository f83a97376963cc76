"""Dossier records straight from a PostgreSQL database (extra ``postgres``): Arrow batches through ADBC.

``open_database("postgresql://host/db", table="dossiers")`` streams the rows of a table — ordered by its primary key,
so that row *n* is the *n*-th row of ``COPY (SELECT * FROM dossiers ORDER BY <key>) TO … CSV`` and the findings
equal those of that CSV export — or of any read-only query (``query="select …"``, numbered in the query's order; give
it an ``ORDER BY`` for stable row numbers). Columns are matched to the canonical dossier columns exactly as a file's
header is (portal names accepted), and typed database columns (``timestamp``, ``timestamptz``, ``date``, integers)
go through the same checks as text.

Credentials come from the URL or the standard libpq environment (``PGHOST``, ``PGPORT``, ``PGUSER``,
``PGPASSWORD``, ``PGDATABASE``, ``PGSERVICE``, ``~/.pgpass``); the password is never written to a report, a log or a
message (:func:`display_url`). Queries run in a read-only transaction.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from tthc.errors import DataFileError, InvalidValueError, MissingExtraError
from tthc.foundation.i18n import N_
from tthc.foundation.words import Words, words
from tthc.records.chunks import RecordStream
from tthc.records.formats import open_arrow
from tthc.records.layout import ColumnMapping

__all__ = ["DATABASE_SCHEMES", "display_url", "is_database_url", "open_database"]

DATABASE_SCHEMES = ("postgresql", "postgres")
"""URL schemes read by :func:`open_database`."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
# the key columns quoted by the server (quote_ident: any name, embedded quotes doubled), of the relation named as
# the query reads it ($1 is the quoted name: to_regclass folds an unquoted one to lower case)
_PRIMARY_KEY_SQL = (
    "select quote_ident(a.attname) from pg_index i "
    "join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey) "
    "where i.indrelid = to_regclass($1) and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)"
)
# a trailing ';' (and the blanks around it) ends a statement, not a subquery
_TRAILING_SEMICOLONS = re.compile(r"[\s;]+$")


def is_database_url(text: str) -> bool:
    """Whether ``text`` names a database (``postgresql://…``) rather than a file."""
    return text.split("://", 1)[0].lower() in DATABASE_SCHEMES and "://" in text


def display_url(url: str) -> str:
    """The URL without its password (and without query parameters, which may carry one); parts left out of the URL
    are shown as libpq will take them from the ``PG*`` environment variables."""
    parts = urlsplit(url)
    host = parts.hostname or os.environ.get("PGHOST", "")
    port = parts.port or os.environ.get("PGPORT")
    if port:
        host = f"{host}:{port}"
    username = parts.username or os.environ.get("PGUSER")
    user = f"{username}@" if username else ""
    path = parts.path if parts.path not in ("", "/") else "/" + os.environ.get("PGDATABASE", "")
    return urlunsplit((parts.scheme, user + host, path, "", ""))


def _quote_table(table: str) -> str:
    parts = table.split(".")
    if not 1 <= len(parts) <= 2 or not all(_IDENTIFIER.match(p) for p in parts):
        raise InvalidValueError("table", N_("a table name such as dossiers or schema.dossiers"), table)
    return ".".join(f'"{p}"' for p in parts)


def _connect(url: str) -> Any:
    try:
        import adbc_driver_postgresql.dbapi as pg
    except ImportError:
        raise MissingExtraError("postgres", "adbc-driver-postgresql") from None
    # every transaction of the session is read-only (set at connection start, whatever the driver's transactions)
    read_only = "options=" + quote("-c default_transaction_read_only=on")
    try:
        return pg.connect(url + ("&" if "?" in url else "?") + read_only)
    except Exception as exc:  # the driver raises its own DatabaseError/OperationalError family
        raise DataFileError(
            words(N_("{source}: could not connect: {reason}"), source=display_url(url), reason=_first_line(exc, url))
        ) from None


def _first_line(exc: BaseException, url: str) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    parts = urlsplit(url)
    return text.replace(parts.password, "***") if parts.password else text


def open_database(
    url: str,
    *,
    table: str | None = None,
    query: str | None = None,
    mapping: ColumnMapping | None = None,
    batch_rows: int = 65_536,
) -> RecordStream:
    """Open a table or a query of a PostgreSQL database for streaming, like :func:`tthc.records.open_records`.

    Args:
        url: ``postgresql://[user[:password]@][host][:port]/[database]`` — missing parts come from the ``PG*``
            environment variables.
        table: a table (``dossiers`` or ``schema.dossiers``); rows in primary-key order (physical order when the
            table has no primary key — then give ``query`` with an ``ORDER BY`` for stable row numbers).
        query: a read-only ``SELECT``; rows in its order. Give ``table`` or ``query``, not both.
        mapping: column names -> canonical columns (default :meth:`ColumnMapping.default`).
        batch_rows: rows per Arrow batch (memory stays flat whatever the table size).

    Raises:
        InvalidValueError: neither or both of ``table`` and ``query``; a malformed table name; a URL of another kind.
        DataFileError: the server cannot be reached, the table or query fails, or a required column is missing.
        MissingExtraError: the ``postgres`` extra is not installed.
    """
    if not is_database_url(url):
        raise InvalidValueError("source", N_("a postgresql:// URL"), display_url(url))
    if (table is None) == (query is None):
        raise InvalidValueError("table/query", N_("exactly one of a table name or a query"), (table, query))
    if batch_rows < 1:
        raise InvalidValueError("batch_rows", N_("a whole number >= 1"), batch_rows)
    quoted = _quote_table(table) if table is not None else ""
    name = display_url(url)
    # the source as the errors name it, worded in the run's language ("… bảng dossiers"); the stream keeps English
    source = (
        words(N_("{url} table {table}"), url=name, table=table)
        if table is not None
        else words(N_("{url} query"), url=name)
    )
    label = str(source)
    con = _connect(url)
    cur = con.cursor()
    try:
        if table is not None:
            cur.execute(_PRIMARY_KEY_SQL, (quoted,))
            key = [str(row[0]) for row in cur.fetchall()]
            order = " order by " + ", ".join(key) if key else ""
            sql = f"select * from {quoted}{order}"
        else:
            # the newline ends a trailing '-- comment' before the closing parenthesis
            sql = f"select * from (\n{_TRAILING_SEMICOLONS.sub('', str(query))}\n) as tthc_query"
        cur.execute(sql)
        reader = cur.fetch_record_batch()
    except Exception as exc:  # the driver's own error family
        cur.close()
        con.close()
        raise DataFileError(words(N_("{source}: {problem}"), source=source, problem=_first_line(exc, url))) from None
    try:
        return open_arrow(
            _batches((con, cur), reader, source, batch_rows), reader.schema, label, mapping or ColumnMapping.default()
        )
    except DataFileError:
        reader.close()
        cur.close()
        con.close()
        raise


def _batches(owners: tuple[Any, Any], reader: Any, source: Words, batch_rows: int) -> Iterator[Any]:
    """The reader's batches in slices of ``batch_rows``; the connection and cursor own the Arrow stream, so they are
    kept alive until it is read, then closed. A failure mid-stream names the source, never a raw driver error."""
    batches = iter(reader)
    done = 0
    try:
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except Exception as exc:  # the driver's error family
                raise DataFileError(
                    words(
                        N_("{source}: reading after row {row} failed: {reason}"),
                        source=source,
                        row=done,
                        reason=_first_line(exc, ""),
                    )
                ) from None
            for start in range(0, batch.num_rows, batch_rows):
                part = batch.slice(start, batch_rows)
                done += part.num_rows
                yield part
    finally:
        reader.close()
        owners[1].close()
        owners[0].close()
