"""How ``tthc`` starts (issue 16, item 5): ``python -m tthc``; lazy commands, so that ``tthc --help`` and
``tthc due`` import only what they need (asserted on the modules a fresh process loaded, never on time); shell
completion through click."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("click", reason="the cli extra is not installed")

TTHC = Path(sys.executable).with_name("tthc")
# Runs the CLI like the console script, then prints the top-level packages it imported as JSON on stderr's last line.
WRAPPER = """
import json, sys
from tthc.cli import main
try:
    code = main(sys.argv[1:])
finally:
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
sys.exit(code)
"""
NEVER = {"pandas", "pyarrow", "polars", "duckdb", "dask", "distributed", "fastapi", "uvicorn", "jinja2", "IPython"}


def _imported(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages the command loaded."""
    return {m.partition(".")[0] for m in _modules(*args, env=env)}


def _modules(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """Every module the command loaded."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_root_help_imports_no_library_machinery() -> None:
    mods = _imported("--help")
    assert "click" in mods
    assert not mods & (NEVER | {"numpy", "pydantic", "rich", "holidays", "dateutil"}), sorted(mods)


def test_a_command_help_imports_no_library_machinery() -> None:
    mods = _imported("validate", "--help")
    assert not mods & (NEVER | {"numpy", "pydantic", "rich", "holidays", "dateutil"}), sorted(mods)


@pytest.mark.parametrize(
    ("received", "env"),
    [
        ("2026-11-20 16:30", {}),
        ("2026-11-20 16:30", {"TTHC_LANG": "en"}),
        ("2027-02-03 09:00", {}),  # over Tết 2027: holidays named in Vietnamese from the cached names
        ("2026-11-20 16:30", {"TTHC_CACHE_DIR": "off"}),  # the calendar compiled in the process
    ],
)
def test_due_imports_neither_numpy_nor_pandas_nor_pyarrow_nor_rich(received: str, env: dict[str, str]) -> None:
    """The scalar path runs on the calendar's plain-Python tables: numpy is for the batch path only."""
    mods = _imported("due", "--received", received, "--processing-time", "5 ngày làm việc", "--json", env=env)
    assert "click" in mods  # the wrapper did run the command
    assert not mods & (NEVER | {"rich", "numpy"}), sorted(mods & (NEVER | {"rich", "numpy"}))


PYDANTIC = {"pydantic", "pydantic_core", "annotated_types", "typing_inspection"}


@pytest.mark.parametrize(
    ("received", "env"),
    [
        ("2026-11-20 16:30", {}),  # the trace names Ngày Văn hóa Việt Nam, an occasion of the schedule file
        ("2026-11-20 16:30", {"TTHC_LANG": "en"}),
        ("2026-04-29 09:00", {}),  # 30/4 and 1/5 of 2026, listed in the schedule with their letter
        ("2027-02-03 09:00", {}),  # over Tết 2027 (projected): holidays named from the cached names
    ],
)
def test_due_imports_no_pydantic(received: str, env: dict[str, str], tmp_path: Path) -> None:
    """A warm ``tthc due`` validates nothing, so it loads no pydantic: the references it cites are attrs values, the
    data-file models are defined when a file is validated, the bundled files are read as written (issue 16, item 5).
    A cold cache compiles the calendar from the validated schedule file, which does load it."""
    cache = {"TTHC_CACHE_DIR": str(tmp_path)}
    args = ("due", "--received", received, "--processing-time", "5 ngày làm việc")
    assert PYDANTIC & _imported(*args, env={**env, **cache})  # compiled and stored: the schedule file validated
    mods = _imported(*args, env={**env, **cache})
    assert "click" in mods  # the wrapper did run the command
    assert not mods & PYDANTIC, sorted(mods & PYDANTIC)


def test_the_other_commands_stay_unloaded_for_due() -> None:
    code = WRAPPER.replace(
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)",
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('tthc.cli.'))), file=sys.stderr)",
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "due", "--received", "2026-11-20 16:30", "--processing-time", "1 ngày làm việc"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == ["tthc.cli._app", "tthc.cli._common", "tthc.cli.due"]


def test_due_loads_only_the_library_modules_it_uses() -> None:
    """The package ``__init__``s load their names lazily: importing ``tthc.deadlines.compute`` must not drag in the
    rest of the package (supplements, the data version of the calendar)."""
    mods = _modules("due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc")
    assert "tthc.deadlines.compute" in mods  # the wrapper did run the command
    unneeded = {"tthc.deadlines.supplements", "tthc.calendar.data_version", "tthc.catalog", "tthc.postal"}
    assert not mods & unneeded, sorted(mods & unneeded)


