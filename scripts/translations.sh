#!/usr/bin/env bash
# Translations (gettext, Babel): extract the marked texts, update the catalogs, compile them.
#   bash scripts/translations.sh          extract + update + compile
#   bash scripts/translations.sh compile  compile only (what the build and `pip install -e .` do)
source "$(dirname "$0")/_venv.sh" "dev"
LOCALE=src/tthc/locale
if [ "${1:-all}" != "compile" ]; then
  pybabel -q extract --no-location --omit-header --sort-output --width 120 \
    -k gettext -k ngettext:1,2 -k N_ -k expect:4 -k expect_optional:4 -o "$LOCALE/tthc.pot" src/tthc
  pybabel -q update --no-fuzzy-matching --ignore-obsolete --width 120 \
    -i "$LOCALE/tthc.pot" -d "$LOCALE" -D tthc
fi
pybabel -q compile --statistics -d "$LOCALE" -D tthc
