# Sourced by the scripts: create .venv (if missing) and install tthc with the given extras into it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${TTHC_VENV:-$ROOT/.venv}"
EXTRAS="${1:-cli,data}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
# install only when the project or its extras changed since the last install into this venv
STAMP="$VENV/.tthc-installed-$(echo "$EXTRAS" | tr ',' '-')"
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  "$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT[$EXTRAS]" 2>&1 | grep -v "is ignored" || true
  "$PY" -c "import tthc" # fail loudly if the install did not work
  touch "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