@pytest.mark.parametrize("module", ["tthc", "tthc.cli"])
def test_python_dash_m(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--lang", "en", "due", "--received", "13/02/2026 16:30", "--processing-time",
         "1 ngày làm việc", "--json"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Fri 16:30 is past the 15:00 cut-off: received Mon 23/02 after the Tết break, one working day later
    assert json.loads(done.stdout)["due_at"] == "2026-02-24T17:00:00+07:00"


def test_python_dash_m_usage_error_exit_code() -> None:
    done = subprocess.run([sys.executable, "-m", "tthc", "no-such-command"], capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("tthc: ")
    assert done.stderr.count("\n") == 1


def _complete(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if not TTHC.exists():
        pytest.skip(f"{TTHC} is not installed (pip install -e '.[cli]')")
    return subprocess.run(
        [str(TTHC)], capture_output=True, text=True, env={**os.environ, **env}, timeout=300, check=False
    )


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script(shell: str) -> None:
    done = _complete({"_TTHC_COMPLETE": f"{shell}_source"})
    assert done.returncode == 0, done.stderr
    assert "_TTHC_COMPLETE" in done.stdout


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("tthc va", "1", ["plain,validate"]),
        ("tthc --lang ", "2", ["plain,vi", "plain,en"]),
        ("tthc kpi --by m", "3", ["plain,month"]),
    ],
)
def test_completion_answers(words: str, cword: str, expected: list[str]) -> None:
    done = _complete({"_TTHC_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == expected


def test_validate_sample_does_not_load_pandas() -> None:
    """pyarrow imports pandas on its first conversion of Python values; tthc.records.arrays converts without it."""
    mods = _imported("validate", "--sample", "--json", env={"TTHC_LANG": "en"})
    assert "pyarrow" in mods  # the run did read and check the sample
    assert "pandas" not in mods


# Loaded when pydantic builds its first validator: its plugin scan imports importlib.metadata (and email) and walks
# every installed distribution. A command that validates nothing of the user's never gets there — the package's own
# data files are read as written (tests/foundation/test_bundled.py compares them with their validated form).
VALIDATOR_MACHINERY = {"pydantic.plugin._loader", "importlib.metadata", "email"}
SAMPLE_UNNEEDED = {
    "tthc.deadlines.reductions",  # no --reductions: the module of the reductions is not needed
    "tthc.deadlines.compute",  # the scalar engine: the sample's rows are all counted by the batch path
    "tthc.deadlines.profiles",  # no --profile
    "tthc.catalog.portal_import",  # the national-portal importer (and its free-text parsers, its report)
    "tthc.catalog.free_text",
    "tthc.catalog.import_report",
    "concurrent.futures.process",  # the worker pool: a small file is checked in this process (threads at most)
    "tthc.kpi.report_html",
    "importlib.resources",  # the bundled data files are found next to the package (and zipfile, tempfile with it)
    "zipfile",
}


def test_validate_sample_builds_no_pydantic_validator() -> None:
    mods = _modules("validate", "--sample", "--json")
    assert "pyarrow" in mods  # the run did read and check the sample
    assert not mods & VALIDATOR_MACHINERY, sorted(mods & VALIDATOR_MACHINERY)


def test_validate_sample_loads_only_the_library_modules_it_uses() -> None:
    mods = _modules("validate", "--sample", "--json", env={"TTHC_LANG": "en"})
    assert "tthc.validation.run" in mods
    assert not mods & SAMPLE_UNNEEDED, sorted(mods & SAMPLE_UNNEEDED)


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--json",), {"TTHC_LANG": "en"}), ((), {}), (("--json",), {"TTHC_LANG": "vi"})],
)
def test_validate_sample_does_not_import_pyarrow_compute(args: tuple[str, ...], env: dict[str, str]) -> None:
    """``pyarrow.compute`` wraps each of its ≈ 290 kernels in a Python function at import (≈ 40 ms, a tenth of the
    command): the sample's columns (typed dates, plain codes and numbers) are read through
    :func:`tthc.records.arrays.kernel` and :func:`~tthc.records.arrays.cast_array`, which call the kernels without it
    (pyarrow's own ``Array.cast``/``is_null``/``is_valid``/``fill_null``/``filter``/``dictionary_encode`` import it)."""
    mods = _modules("validate", "--sample", *args, env=env)
    assert "pyarrow.csv" in mods  # the run did read and check the sample
    assert "pyarrow.compute" not in mods


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--json",), {"TTHC_LANG": "en"}), ((), {}), ((), {"TTHC_LANG": "en"}), (("--json",), {"TTHC_LANG": "vi"})],
)
def test_validate_sample_imports_no_pydantic(args: tuple[str, ...], env: dict[str, str]) -> None:
    """The sample catalog, the record rules, the postal rules and verdicts are data values
    (:mod:`tthc.foundation.data_value`: dataclasses pydantic validates, defined without it) and the bulk path takes
    the record layout from :mod:`tthc.records.layout`, not the pydantic ``DossierRecord``'s module: importing
    pydantic (≈ 0.1 s) is left to a command that validates a file of the user's."""
    mods = _modules("validate", "--sample", *args, env=env)
    assert "pyarrow.csv" in mods  # the run did read and check the sample
    assert "tthc.records.model" not in mods
    assert not {m.partition(".")[0] for m in mods} & PYDANTIC, sorted(m for m in mods if "pydantic" in m)


def test_the_kernels_give_what_pyarrow_compute_gives() -> None:
    pa = pytest.importorskip("pyarrow")
    pc = pytest.importorskip("pyarrow.compute")
    from tthc.records.arrays import cast_array, kernel

    text = pa.array([" a", None, "b ", "", "a", "12"])
    assert kernel("utf8_trim_whitespace", text).equals(pc.utf8_trim_whitespace(text))
    assert kernel("is_null", text).equals(text.is_null())
    assert kernel("dictionary_encode", text, null_encoding="encode").equals(
        pc.dictionary_encode(text, null_encoding="encode")
    )
    assert kernel("dictionary_encode", text).equals(text.dictionary_encode())  # nulls masked by default
    assert kernel("min_max", pa.array([3, None, -1])) == pc.min_max(pa.array([3, None, -1]))
    numbers = pa.array(["1", None, "300"])
    assert cast_array(numbers, pa.int16()).equals(numbers.cast(pa.int16()))
    late = pa.array([1_500], pa.timestamp("ms"))
    assert cast_array(late, pa.timestamp("s"), safe=False).equals(late.cast(pa.timestamp("s"), safe=False))
    with pytest.raises(pa.ArrowInvalid):  # safe by default, as Array.cast: 1.5 s does not fit whole seconds
        cast_array(late, pa.timestamp("s"))
    with pytest.raises(pa.ArrowInvalid):
        cast_array(pa.array(["x"]), pa.int64())


def test_the_text_summary_does_not_load_richs_emoji_table() -> None:
    """The summary's titles, headings and numbers are printed as written (the data as :class:`rich.text.Text`): the
    console parses no ``str`` for markup or emoji codes, so rich's emoji table (≈ 2.5 ms to import) stays unloaded."""
    mods = _modules("validate", "--sample")  # the text output: the summary tables through rich
    assert "rich.table" in mods  # the summary was printed through rich
    assert "rich._emoji_codes" not in mods


@pytest.mark.parametrize("stderr", [False, True])
def test_the_console_prints_text_as_written(stderr: bool, capsys: pytest.CaptureFixture[str]) -> None:
    """What a command prints through the console is shown as typed: ``[bold]`` is no markup tag, ``:warning:`` no
    emoji — a heading or a number can never be restyled or lost by a bracket or a colon in its words."""
    from tthc.cli._common import console

    console(stderr=stderr, min_width=100).print("[bold]a[/bold] [/] :warning: 10:30:00")
    printed = capsys.readouterr()
    assert (printed.err if stderr else printed.out) == "[bold]a[/bold] [/] :warning: 10:30:00\n"


# Runs the CLI like the console script and prints, as JSON on stderr's last line, the BLAS thread count numpy was
# loaded with (the variable as numpy's import began) and the variable after the command returned.
BLAS_WRAPPER = """
import json, os, sys
seen = []
def hook(event, args):
    if event == "import" and args[0] == "numpy" and not seen:
        seen.append(os.environ.get("OPENBLAS_NUM_THREADS"))
sys.addaudithook(hook)
from tthc.cli import main
how, sys.argv[1:] = sys.argv[1], sys.argv[2:]
code = main() if how == "own" else main(sys.argv[1:])
print(json.dumps([seen, os.environ.get("OPENBLAS_NUM_THREADS")]), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    ("how", "given", "loaded_with"), [("own", None, "1"), ("own", "3", "3"), ("own", "", ""), ("args", None, None)]
)
def test_numpy_is_loaded_with_one_blas_thread_unless_the_user_set_a_count(
    how: str, given: str | None, loaded_with: str | None
) -> None:
    """OpenBLAS starts a spinning thread per extra core when numpy loads it; tthc does no floating-point linear
    algebra, so the console script loads it with one thread — a count the user set is kept, and the environment is
    the caller's again when the command returns. A program calling ``main`` with arguments keeps its BLAS threads (a
    numpy first loaded by the command would keep one thread in that program for good)."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run([sys.executable, "-c", BLAS_WRAPPER, how, "validate", "--sample", "--json"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen, after = json.loads(done.stderr.strip().splitlines()[-1])
    assert seen == [loaded_with]  # numpy was loaded by the command, with this setting
    assert after == given


