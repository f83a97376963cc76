"""Dossier records read from a real PostgreSQL server through ADBC: the same rows, findings and counts as the CSV
export of the same rows. CI starts a throw-away server (scripts/postgres.sh); elsewhere these tests skip, saying so."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pytest

import tthc
from tthc.catalog import Catalog
from tthc.records.database import display_url, is_database_url, open_database
from tthc.records.sample import sample_path
from tthc.validation import ChunkResult

pytest.importorskip("adbc_driver_postgresql", reason="extra 'postgres' not installed")
import adbc_driver_postgresql.dbapi as pg

ROWS = 240
COLUMNS = ("dossier_code", "procedure_code", "agency_code", "channel", "online_level", "received_at", "due_at",
           "finished_at", "returned_at", "result_channel", "status", "fee_vnd")  # fmt: skip
TYPES = {"received_at": "timestamp", "due_at": "timestamp", "finished_at": "timestamptz", "returned_at": "timestamp",
         "fee_vnd": "bigint"}  # fmt: skip


@pytest.fixture(scope="module")
def server() -> str:
    if not os.environ.get("PGHOST"):
        pytest.skip('no PostgreSQL server: set the PG* variables, e.g. eval "$(bash scripts/postgres.sh start)"')
    url = "postgresql://"
    try:
        con = pg.connect(url)
    except Exception as exc:
        pytest.skip(f"PostgreSQL server in PG* variables not reachable: {exc}")
    con.close()
    return url


def _sample_rows() -> list[dict[str, str]]:
    with sample_path().open(encoding="utf-8") as fh:
        rows = [{k: r[k] for k in COLUMNS} for _, r in zip(range(ROWS), csv.DictReader(fh), strict=False)]
    # non-symmetric mistakes: a fee written negative, a wrong recorded due date, an unknown procedure, a bad channel
    rows[3]["fee_vnd"] = "-5"
    rows[17]["due_at"] = "2024-01-02 17:00:00"
    rows[42]["procedure_code"] = "9.999999"
    rows[99]["channel"] = "fax"
    rows[100]["dossier_code"] = rows[101]["dossier_code"]
    return rows


@pytest.fixture(scope="module")
def table(server: str) -> str:
    rows = _sample_rows()
    with pg.connect(server) as con:
        cur = con.cursor()
        cur.execute("drop table if exists tthc_dossiers")
        cur.execute("drop sequence if exists tthc_sequence")
        cur.execute("create sequence tthc_sequence")
        cols = ", ".join(f"{c} {TYPES.get(c, 'text')}" for c in COLUMNS)
        cur.execute(f"create table tthc_dossiers (id bigint primary key, {cols})")
        marks = ", ".join(["$1::bigint"] + [f"${i}::{TYPES.get(c, 'text')}" for i, c in enumerate(COLUMNS, start=2)])
        for i, r in enumerate(rows):
            # insert in a shuffled key order: rows come back in primary-key order, not insertion order
            key = (i * 7919) % len(rows) + 1
            values: list[Any] = [key] + [None if r[c] == "" else r[c] for c in COLUMNS]
            if values[1 + COLUMNS.index("finished_at")] is not None:
                values[1 + COLUMNS.index("finished_at")] += "+07"
            cur.execute(f"insert into tthc_dossiers values ({marks})", values)
        con.commit()
    return "tthc_dossiers"


def _export_csv(server: str, path: Path) -> None:
    """What `COPY (select * from t order by id) TO csv` gives, written with the same column names."""
    with pg.connect(server) as con:
        cur = con.cursor()
        cur.execute(
            "select id, "
            + ", ".join(
                f"to_char({c} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI:SS') as {c}"
                if TYPES.get(c) == "timestamptz"
                else f"to_char({c}, 'YYYY-MM-DD HH24:MI:SS') as {c}"
                if TYPES.get(c) == "timestamp"
                else c
                for c in COLUMNS
            )
            + " from tthc_dossiers order by id"
        )
        data = cur.fetchall()
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", *COLUMNS])
        w.writerows([["" if v is None else v for v in row] for row in data])


def _findings(summary_rows: list[ChunkResult]) -> list[tuple[int, str, str]]:
    return sorted((p.row, p.field, p.code) for r in summary_rows for p in r.findings)


def test_a_table_reads_like_its_csv_export(server: str, table: str, tmp_path: Path) -> None:
    catalog = Catalog.sample()
    stream = open_database(server, table=table)
    assert stream.info.file.endswith("table tthc_dossiers")
    from_db = [tthc.validate_chunk(chunk, catalog) for chunk in stream]
    export = tmp_path / "export.csv"
    _export_csv(server, export)
    from_csv = [tthc.validate_chunk(chunk, catalog) for chunk in tthc.open_records(export)]
    assert sum(r.n_rows for r in from_db) == sum(r.n_rows for r in from_csv) == ROWS
    assert _findings(from_db) == _findings(from_csv)
    codes = {code for _, _, code in _findings(from_db)}
    assert {"E_RANGE", "E_PROCEDURE_UNKNOWN", "E_CHANNEL"} <= codes or len(codes) >= 3, codes


def test_a_query_and_batches_of_any_size(server: str, table: str) -> None:
    catalog = Catalog.sample()
    small = [tthc.validate_chunk(c, catalog) for c in open_database(server, table=table, batch_rows=7)]
    query = open_database(server, query="select * from tthc_dossiers where id <= 50 order by id")
    assert sum(r.n_rows for r in small) == ROWS
    assert sum(len(c) for c in query) == 50


def test_errors_name_the_source_and_never_the_password(server: str) -> None:
    secret = "s3cret-never-shown"
    url = f"postgresql://nobody:{secret}@127.0.0.1:{os.environ.get('PGPORT', '5432')}/nowhere"
    with pytest.raises(tthc.DataFileError) as info:
        open_database(url, table="dossiers")
    assert secret not in str(info.value)
    assert "nobody@127.0.0.1" in str(info.value)
    with pytest.raises(tthc.DataFileError, match="no_such_table"):
        open_database(server, table="no_such_table")
    with pytest.raises(tthc.InvalidValueError, match="table"):
        open_database(server, table="dossiers; drop table x")
    with pytest.raises(tthc.InvalidValueError, match="table/query"):
        open_database(server)


def test_queries_run_read_only(server: str, table: str) -> None:
    with pytest.raises(tthc.DataFileError, match="read-only"):
        # a query that would write (advance a sequence) fails inside the read-only transaction
        list(open_database(server, query="select nextval('tthc_sequence') as seq, * from tthc_dossiers"))
    with pytest.raises(tthc.DataFileError):  # and statements that are not queries are not accepted at all
        list(open_database(server, query="delete from tthc_dossiers returning *"))


def test_urls() -> None:
    assert is_database_url("postgresql://u:p@h:5/db")
    assert is_database_url("postgres://h/db")
    assert not is_database_url("records.csv")
    assert not is_database_url("file:///x.csv")
    assert display_url("postgresql://u:p@h:5/db?password=x") == "postgresql://u@h:5/db"


def test_url_parts_left_out_are_shown_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGHOST", "db.local")
    monkeypatch.setenv("PGPORT", "6543")
    monkeypatch.setenv("PGUSER", "reader")
    monkeypatch.setenv("PGPASSWORD", "never-shown")
    monkeypatch.setenv("PGDATABASE", "hoso")
    assert display_url("postgresql://") == "postgresql://reader@db.local:6543/hoso"


def test_the_cli_validates_a_table_like_its_csv_export(
    server: str, table: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from tthc.cli import main

    export = tmp_path / "export.csv"
    _export_csv(server, export)
    db_report, csv_report = tmp_path / "db.parquet", tmp_path / "csv.parquet"
    assert main(["validate", server, "--table", table, "--json", "--report", str(db_report)]) == 1
    from_db = json.loads(capsys.readouterr().out)
    assert main(["validate", str(export), "--json", "--report", str(csv_report)]) == 1
    from_csv = json.loads(capsys.readouterr().out)
    for key in ("rows", "valid_rows", "invalid_rows"):
        assert from_db[key] == from_csv[key], key
    counts = [{(c["code"], c["count"]) for c in run["by_code"]} for run in (from_db, from_csv)]
    assert counts[0] == counts[1]
    import pyarrow.parquet as pq

    def rows_codes(path: Path) -> list[tuple[int, str, str]]:
        t = pq.read_table(path).to_pydict()
        return sorted(zip(t["row"], t["field"], t["code"], strict=True))

    assert rows_codes(db_report) == rows_codes(csv_report)
    assert "tthc-ci-only" not in db_report.read_bytes().decode("utf-8", "replace")


def test_the_cli_needs_table_or_query_with_a_database(capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    assert main(["validate", "postgresql://127.0.0.1/x"]) == 2
    assert "--table" in capsys.readouterr().err
    assert main(["validate", "--sample", "--table", "x"]) == 2
    assert "postgresql://" in capsys.readouterr().err
