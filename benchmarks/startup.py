"""Benchmark start-up: what a fresh process pays before its first answer, against ``python -c "import numpy"``.

Run: ``.venv/bin/python benchmarks/startup.py [--repeat 10]``

Each command runs ``--repeat`` times in a fresh subprocess; the best run is kept. Two figures per command: wall time,
and the CPU time of the child (user + system, from ``getrusage``) — on a machine shared with other jobs the wall time
includes waiting for a core, the CPU time does not. Targets (issue 16, item 5): ``tthc due …`` within 2× the start of
``import numpy``; ``tthc validate --sample`` within 0.4 s.

``tthc validate --sample`` sits on a floor it cannot go below: reading and checking a CSV with pyarrow imports numpy,
``pyarrow`` and ``pyarrow.csv`` (the ``python -c "import numpy, pyarrow, ..."`` line; ``pyarrow.compute``, which
wraps its ≈ 290 kernels at import, is not needed: the sample's kernels are called through
``tthc.records.arrays.kernel``); the script then splits the command's CPU time into importing the modules it loads
(by package) and the run itself (reading the sample catalog and the calendar cache, reading and checking the 3,742
rows), in one fresh process, with the collector set as the command sets it (``tthc.cli.GC_FIRST_THRESHOLD``); and it
prints its shares, each in fresh processes: pydantic's when the command loads it (importing pydantic and what only it
brings, and defining the models of the modules on the path; since session 9 the command loads neither pydantic nor
``pyarrow.compute``, and the script says so), attrs' (importing it, and building the attrs classes of the path: attrs
generates and compiles each class's methods at every start) and rich's (the text output only: importing it, and
printing the summary tables).

``tthc due`` is run with the compiled-calendar cache warm (the usual case: the first run of a version fills it) and
with the cache off (``TTHC_CACHE_DIR=off``: the calendar compiled in the process, as every start did before the
cache). The script then lists what ``tthc due`` imports that it should not need (``python -X importtime``): numpy
is not among them any more (the scalar path runs on the calendar's plain-Python tables), nor is pydantic (the
references are attrs values, the data-file models are defined when a file is validated); ``tests/cli/test_startup.py``
pins both. The target is stated against ``import numpy`` on the wall clock and on CPU: both ratios are printed.

Every child runs with its bytecode cached, as an installed package has it (``pip install`` byte-compiles; numpy's
``.pyc`` files are in the venv): ``PYTHONDONTWRITEBYTECODE`` is dropped and ``PYTHONPYCACHEPREFIX`` points to a scratch
folder, which the warm-up run fills. Without that, a development shell with ``PYTHONDONTWRITEBYTECODE=1`` recompiles
every ``tthc`` module from source at each start (≈ 0.1 s on ``tthc due``) while numpy loads its ``.pyc``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
TTHC = str(Path(PY).with_name("tthc"))
DUE = [TTHC, "due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc"]
DUE_TET = [TTHC, "due", "--received", "2027-02-03 09:00", "--processing-time", "5 ngày làm việc"]  # 7 days of Tết
HEAVY = ("numpy", "holidays", "dateutil", "pandas", "pyarrow", "rich", "pydantic", "email")
VALIDATE = [TTHC, "validate", "--sample", "--json"]
ARROW = "import numpy, pyarrow, pyarrow.csv"
# What both child scripts below start with: a CPU clock, the collector set as the command sets it for its whole run
# (its imports too), numpy's BLAS threads as the command sets them (tthc.cli._app: one, unless the variable is set),
# the command's arguments and the modules it loads. Both run the command as the console script does (``main()`` on
# the process's own command line, which freezes the run's objects for the exit).
_CHILD = """
import io, json, os, resource, sys, contextlib, importlib, gc
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import tthc.cli
gc.set_threshold(getattr(tthc.cli, "GC_FIRST_THRESHOLD", 700), *gc.get_threshold()[1:])
args, modules = json.loads(sys.argv[1]), json.loads(sys.argv[2])
"""
# Run in a fresh process: import every module the command loads (listed by a first run), then run the command; CPU
# time of each part, and the modules' import time by top-level package (-X importtime, self times summed).
PHASES = (
    _CHILD
    + """
t0 = cpu()
for name in modules:
    try:
        importlib.import_module(name)
    except Exception:
        pass
