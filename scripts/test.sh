#!/usr/bin/env bash
# The test suite: lint, types, tests (unit, property, real-data conformance).
source "$(dirname "$0")/_venv.sh" "dev"
ruff check src tests benchmarks
ruff format --check src tests benchmarks
mypy
lint-imports
NO_MKDOCS_2_WARNING=1 mkdocs build --strict --quiet --site-dir "${TMPDIR:-/tmp}/tthc-site"
pytest "$@"
