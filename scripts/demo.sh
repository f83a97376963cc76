#!/usr/bin/env bash
# The main job on the bundled sample data: a due date with its trace, then validation and KPIs over the bundled
# sample dossier records (3,742 records, 2024–2026), with a self-contained HTML report.
# Exit codes of tthc: 0 ok, 1 findings (e.g. an agency below a KPI threshold), 2 usage or input error.
# Each command is echoed as you would type it (quotes included), so it can be pasted back once .venv is active
# (`source .venv/bin/activate`) or with `.venv/bin/` in front.
source "$(dirname "$0")/_venv.sh" "cli,data"
mkdir -p out

# one shell word as typed: bare when it is made of safe characters, else in single quotes (a ' inside becomes '\'')
quote() {
  if [[ "$1" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\\\'\'}"
  fi
}

run() {
  local line="" word
  for word in "$@"; do line+="${line:+ }$(quote "$word")"; done
  echo "\$ $line"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ge 2 ]; then echo "demo: '$line' failed with exit code $rc" >&2; exit "$rc"; fi
  [ "$rc" -eq 1 ] && echo "(exit 1: findings reported above)"
  echo
}
run tthc due --received "2026-02-13 16:30" --processing-time "5 ngày làm việc" --channel online
run tthc eligibility 1.000894 --on 2024-06-01
run tthc validate --sample
run tthc kpi --sample --by agency --html out/kpi.html
echo "HTML report: out/kpi.html"