t1 = cpu()
from tthc.cli import main
sys.argv = ["tthc", *args]
with contextlib.redirect_stdout(io.StringIO()):
    main()  # the process's own command line, as the console script runs it
print(json.dumps([t1 - t0, cpu() - t1]))
"""
)
# What a group of packages costs the command, in a fresh process: importing the packages (their modules among those
# the command loads), then one function of theirs timed while the rest is imported and the command runs — pydantic's
# metaclass (the models the command defines: both would go with pydantic off the path, issue 16 item 5), attrs' class
# builder (the attrs classes it defines), the summary's printing through rich.
SHARE = (
    _CHILD
    + """
ours, hook = tuple(json.loads(sys.argv[3])), sys.argv[4]
t0 = cpu()
for name in modules:
    if name.partition(".")[0] in ours:
        try:
            importlib.import_module(name)
        except Exception:
            pass
t1 = cpu()
where, _, path = hook.partition(":")
owner = importlib.import_module(where)
*parents, attr = path.split(".")
for parent in parents:
    owner = getattr(owner, parent)
made, spent, timed_function = [0], [0.0], getattr(owner, attr)
def timed(*a, **k):
    t = cpu()
    try:
        made[0] += 1
        return timed_function(*a, **k)
    finally:
        spent[0] += cpu() - t
setattr(owner, attr, timed)
from tthc.cli import main
sys.argv = ["tthc", *args]
with contextlib.redirect_stdout(io.StringIO()):
    main()  # the process's own command line, as the console script runs it
print(json.dumps([t1 - t0, made[0], spent[0]]))
"""
)
PYDANTIC = (("pydantic", "pydantic_core", "annotated_types", "typing_inspection", "typing_extensions"),
            "pydantic._internal._model_construction:ModelMetaclass.__new__")  # fmt: skip
ATTRS = (("attr", "attrs"), "attr._make:_ClassBuilder.build_class")
RICH = (("rich",), "tthc.cli._records:print_validation_summary")
LIST = """
import io, json, sys, contextlib
from tthc.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(json.loads(sys.argv[1]))
print(json.dumps([m for m in sys.modules if m != "__main__" and not m.startswith("__mp")]))
"""


def run(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Best wall time and best child CPU time (seconds) of ``repeat`` fresh runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):  # 1: findings (validate)
            raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return min(walls), min(cpus)


def imported(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Top-level packages imported by ``cmd`` with their cumulative import time in ms (``-X importtime``)."""
    done = subprocess.run([PY, "-X", "importtime", *cmd], env=env, capture_output=True, text=True, check=False)
    out: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        name = name.strip()
        if cumulative.strip().isdigit() and "." not in name and not name.startswith("_"):
            out[name] = max(out.get(name, 0.0), int(cumulative) / 1000)
    return out


def loaded(args: list[str], env: dict[str, str]) -> set[str]:
    """The modules ``tthc *args`` loads (one fresh process)."""
    listed = subprocess.run([PY, "-c", LIST, json.dumps(args)], env=env, capture_output=True, text=True, check=True)
    return set(json.loads(listed.stdout.strip().splitlines()[-1]))


def phases(args: list[str], env: dict[str, str], repeat: int) -> tuple[float, float, dict[str, float], set[str]]:
    """CPU seconds of importing what ``tthc *args`` loads and of the run after it (best of ``repeat``), the import
    time of each top-level package in ms (self times of ``-X importtime``, summed; best of 3) and the modules."""
    modules = json.dumps(sorted(loaded(args, env)))
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        done = subprocess.run(
            [PY, "-c", PHASES, json.dumps(args), modules], env=env, capture_output=True, text=True, check=True
        )
        for i, t in enumerate(json.loads(done.stdout.strip().splitlines()[-1])):
            best[i] = min(best[i], t)
    packages: dict[str, float] = {}
    for _ in range(3):
        once: dict[str, float] = {}
        done = subprocess.run([PY, "-X", "importtime", "-c", LIST, json.dumps(args)], env=env, capture_output=True,
                              text=True, check=True)  # fmt: skip
        for line in done.stderr.splitlines():
            if line.startswith("import time:") and "|" in line and "self" not in line:
                own, _, name = line.partition(":")[2].split("|")
                top = name.strip().partition(".")[0]
                once[top] = once.get(top, 0.0) + int(own) / 1000
        packages = once if not packages else {k: min(v, packages.get(k, v)) for k, v in once.items()}
    return best[0], best[1], packages, set(json.loads(modules))


