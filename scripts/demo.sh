#!/usr/bin/env bash
# The main job on the bundled sample data: validate the sample dossier records and compute the KPIs.
source "$(dirname "$0")/_venv.sh" "cli,data"
set -x
tthc due --received "2026-02-13 16:30" --processing-time "5 ngày làm việc" --channel online
tthc validate --sample
tthc kpi --sample --by agency