def test_a_numpy_loaded_before_the_command_is_left_alone() -> None:
    """Once numpy is loaded its thread count is set: the command then sets nothing."""
    import numpy  # noqa: F401

    from tthc.cli._app import BLAS_THREADS, _one_blas_thread

    saved = os.environ.pop(BLAS_THREADS, None)
    try:
        with _one_blas_thread():
            assert BLAS_THREADS not in os.environ
    finally:
        if saved is not None:
            os.environ[BLAS_THREADS] = saved


# Runs main() as the console script does (no argument list: the process's own command line), then prints how many
# objects the collector has frozen and whether automatic collection is on, as JSON on stderr's last line.
FREEZE_WRAPPER = """
import gc, json, sys, threading
from tthc.cli import main
how = sys.argv[1]
sys.argv = ["tthc", *sys.argv[2:]]
if how == "thread":  # main() in another thread than the main one: the program goes on after it
    codes = []
    runner = threading.Thread(target=lambda: codes.append(main()))
    runner.start()
    runner.join()
    code = codes[0]
else:
    code = main() if how == "own" else main(sys.argv[1:])
print(json.dumps([gc.get_freeze_count(), gc.isenabled(), gc.get_threshold()[0]]), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("validate", "--sample", "--json"), 0),
        (("due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc"), 0),
        (("no-such-command",), 2),  # an error ends the process too
    ],
)
def test_the_console_script_hands_its_objects_over_to_exit(args: tuple[str, ...], code: int) -> None:
    """``main()`` runs the process's own command line, and the process ends next: the run's objects are frozen so
    that neither the collection after ``main`` restores its threshold nor the one at exit walks them again; the
    threshold is the caller's, collection stays on."""
    done = subprocess.run([sys.executable, "-c", FREEZE_WRAPPER, "own", *args], capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == code, done.stderr
    frozen, enabled, threshold = json.loads(done.stderr.strip().splitlines()[-1])
    assert frozen > 10_000  # the modules, classes and functions of the run
    assert enabled
    assert threshold == 700  # Python's default, as the process started with it


@pytest.mark.parametrize("how", ["list", "thread"])
def test_a_program_passing_arguments_keeps_its_collector(how: str) -> None:
    """A program that calls ``main`` with an argument list, or in a thread of its own, goes on after it: nothing is
    frozen."""
    done = subprocess.run([sys.executable, "-c", FREEZE_WRAPPER, how, "validate", "--sample", "--json"],
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == [0, True, 700]


def test_due_finds_the_data_files_without_importlib_resources() -> None:
    mods = _modules("due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc")
    assert "tthc.deadlines.compute" in mods  # the wrapper did run the command
    assert not mods & {"importlib.resources", "zipfile"}, sorted(mods & {"importlib.resources", "zipfile"})


def test_main_leaves_the_collector_as_it_found_it() -> None:
    """The command raises the collector's first threshold for its run (its start creates tens of thousands of
    long-lived objects); a program that calls ``main`` gets its own thresholds back, also after an error."""
    import gc

    from tthc.cli import main

    before = gc.get_threshold()
    assert main(["--lang", "en", "due", "--received", "2026-11-20 16:30", "--processing-time", "1 ngày"]) == 0
    assert gc.get_threshold() == before
    assert main(["no-such-command"]) == 2
    assert gc.get_threshold() == before
    gc.set_threshold(0, *before[1:])  # a caller that turned automatic collection off keeps it off
    try:
        assert main(["no-such-command"]) == 2
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_a_users_catalog_is_validated() -> None:
    """The other side of the line: a catalog file the user gives goes through pydantic's validators."""
    from tthc.foundation.data_files import bundled_path

    mods = _modules("validate", "--sample", "--json", "--catalog", str(bundled_path("sample_catalog.json")))
    assert "pydantic.plugin._loader" in mods


def test_due_builds_no_pydantic_validator() -> None:
    """The slip as text (``--json`` serialises the references through pydantic, which builds their schema)."""
    mods = _modules("due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc")
    assert "tthc.deadlines.compute" in mods  # the wrapper did run the command
    assert not mods & VALIDATOR_MACHINERY, sorted(mods & VALIDATOR_MACHINERY)


def test_the_command_runs_with_the_raised_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import tthc.cli._app as app_module
    from tthc.cli import GC_FIRST_THRESHOLD, main

    seen: list[tuple[int, int, int]] = []

    def app(argv: list[str] | None) -> int:
        seen.append(gc.get_threshold())
        return 0

    monkeypatch.setattr(app_module, "app", app)
    before = gc.get_threshold()
    assert main([]) == 0
    assert seen == [(max(before[0], GC_FIRST_THRESHOLD), *before[1:])]
    assert gc.get_threshold() == before