def share(args: list[str], env: dict[str, str], modules: set[str], repeat: int,
          group: tuple[tuple[str, ...], str]) -> tuple[float, int, float]:  # fmt: skip
    """CPU seconds of importing the packages of ``group`` (and what only they bring) for ``tthc *args``, the number
    of calls of the group's timed function and the CPU seconds they take (best of ``repeat`` fresh processes)."""
    packages, hook = group
    best = [float("inf"), 0, float("inf")]
    for _ in range(repeat):
        done = subprocess.run([PY, "-c", SHARE, json.dumps(args), json.dumps(sorted(modules)), json.dumps(packages),
                               hook], env=env, capture_output=True, text=True, check=True)  # fmt: skip
        imports, count, timed = json.loads(done.stdout.strip().splitlines()[-1])
        best = [min(best[0], imports), count, min(best[2], timed)]
    return best[0], int(best[1]), best[2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    base = {k: v for k, v in os.environ.items() if k not in ("TTHC_CACHE_DIR", "PYTHONDONTWRITEBYTECODE")}
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as pycache:
        base["PYTHONPYCACHEPREFIX"] = pycache
        warm = {**base, "TTHC_CACHE_DIR": folder}
        off = {**base, "TTHC_CACHE_DIR": "off"}
        for warm_up in (DUE, VALIDATE, [PY, "-c", "import numpy"], [PY, "-c", ARROW]):  # the cache and bytecode
            subprocess.run(warm_up, env=warm, stdout=subprocess.DEVNULL, check=False)
        rows = [
            ('python -c "import numpy"', [PY, "-c", "import numpy"], warm),
            ('python -c "import tthc"', [PY, "-c", "import tthc"], warm),
            ("tthc due … (calendar cache warm)", DUE, warm),
            ("tthc due … (calendar cache off)", DUE, off),
            # the Vietnamese trace (the default) names holidays in Vietnamese: the names are cached with the compiled
            # days, so a warm start costs what the English trace costs and never imports holidays
            ("tthc due … over Tết 2027 (cache warm)", DUE_TET, warm),
            ("tthc due … (cache warm, TTHC_LANG=en)", DUE, {**warm, "TTHC_LANG": "en"}),
            ("tthc due … (cache off, TTHC_LANG=en)", DUE, {**off, "TTHC_LANG": "en"}),
            ("tthc validate --sample", [TTHC, "validate", "--sample"], warm),
            ('python -c "import numpy, pyarrow, …"', [PY, "-c", ARROW], warm),  # the floor of validate --sample
            # the floor as the command loads it: tthc.cli asks numpy's OpenBLAS for one thread (it spins one per
            # extra core otherwise; tthc does no floating-point linear algebra)
            ("  … with one BLAS thread, as tthc", [PY, "-c", ARROW], {**warm, "OPENBLAS_NUM_THREADS": "1"}),
            ('python -c "import pydantic"', [PY, "-c", "from pydantic import BaseModel"], warm),
        ]
        results = {label: run(cmd, env, args.repeat) for label, cmd, env in rows}
        due_imports = imported(DUE, warm)
        tet_imports = imported(DUE_TET, warm)
        imports_cpu, run_cpu, packages, val_modules = phases(VALIDATE[1:], warm, args.repeat)
        pyd_share = share(VALIDATE[1:], warm, val_modules, args.repeat, PYDANTIC) if "pydantic" in val_modules else None
        attrs_imports, attrs_classes, attrs_classes_cpu = share(VALIDATE[1:], warm, val_modules, args.repeat, ATTRS)
        text_modules = loaded(VALIDATE[1:-1], warm)  # the text output: the summary through rich
        rich_imports, _, rich_print = share(VALIDATE[1:-1], warm, text_modules, args.repeat, RICH)
        due_modules = loaded(DUE[1:], warm)
        due_pyd = share(DUE[1:], warm, due_modules, args.repeat, PYDANTIC) if "pydantic" in due_modules else (0, 0, 0)

    numpy_wall, numpy_cpu = results['python -c "import numpy"']
    print(f"start-up, best of {args.repeat} fresh processes (wall / CPU of the child):")
    for label, (wall, cpu) in results.items():
        print(f"  {label:36s} {wall * 1e3:7.0f} ms / {cpu * 1e3:5.0f} ms   "
              f"{wall / numpy_wall:4.1f}x / {cpu / numpy_cpu:4.1f}x import numpy")  # fmt: skip
    due_wall, due_cpu = results["tthc due … (calendar cache warm)"]
    val_wall, val_cpu = results["tthc validate --sample"]
    print()
    print(f"  target tthc due <= 2x import numpy: {due_wall / numpy_wall:.1f}x wall — "
          f"{'met' if due_wall <= 2 * numpy_wall else 'NOT met'}; {due_cpu / numpy_cpu:.1f}x CPU — "
          f"{'met' if due_cpu <= 2 * numpy_cpu else 'NOT met'}")  # fmt: skip
    print(f"  target tthc validate --sample <= 0.4 s: {val_wall:.2f} s wall — "
          f"{'met' if val_wall <= 0.4 else 'NOT met'}; {val_cpu:.2f} s CPU — "
          f"{'met' if val_cpu <= 0.4 else 'NOT met'}")  # fmt: skip
    print()
    heavy = {name: ms for name, ms in due_imports.items() if name in HEAVY}
    print("tthc due (cache warm) imports, cumulative ms (-X importtime), of the packages it might not need:")
    print("  " + (", ".join(f"{name} {ms:.0f}" for name, ms in sorted(heavy.items())) or "none of " + ", ".join(HEAVY)))
    top = sorted(due_imports.items(), key=lambda kv: -kv[1])[:8]
    print("  largest: " + ", ".join(f"{name} {ms:.0f}" for name, ms in top))
    print(f"  over Tết 2027 (Vietnamese holiday names): holidays imported: {'holidays' in tet_imports}")
    print(f"  numpy imported by tthc due: {'numpy' in due_imports} (Tết 2027: {'numpy' in tet_imports})")
    print(f"  pydantic imported by tthc due: {'pydantic' in due_imports} (Tết 2027: {'pydantic' in tet_imports})")
    if "pydantic" in due_imports:
        print(f"  pydantic's share: importing it (and what only it brings) {due_pyd[0] * 1e3:.0f} ms CPU, defining "
              f"the {due_pyd[1]} models of the modules on the path {due_pyd[2] * 1e3:.0f} ms CPU")  # fmt: skip
    print()
    _, floor_cpu = results["  … with one BLAS thread, as tthc"]
    print(f"tthc validate --sample: {val_cpu * 1e3:.0f} ms CPU = {val_cpu / floor_cpu:.1f}x its floor (import "
          f"numpy, pyarrow, pyarrow.csv, one BLAS thread: {floor_cpu * 1e3:.0f} ms CPU)")  # fmt: skip
    print(f"  in one process: importing the modules it loads {imports_cpu * 1e3:.0f} ms CPU, the run after them "
          f"(catalog, calendar cache, reading and checking 3,742 rows) {run_cpu * 1e3:.0f} ms CPU")  # fmt: skip
    tthc_ms = sum(ms for name, ms in packages.items() if name == "tthc")
    top = sorted(packages.items(), key=lambda kv: -kv[1])[:10]
    print("  import time by package (ms, -X importtime self times summed): "
          + ", ".join(f"{name} {ms:.0f}" for name, ms in top)
          + f"; all {sum(packages.values()):.0f}, tthc {tthc_ms:.0f}")  # fmt: skip
    print(f"  pydantic imported: {'pydantic' in val_modules}; a pydantic validator built (its plugin scan loaded): "
          f"{'pydantic.plugin._loader' in val_modules}; pyarrow.compute imported (its ≈ 290 kernels wrapped at "
          f"import): {'pyarrow.compute' in val_modules}")  # fmt: skip
    if pyd_share is not None:
        print(f"  pydantic's share: importing it (and what only it brings) {pyd_share[0] * 1e3:.0f} ms CPU, defining "
              f"the {pyd_share[1]} models of the modules on the path {pyd_share[2] * 1e3:.0f} ms CPU")  # fmt: skip
    print(f"  attrs' share: importing it {attrs_imports * 1e3:.0f} ms CPU, building the {attrs_classes} attrs classes "
          f"of the modules on the path {attrs_classes_cpu * 1e3:.0f} ms CPU")  # fmt: skip
    print(f"  rich's share (the text output; --json does not load it): importing it {rich_imports * 1e3:.0f} ms CPU, "
          f"printing the summary {rich_print * 1e3:.0f} ms CPU")  # fmt: skip


if __name__ == "__main__":
    main()
