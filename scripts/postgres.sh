#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback for the database-source tests (Debian's package; installed when missing
# and we are root). Nothing of the system's own clusters is touched: a private data folder and port.
#   eval "$(bash scripts/postgres.sh start)"   # starts it and prints the PG* variables to export
#   bash scripts/postgres.sh stop
set -euo pipefail
DIR="${TTHC_PG_DIR:-${TMPDIR:-/tmp}/tthc-pg}"
PORT="${TTHC_PG_PORT:-54329}"
PASSWORD="tthc-ci-only"   # a throw-away cluster on 127.0.0.1 that lives for one test run

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    BIN="$(pg_bin)"
    if [ -z "$BIN" ]; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        BIN="$(pg_bin)"
      else
        echo "postgres.sh: no PostgreSQL server binaries and cannot install them" >&2
        exit 3
      fi
    fi
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    printf '%s\n' "$PASSWORD" > "$DIR/pw"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR/pw"
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --pwfile="$DIR/pw" -A scram-sha-256 >/dev/null
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start >/dev/null
    PGPASSWORD="$PASSWORD" "$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
      -c "create database tthc_test" >/dev/null
    echo "export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGPASSWORD=$PASSWORD PGDATABASE=tthc_test"
    ;;
  stop)
    BIN="$(pg_bin)"
    [ -n "$BIN" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: bash scripts/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
