#!/usr/bin/env bash
# Mutation testing of the core modules with mutmut (issue 11, item 14) — not run in CI: it takes long (about an hour
# for all seven modules on one core).
#
#   scripts/mutation.sh                       # every core module, one after the other, from a fresh copy
#   scripts/mutation.sh tthc.fees.discounts   # one module (a dotted name from the list below)
#   MUTMUT_CHILDREN=2 scripts/mutation.sh     # more workers (default 1: the machine is shared)
#
# mutmut copies src/ and tests/ into mutants/ (git-ignored), runs the test folders named in [tool.mutmut] of
# pyproject.toml once to learn which tests reach which function, then runs for each mutant only those tests. The
# score printed per module is killed / behaviour-changing mutants, where the behaviour-changing mutants are all
# the mutants minus the ones listed as equivalent below (each with the reason it cannot change behaviour).
# Inspect a survivor with `.venv/bin/mutmut show <name>`; list them with `.venv/bin/mutmut results`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
MUTMUT=${MUTMUT:-.venv/bin/mutmut}
CHILDREN=${MUTMUT_CHILDREN:-1}

CORE=(
    tthc.foundation.ids
    tthc.foundation.money
    tthc.calendar.working_calendar
    tthc.deadlines.counting
    tthc.deadlines.processing_time
    tthc.fees.discounts
    tthc.kpi.indicators
)
if [[ $# -gt 0 ]]; then MODULES=("$@"); else MODULES=("${CORE[@]}"); fi
for module in "${MODULES[@]}"; do
    if [[ ! " ${CORE[*]} " == *" $module "* ]]; then
        echo "mutation.sh: module: expected one of ${CORE[*]}, got '$module'" >&2
        exit 2
    fi
done
if ! "$MUTMUT" --help >/dev/null 2>&1; then
    echo "mutation.sh: mutmut: expected it in the venv, got none; install the dev extra: pip install -e '.[dev]'" >&2
    exit 2
fi

# Equivalent mutants: they cannot change what any caller observes. One per line: name, then why.
EQUIVALENT=$(
    cat <<'EOF'
tthc.foundation.ids.x__s10_check_digit__mutmut_10 zip(strict=None): the serial is always 8 digits (regex or build), as many as the weights
tthc.foundation.ids.x__s10_check_digit__mutmut_13 zip() without strict: same reason
tthc.foundation.ids.x__s10_check_digit__mutmut_14 zip(strict=False): same reason
tthc.foundation.ids.x__yymmdd__mutmut_16 text[4:7] for text[4:6]: the date part is always exactly 6 digits
tthc.foundation.ids.xǁTrackingNumberǁbuild__mutmut_2 default country "vn" for "VN": the code is upper-cased before it is checked
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_1 the base _Code._check: unreachable, every public code type overrides it
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_2 the base _Code._check: unreachable
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_3 the base _Code._check: unreachable
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_4 the base _Code._check: unreachable
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_5 the base _Code._check: unreachable
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_6 the base _Code._check: unreachable
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_7 the base _Code._check: unreachable
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_8 the base _Code._check: unreachable
tthc.foundation.ids.xǁ_Codeǁ_check__mutmut_9 the base _Code._check: unreachable
tthc.foundation.money.xǁMoneyǁvnd__mutmut_4 cls(dong) without "VND": VND is the default currency
tthc.foundation.money.xǁMoneyǁformat_vi__mutmut_11 divmod by 10**0 = 1 for VND gives the same whole part, and the fraction is not printed
tthc.foundation.money.xǁMoneyǁformat_vi__mutmut_20 the fraction of a VND amount is never printed, whatever it is
tthc.foundation.money.xǁRoundingǁapply__mutmut_24 n > 0 for n >= 0: at n == 0 both branches give 0
tthc.foundation.money.xǁRoundingǁapply__mutmut_25 n >= 1 for n >= 0: the same for integers, and 0 either way at n == 0
tthc.deadlines.processing_time.xǁProcessingTimeǁparse__mutmut_29 strip("XX .;:-XX"): fold() lower-cases, so there is never an X to strip
tthc.deadlines.processing_time.xǁProcessingTimeǁparse__mutmut_64 _PREFIX.sub without count: the pattern is anchored at ^, it matches at most once
tthc.deadlines.processing_time.xǁProcessingTimeǁparse__mutmut_66 _PREFIX.sub(count=2): same reason
tthc.deadlines.counting.x__default_cutoff__mutmut_1 the online cut-off for the receipt cut-off: both are 15:00 in counting_rules.json
tthc.deadlines.counting.x__plan__mutmut_4 the last-plan shortcut never hits: the same plan is computed again (speed only)
tthc.deadlines.counting.x__plan__mutmut_6 same: the shortcut never hits (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_1 cache key None: a hit is still checked by identity, so only caching suffers
tthc.deadlines.counting.x__plan_lookup__mutmut_2 cache key without the rules: same reason
tthc.deadlines.counting.x__plan_lookup__mutmut_3 cache key without the hours: same reason
tthc.deadlines.counting.x__plan_lookup__mutmut_4 no cache lookup: the plan is recomputed (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_5 lookup of key None: never hits (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_9 hit check never true: recomputed (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_10 hit check never true for a real hit: recomputed (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_11 hit check never true: recomputed (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_12 hit check never true for a real hit: recomputed (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_85 cache eviction at 64 instead of 65 entries (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_86 cache eviction at 66 instead of 65 entries (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_87 None stored in the cache: never a hit (speed only)
tthc.deadlines.counting.x__plan_lookup__mutmut_25 zip(strict=None): the session starts and ends always have the same length
tthc.deadlines.counting.x__plan_lookup__mutmut_28 zip() without strict: same reason
tthc.deadlines.counting.x__plan_lookup__mutmut_29 zip(strict=False): same reason
tthc.deadlines.counting.xǁCountingRulesǁround_up__mutmut_21 adding timedelta(0) when the instant is already on a step changes nothing
tthc.deadlines.counting.xǁ_Planǁinstant_at__mutmut_5 zip(strict=None): starts and cumulative ends always have the same length
tthc.deadlines.counting.xǁ_Planǁinstant_at__mutmut_8 zip() without strict: same reason
tthc.deadlines.counting.xǁ_Planǁinstant_at__mutmut_9 zip(strict=False): same reason
tthc.deadlines.counting.xǁ_Planǁnext_session_start__mutmut_3 zip(strict=None): starts and ends always have the same length
tthc.deadlines.counting.xǁ_Planǁnext_session_start__mutmut_6 zip() without strict: same reason
tthc.deadlines.counting.xǁ_Planǁnext_session_start__mutmut_7 zip(strict=False): same reason
tthc.deadlines.counting.xǁ_Planǁnext_session_start__mutmut_8 s <= a: at s == a both return the session start, which is s
tthc.deadlines.counting.xǁ_Planǁworked_before__mutmut_5 zip(strict=None): starts and ends always have the same length
tthc.deadlines.counting.xǁ_Planǁworked_before__mutmut_8 zip() without strict: same reason
tthc.deadlines.counting.xǁ_Planǁworked_before__mutmut_9 zip(strict=False): same reason
tthc.deadlines.counting.xǁ_Planǁworked_before__mutmut_10 s < a: at s == a the session adds min(s, b) - a = 0 either way
tthc.fees.discounts.xǁDiscountǁjudge__mutmut_46 the separator of a failed scope's notes: a failed scope gives at most one note
EOF
)

# No on-disk calendar cache (tthc.calendar.cache): a mutant that compiles a calendar would store its wrong days for
# the mutants after it (the cache key digests the module's file, which is the same for every mutant).
export TTHC_CACHE_DIR=off

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/tthc-mutation.XXXXXX")
echo "mutmut logs: $LOGS"
status=0
for module in "${MODULES[@]}"; do
    # A fresh copy for each module: mutmut never re-copies a file already in mutants/, so an old copy would test
    # stale code; each module's score is read before the next run removes it.
    rm -rf mutants
    started=$SECONDS
    if ! nice -n 15 "$MUTMUT" run --max-children "$CHILDREN" "$module.*" >"$LOGS/$module.log" 2>&1; then
        echo "mutation.sh: mutmut failed on $module; see $LOGS/$module.log (the other modules still run)" >&2
        status=2
        continue
    fi
    echo "$module: $((SECONDS - started)) s"
    EQUIVALENT="$EQUIVALENT" "$PY" - "$module" <<'PYEOF' | tee -a "$LOGS/summary.txt" || status=$((status > 1 ? status : 1))
import json
import os
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

module = sys.argv[1]
equivalent = {line.split()[0] for line in os.environ["EQUIVALENT"].splitlines() if line.strip()}
meta = Path("mutants/src", *module.split(".")).with_suffix(".py.meta")
codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
status = {name: status_by_exit_code[code] for name, code in codes.items()}
eq = {name for name in status if name in equivalent}
counted = {name: s for name, s in status.items() if name not in eq}
# A timeout is a kill: the mutant made a test hang, which a test run notices.
killed = sum(s in {"killed", "timeout", "caught by type check"} for s in counted.values())
missed = sorted(name for name, s in counted.items() if s in {"survived", "no tests"})
score = killed / len(counted) if counted else 1.0
print(
    f"{module}: {killed} / {len(counted)} behaviour-changing mutants killed ({score:.1%});"
    f" {len(status)} mutants, {len(eq)} equivalent, {len(missed)} missed"
)
for name in missed:
    print(f"    {status[name]:9} {name}")
for name in sorted(n for n in equivalent - eq if n.rsplit(".", 1)[0] == module):
    print(f"    note: the equivalent mutant {name} no longer exists (the code changed): review scripts/mutation.sh")
sys.exit(1 if score < 0.9 else 0)
PYEOF
done
echo "summary: $LOGS/summary.txt (mutants/ holds the last module: inspect with .venv/bin/mutmut show <name>)"
exit $status
