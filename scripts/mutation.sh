#!/usr/bin/env bash
# Mutation testing of the core modules with mutmut (issue 11, item 14) — not run in CI: it takes long (10 to 30
# minutes per module with one worker on a shared 2-core machine; the calendar and the KPIs take longest).
#
#   scripts/mutation.sh                       # every core module, one after the other, from a fresh copy
#   scripts/mutation.sh tthc.fees.discounts   # one module (a dotted name from the list below)
#   MUTMUT_CHILDREN=2 scripts/mutation.sh     # more workers (default 1: the machine is shared)
#
# mutmut copies src/ and tests/ into mutants/ (git-ignored), runs the test folders named in [tool.mutmut] of
# pyproject.toml once to learn which tests reach which function, then runs for each mutant only those tests. The
# score printed per module is killed / behaviour-changing mutants, where the behaviour-changing mutants are all
# the mutants minus the ones listed as equivalent below (each with the reason it cannot change behaviour).
# Run it in the foreground (or from a shell with job control): started with `( ... &)` from a shell without it, the
# process ignores SIGINT, a test of Ctrl-C handling fails mutmut's first pass and mutmut stops ("failed to collect
# stats").
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
    tthc.deadlines.straight
    tthc.validation.code_keys
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
tthc.deadlines.processing_time.xǁProcessingTimeǁ_parse__mutmut_18 strip("XX .;:-XX"): fold() lower-cases, so there is never an X to strip
tthc.deadlines.processing_time.xǁProcessingTimeǁ_parse__mutmut_55 _PREFIX.sub without count: the pattern is anchored at ^, it matches at most once
tthc.deadlines.processing_time.xǁProcessingTimeǁ_parse__mutmut_57 _PREFIX.sub(count=2): same reason
tthc.deadlines.processing_time.xǁProcessingTimeǁ_parse__mutmut_188 more.lastgroup or "XXXX": every alternative of _MORE is a named group, so a match always has a lastgroup
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
tthc.fees.discounts.xǁDiscountǁjudge_worded__mutmut_101 Joined without a separator: its default is "; "
tthc.fees.discounts.xǁDiscountǁjudge_worded__mutmut_102 the separator of a failed scope's notes: a failed scope gives at most one note
tthc.fees.discounts.xǁDiscountSetǁapply_worded__mutmut_41 Joined without a separator: its default is "; "
tthc.fees.discounts.xǁDiscountǁassumption_notes__mutmut_5 more padding of the Vietnamese notes: zip stops at the last assumption
tthc.fees.discounts.xǁDiscountǁassumption_notes__mutmut_22 zip(strict=None) is not strict
tthc.fees.discounts.xǁDiscountǁassumption_notes__mutmut_25 zip() without strict is not strict
tthc.fees.discounts.xǁDiscountǁassumption_notes__mutmut_26 zip(strict=True): the Vietnamese notes are padded to as many as the assumptions
tthc.calendar.working_calendar.x__build__mutmut_25 holidays.VN read from year 0: more years than the range needs (speed only)
tthc.calendar.working_calendar.x__build__mutmut_28 holidays.VN read from two years before: more years (speed only)
tthc.calendar.working_calendar.x__build__mutmut_30 holidays.VN read to two years after: more years (speed only)
tthc.calendar.working_calendar.x__build__mutmut_34 language=None: holidays.VN's untranslated labels are the en_US ones
tthc.calendar.working_calendar.x__build__mutmut_37 no language: the same untranslated en_US labels
tthc.calendar.working_calendar.x__build__mutmut_40 an unknown language code falls back to the untranslated en_US labels
tthc.calendar.working_calendar.x__build__mutmut_41 "en_us": the same labels
tthc.calendar.working_calendar.x__build__mutmut_42 "EN_US": the same labels
tthc.calendar.working_calendar.x__build__mutmut_78 the unpaired make-up days: holidays.VN pairs all 13 of its make-up days with a swap label, none is left
tthc.calendar.working_calendar.x__build__mutmut_80 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_83 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_84 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_85 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_89 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_90 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_91 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_92 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_93 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_94 the unpaired make-up days: none (same reason)
tthc.calendar.working_calendar.x__build__mutmut_106 a make-up day keeps a day-off note: a working day's day-off note is never read
tthc.calendar.working_calendar.x__build__mutmut_109 a make-up day keeps a day-off kind: compile drops the kinds of working days
tthc.calendar.working_calendar.x__build__mutmut_115 Vietnamese names without years: holidays looks each day's year up on demand (speed only)
tthc.calendar.working_calendar.x__build__mutmut_118 Vietnamese names without years: same reason
tthc.calendar.working_calendar.x__disk_key__mutmut_1 the name of a cache-key entry: the key is digested whole, any fixed name does
tthc.calendar.working_calendar.x__disk_key__mutmut_2 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_7 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_8 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_9 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_10 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_17 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_18 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_19 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_20 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_21 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_22 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_23 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__disk_key__mutmut_24 the name of a cache-key entry (same reason)
tthc.calendar.working_calendar.x__holidays_version__mutmut_3 rpartition: the Version header comes first, before any blank line (speed only)
tthc.calendar.working_calendar.x__holidays_version__mutmut_8 distribution("HOLIDAYS"): distribution names are looked up case-insensitively
tthc.calendar.working_calendar.x__holidays_version__mutmut_11 a METADATA that cannot be read: never, for an installed holidays
tthc.calendar.working_calendar.x__holidays_version__mutmut_12 no header split: the first Version line is the header's (speed only)
tthc.calendar.working_calendar.x__holidays_version__mutmut_14 the text for holidays not installed: it is a dependency, and any fixed text does in a key
tthc.calendar.working_calendar.x__holidays_version__mutmut_15 the text for holidays not installed (same reason)
tthc.calendar.working_calendar.x__holidays_version__mutmut_19 a METADATA without a Version header: never, for an installed holidays
tthc.calendar.working_calendar.x__holidays_version__mutmut_21 the text for a METADATA without a Version header (same reason)
tthc.calendar.working_calendar.x__holidays_version__mutmut_22 the text for a METADATA without a Version header (same reason)
tthc.calendar.working_calendar.xǁWorkingCalendarǁwith_overlay__mutmut_28 None stored in a bool mask is False
tthc.calendar.working_calendar.xǁWorkingCalendarǁwith_overlay__mutmut_37 a day off keeps its working-day note: a day off's working-day note is never read
tthc.calendar.working_calendar.xǁWorkingCalendarǁwith_overlay__mutmut_55 a working day keeps its day-off note: never read
tthc.calendar.working_calendar.xǁWorkingCalendarǁwith_overlay__mutmut_58 a working day keeps its day-off kind: the schedule reads kinds of days off only
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_to_dates__mutmut_8 None stored in a datetime64 array is NaT
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_to_dates__mutmut_9 np.datetime64(None) is NaT
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_to_dates__mutmut_11 "nat" is NaT
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_to_dates__mutmut_12 "NAT" is NaT
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_indices__mutmut_6 a dtype kind is one letter, never X: "XXiuXX" tests the same
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_indices__mutmut_9 a dtype kind is one letter (same reason)
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_indices__mutmut_35 n <= 1 only gates work on rows that the zero and negative rows' own masks select (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_indices__mutmut_43 a zero row's position is replaced by its own index whatever it was
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_indices__mutmut_44 ns < 1 is ns <= 0 for whole numbers; a zero row's position is replaced anyway
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_indices__mutmut_52 a zero row's position (then in -1..last) is never checked and replaced by its own index
tthc.calendar.working_calendar.xǁWorkingCalendarǁcompile__mutmut_84 arange of Python ints is int64 anyway
tthc.calendar.working_calendar.xǁWorkingCalendarǁcompile__mutmut_87 arange of Python ints is int64 anyway
tthc.calendar.working_calendar.xǁWorkingCalendarǁcompile__mutmut_91 an array of bools is bool anyway
tthc.calendar.working_calendar.xǁWorkingCalendarǁcompile__mutmut_93 an array of bools is bool anyway
tthc.calendar.working_calendar.xǁWorkingCalendarǁcompile__mutmut_106 None stored in a bool mask is False
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_9 the day and the Vietnamese names only word holidays.VN days off; a make-up day is never one
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_12 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_16 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_18 the default note of a make-up day: every make-up day has a note (compile and overlays give one)
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_20 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_21 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_22 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_42 the day and the Vietnamese names only word holidays.VN days off; a working day is never one
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_45 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_49 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_75 the default note of a day off: a weekday is off only with a note (days_off, overlays)
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_77 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_78 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁdescribe_day__mutmut_79 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_from_mask__mutmut_62 unsigned for signed ints: the counts are never negative
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_from_mask__mutmut_68 unsigned for signed ints: the positions are never negative
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days__mutmut_6 the first day of the range takes the checked path, which answers the same (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days__mutmut_7 same reason
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days__mutmut_13 n == 1 takes the general path, which answers the same (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days__mutmut_43 a new date equal to the one given
tthc.calendar.working_calendar.xǁWorkingCalendarǁroll_forward__mutmut_3 a new date equal to the one given
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_2 the fast path declines, the general path answers the same (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_7 the fast path declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_14 the fast path is right for any number of dimensions; 1-D declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_15 the fast path is right for 2-D too; 1-D declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_19 the fast path declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_23 a range from 1970-01-01 declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_24 a range from 1970-01-01 declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_25 a batch with the first day declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_27 every batch declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_29 a batch with n == 1 declines (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_fast_add__mutmut_35 the fast path answers None: the general path answers the same (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_indices__mutmut_4 a dtype kind is one letter, never X
tthc.calendar.working_calendar.xǁWorkingCalendarǁ_indices__mutmut_5 datetime64 arrays cast to days inside or outside the try: the cast cannot fail
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_many__mutmut_4 a dtype kind is one letter, never X
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_many__mutmut_16 no fast path: the general path answers the same (speed only)
tthc.calendar.working_calendar.xǁWorkingCalendarǁadd_working_days_many__mutmut_17 no fast path: the general path answers the same (speed only)
tthc.kpi.indicators.x__group__mutmut_12 a larger month span still decodes every key (speed only)
tthc.kpi.indicators.x__group__mutmut_22 the choice between the two equal counting paths (speed only)
tthc.kpi.indicators.x__group__mutmut_23 the choice between the two equal counting paths (speed only)
tthc.kpi.indicators.x__group__mutmut_24 the choice between the two equal counting paths (speed only)
tthc.kpi.indicators.x__group__mutmut_25 the choice between the two equal counting paths (speed only)
tthc.kpi.indicators.x__group__mutmut_26 the choice between the two equal counting paths (speed only)
tthc.kpi.indicators.x__group__mutmut_35 bincount without minlength: only keys that occur are read
tthc.kpi.indicators.x__group__mutmut_41 bincount without minlength: the same keys occur
tthc.kpi.indicators.x__group__mutmut_57 bincount without minlength: every unique key occurs, so the length is the same
tthc.kpi.indicators.x__group__mutmut_81 zip(strict=None): the four columns are always as long as the keys
tthc.kpi.indicators.x__group__mutmut_86 zip() without strict: same reason
tthc.kpi.indicators.x__group__mutmut_87 zip(strict=False): same reason
tthc.kpi.indicators.x__month_index__mutmut_8 NaT as int64 is the smallest int64, which is _NO_MONTH
tthc.kpi.indicators.x__opened__mutmut_5 the cache never hits: recomputed (speed only)
tthc.kpi.indicators.x__opened__mutmut_6 the cache never hits: recomputed (speed only)
tthc.kpi.indicators.x__opened__mutmut_11 None for False: both falsy, and None is never a cache hit
tthc.kpi.indicators.x__opened__mutmut_33 PostalService.BOTH is the default service
tthc.kpi.indicators.x__opened__mutmut_37 None cached: never a hit, recomputed (speed only)
tthc.kpi.indicators.x_compute_kpis__mutmut_147 zip(strict=None): a judged vector always holds the five JUDGED counters
tthc.kpi.indicators.x_compute_kpis__mutmut_150 zip() without strict: same reason
tthc.kpi.indicators.x_compute_kpis__mutmut_151 zip(strict=False): same reason
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_32 a dtype kind is one letter, never X
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_114 a list of bools is a bool array anyway (never empty when there are rows)
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_116 same reason
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_120 same reason
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_122 same reason
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_140 float 0/1 counters: _group sums them and casts the sums to int64
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_143 float ones: same reason
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_145 float ones: same reason
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_175 as_of in its own unit: the same month
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_177 as_of in its own unit: the same month
tthc.kpi.indicators.xǁKpiPartialǁfrom_rows__mutmut_192 float 0/1 counters: same reason as 140
tthc.kpi.indicators.xǁPeriodǁparse__mutmut_30 parse("") is Period() too
tthc.kpi.indicators.xǁPeriodǁparse__mutmut_33 parse("") is Period() too
tthc.kpi.indicators.xǁPeriodǁparse__mutmut_65 the pattern is matched ignoring case: q is Q
tthc.deadlines.straight.x__era_day__mutmut_6 era 1 read on 0001-01-01: the versions in force then and on 16 Dec 2016 are the same (NĐ 61/2018, QĐ 45/2016)
tthc.deadlines.straight.x__usual_contexts__mutmut_39 last -2 without an announced year: a due day index is never negative, every due day is projected either way
tthc.deadlines.straight.x__straight__mutmut_4 amount >= n // 28: that one amount goes to the general path, which answers the same (speed only)
tthc.deadlines.straight.x__straight__mutmut_5 amount > n / 28: the same test for a whole amount
tthc.deadlines.straight.x__straight__mutmut_6 amount > n // 29: more amounts go to the general path (speed only)
tthc.deadlines.straight.x__straight__mutmut_9 the memo read under None: never a hit, the contexts are built again (speed only)
tthc.deadlines.straight.x__straight__mutmut_15 a receipt on the first day of the range goes to the general path (speed only)
tthc.deadlines.straight.x__straight__mutmut_16 same reason
tthc.deadlines.straight.x__straight__mutmut_30 s <= a: at s == a the start is a, which is s
tthc.deadlines.straight.x__straight__mutmut_76 amount < shift: at amount == shift the count lands on the effective receipt day, the general path's answer
tthc.deadlines.straight.x__straight__mutmut_95 start < a: at start == a the session adds a - a = 0
tthc.deadlines.straight.x__straight__mutmut_102 start <= b: at start == b both branches add b - a
tthc.deadlines.straight.x__straight__mutmut_148 the message of an unreachable AssertionError
tthc.deadlines.straight.x__straight__mutmut_149 same reason
tthc.deadlines.straight.x__straight__mutmut_150 same reason
tthc.validation.code_keys.x_code_hashes__mutmut_6 fromiter without count: the count only sizes the array beforehand
tthc.validation.code_keys.x_code_hashes__mutmut_21 float lengths: exact for any length, and cast to uint64 before the mix
tthc.validation.code_keys.x_code_hashes__mutmut_26 longest < 32: a block whose longest code is 32 bytes takes the general reader, which reads the same words (speed only)
tthc.validation.code_keys.x_code_hashes__mutmut_36 utf8_rpad without a padding: its default is " "
tthc.validation.code_keys.x_code_hashes__mutmut_52 another multiplier: the same hash for a code in every block, only which codes collide changes, and the codes confirm every repeat (speed only)
tthc.validation.code_keys.x_code_hashes__mutmut_53 errstate(over=None): numpy never checks integer arrays for overflow
tthc.validation.code_keys.x__words__mutmut_39 reshape(-2): numpy reads a negative size as the one to infer
tthc.validation.code_keys.x_mix__mutmut_3 h ^ (h << 33): still one to one and spreading to the top bits; the buckets only share the work out (speed only)
tthc.validation.code_keys.x_mix__mutmut_5 a shift of 34: same reason
tthc.validation.code_keys.x_mix__mutmut_9 another multiplier: same reason
tthc.validation.code_keys.x_mix__mutmut_12 h ^ (h << 33): same reason
tthc.validation.code_keys.x_mix__mutmut_14 a shift of 34: same reason
tthc.validation.code_keys.x_mix__mutmut_18 another multiplier: same reason
tthc.validation.code_keys.x_mix__mutmut_20 h ^ (h << 33): same reason
tthc.validation.code_keys.x_mix__mutmut_22 a shift of 34: same reason
tthc.validation.code_keys.x_utf8_buffers__mutmut_23 a string array always has a data buffer: pyarrow refuses one without ("Value data buffer is null")
tthc.validation.code_keys.x_utf8_buffers__mutmut_29 the branch of a string array without a data buffer: unreachable (same reason)
tthc.validation.code_keys.x_utf8_buffers__mutmut_30 same reason
tthc.validation.code_keys.x_utf8_buffers__mutmut_31 same reason
tthc.validation.code_keys.x_utf8_buffers__mutmut_32 same reason
tthc.validation.code_keys.x_utf8_buffers__mutmut_33 same reason
tthc.validation.code_keys.x_code_keys__mutmut_30 letter | 33 is "k" for K and k only, as letter | 0x20 (H and h give "i")
tthc.validation.code_keys.x_code_keys__mutmut_56 letter > "a": a level letter is H, K, h or k, never "a"
tthc.validation.code_keys.x_code_keys__mutmut_70 float row indices: Arrow take reads them as the same whole numbers
tthc.validation.code_keys.x_identity__mutmut_7 keys <= 0: a hashed key 0 has no flag to drop, 0 & ~_LOWER is 0
tthc.validation.code_keys.x_identity__mutmut_8 keys < 1: same reason
tthc.validation.code_keys.x_unpacked__mutmut_11 the template's level letter: every row's letter is written over it
tthc.validation.code_keys.x_unpacked__mutmut_63 arange of Python ints is int64 anyway
tthc.validation.code_keys.x_unpacked__mutmut_65 arange of Python ints is int64 anyway
tthc.validation.code_keys.x_unpacked__mutmut_68 reshape(None) keeps the matrix, whose bytes are the same in the same order
tthc.validation.code_keys.x_unpacked__mutmut_70 reshape(-2): numpy reads a negative size as the one to infer
tthc.validation.code_keys.x_strings_from_buffers__mutmut_9 "UTF-8": Python's codec names ignore case
tthc.validation.code_keys.x_strings_from_buffers__mutmut_12 zip(strict=None): offsets[:-1] and offsets[1:] always have the same length
tthc.validation.code_keys.x_strings_from_buffers__mutmut_15 zip() without strict: same reason
tthc.validation.code_keys.x_strings_from_buffers__mutmut_19 zip(strict=False): same reason
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
