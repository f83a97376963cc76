"""A run stopped from outside (Ctrl-C, SIGTERM) at the awkward moments: while the command line loads, once its
outputs are being put in place, inside a callback Python runs for itself, and stopped again while stopping
(tthc.foundation.stops; found by the session-9 hostile review)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hostile.stopping import run_stopped
from tthc.cli import main
from tthc.foundation import stops
from tthc.testing.record_files import row, write_csv

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and fork as on Linux")

_ENGLISH = {k: v for k, v in os.environ.items() if k != "TTHC_LANG"}
_STOPPED = "tthc: interrupted; no output was written"


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args], cwd=cwd, env=_ENGLISH, capture_output=True, text=True, timeout=120
    )


_STOP_WHILE_LOADING = """
import importlib.abc, os, signal, sys

class StopOnClick(importlib.abc.MetaPathFinder):
    # the stop arrives while the command line loads (tthc.cli imports click, rich and the commands: ~0.1 s of every
    # run's start, where a Ctrl-C or a `kill` lands as often as anywhere else)
    def find_spec(self, name, path, target=None):
        if name == "click":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), getattr(signal, sys.argv[1]))
        return None

sys.meta_path.insert(0, StopOnClick())
from tthc.cli import main
sys.exit(main(sys.argv[2:]))
"""


@linux_only
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_stop_while_the_command_line_loads_is_the_one_line_and_exit_2(tmp_path: Path, sig: str) -> None:
    """It was a Python traceback ending in ``KeyboardInterrupt``, exit 130: nothing caught the stop before the
    command line had loaded."""
    proc = _run(_STOP_WHILE_LOADING, sig, "--lang", "en", "validate", "--sample", "--report", "r.csv", cwd=tmp_path)
    assert (proc.returncode, _lines(proc.stderr)) == (2, [_STOPPED]), proc.stderr
    assert list(tmp_path.iterdir()) == []


@linux_only
@pytest.mark.parametrize(
    ("command", "late"),
    [
        # printing the terminal table / summary, every output in place
        (["kpi", "--html", "k.html"], "tthc.cli.kpi._print"),
        (["validate", "--report", "r.csv", "--kpi-json", "k.json"], "tthc.cli.validate.print_validation_summary"),
        # syncing the folder after the first output's rename (k.json: the ExitStack commits the last opened first),
        # before the report's own flush, fsync and rename
        (["validate", "--report", "r.csv", "--kpi-json", "k.json"], "tthc.foundation.output_files._fsync_folder"),
    ],
    ids=["kpi-table", "validate-summary", "validate-between-two-commits"],
)
def test_a_stop_once_the_outputs_are_being_put_in_place_lets_the_command_finish(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    late: str,
) -> None:
    """A stop that landed once an output had been renamed into place ended the command with exit 2 and "no output
    was written" — while that output was there, and (between two commits) a KPI file sat without the report it came
    with. From the first commit on, a stop is recorded and the command finishes: every output in place, its summary
    printed, its own exit code."""
    import importlib

    module_name, attr = late.rsplit(".", 1)
    module = importlib.import_module(module_name)
    real = getattr(module, attr)

    def stopped(*args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGTERM)  # the handler runs at the next Python step, inside this moment
        return real(*args, **kwargs)

    path = write_csv(tmp_path / "d.csv", [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, 40)])
    (tmp_path / "unstopped").mkdir()
    monkeypatch.chdir(tmp_path / "unstopped")
    unstopped = main(["--lang", "en", command[0], str(path), *command[1:]])
    expected = capsys.readouterr().out
    monkeypatch.setattr(module, attr, stopped)
    monkeypatch.chdir(tmp_path)
    code = main(["--lang", "en", command[0], str(path), *command[1:]])
    out, err = capsys.readouterr()
    assert (code, out, err) == (unstopped, expected, "")
    for name in (arg for arg in command[1:] if not arg.startswith("--")):
        assert (tmp_path / name).read_bytes() == (tmp_path / "unstopped" / name).read_bytes()


@linux_only
def test_a_stop_before_the_outputs_are_put_in_place_still_writes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The other side of the commit point: stopped while the KPI file is written (the last step before the outputs
    are committed), the command writes none of them."""
    from tthc.cli import validate

    real = validate.kpi_json  # type: ignore[attr-defined]

    def stopped(*args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGTERM)
        return real(*args, **kwargs)

    monkeypatch.setattr(validate, "kpi_json", stopped)
    path = write_csv(tmp_path / "d.csv", [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, 40)])
    monkeypatch.chdir(tmp_path)
    code = main(["--lang", "en", "validate", str(path), "--report", "r.csv", "--kpi-json", "k.json"])
    assert (code, _lines(capsys.readouterr().err)) == (2, [_STOPPED])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]


_STOP_DURING_A_FORK = """
import os, signal, sys
from tthc.cli import main
from tthc.validation import run
from tthc.validation.run import validate_files

def stop_the_group():
    # SIGTERM to the whole group (docker stop, systemd) arriving as the pool forks its workers: the parent's handler
    # runs in Python's after-fork callbacks, where an exception is printed as "Exception ignored" and dropped
    if not os.path.exists("sent"):
        open("sent", "w").close()
        os.killpg(0, signal.SIGTERM)
        sum(range(1000))  # the next Python steps: the parent's pending handler runs here

def small_pieces(*args, **kwargs):  # several stretches, so that --jobs 2 forks its workers
    return validate_files(*args, **{**kwargs, "chunk_bytes": 60_000})

os.register_at_fork(after_in_parent=stop_the_group)
run.validate_files = small_pieces
sys.exit(main(sys.argv[1:]))
"""


@linux_only
def test_a_stop_landing_in_a_callback_is_neither_lost_nor_taken_for_a_lost_worker(tmp_path: Path) -> None:
    """SIGTERM to the process group as the pool forked its workers: the handler's exception, raised inside Python's
    after-fork callback, was printed with a traceback and dropped; the workers died of the same SIGTERM, and the
    run ended saying a worker was killed for lack of memory — the wrong advice for a run the user stopped."""
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(3_000)]
    path = write_csv(tmp_path / "d.csv", rows)
    args = ["--lang", "en", "validate", str(path), "--jobs", "2", "--report", "r.csv"]
    ended = run_stopped(_STOP_DURING_A_FORK, args, tmp_path)
    assert (ended.returncode, ended.lines, ended.left) == (2, [_STOPPED], False), ended.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "sent"]


_STOP_SWALLOWED = """
import atexit, os, signal, sys
from tthc.cli import main
from tthc.validation import chunk, workers

real, seen = workers.validate_chunk, []

class Stopper:
    def __del__(self):  # Python runs this for itself: an exception raised here is printed and dropped
        os.kill(os.getpid(), signal.SIGTERM)
        sum(range(1000))  # the handler runs here

def checked(*args, **kwargs):
    seen.append(1)
    if len(seen) == 2:
        Stopper()
    return real(*args, **kwargs)

workers.validate_chunk = checked
workers.CHECK_THREADS = 1
chunk.CHECK_ROWS = 256  # a dozen pieces
atexit.register(lambda: open("pieces", "w").write(str(len(seen))))
sys.exit(main(sys.argv[1:]))
"""


@linux_only
def test_a_stop_swallowed_in_a_finaliser_still_ends_the_run_at_its_next_piece(tmp_path: Path) -> None:
    """``--jobs 1``: a stop raised inside a ``__del__`` was printed as "Exception ignored" and the run went on to
    write its outputs and exit 1, as if never stopped. It ends at the next piece taken."""
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(3_000)]
    path = write_csv(tmp_path / "d.csv", rows)
    proc = _run(
        _STOP_SWALLOWED, "--lang", "en", "validate", str(path), "--jobs", "1", "--report", "r.csv", cwd=tmp_path
    )
    assert (proc.returncode, _lines(proc.stderr)) == (2, [_STOPPED]), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "pieces"]
    assert int((tmp_path / "pieces").read_text()) <= 4  # of a dozen: the run ended soon after, not at its end


_THIRD_STOP = """
import os, signal, sys, time
from tthc.cli import main
from tthc.foundation import output_files

real = output_files._fsync_folder

def stuck(folder):  # the outputs are being put in place, and that takes long (a slow network disk)
    for _ in range(3):
        os.kill(os.getpid(), signal.SIGTERM)
        sum(range(1000))
    time.sleep(30)
    return real(folder)

output_files._fsync_folder = stuck
sys.exit(main(sys.argv[1:]))
"""


@linux_only
def test_a_third_stop_ends_the_process_at_once(tmp_path: Path) -> None:
    """Stops while a command finishes are recorded, so that they do not interrupt it; a user who insists (a third
    Ctrl-C or SIGTERM) ends the process on the spot, as Python's default would."""
    path = write_csv(tmp_path / "d.csv", [row(dossier_code="000.00.12.H21-250303-0001")])
    proc = _run(_THIRD_STOP, "--lang", "en", "validate", str(path), "--report", "r.csv", cwd=tmp_path)
    assert proc.returncode == -signal.SIGTERM, proc.stderr


def _stop_self(signum: int) -> None:
    os.kill(os.getpid(), signum)
    sum(range(1000))  # the handler runs at one of these Python steps


def test_outside_the_command_line_a_stop_is_never_recorded_and_check_does_nothing() -> None:
    """A program calling the library keeps its own signal handling: nothing is recorded, nothing raised."""
    assert not stops.requested()
    stops.check()
    stops.commit_point()
    with stops.held():
        stops.check()
    assert not stops.requested()


@linux_only
def test_handling_records_a_stop_raises_it_once_and_restores_the_handlers() -> None:
    before = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    with stops.handling():
        with pytest.raises(KeyboardInterrupt):
            _stop_self(signal.SIGTERM)
        assert stops.requested()
        os.kill(os.getpid(), signal.SIGINT)  # a second stop while the first is handled: recorded, not raised
        sum(range(1000))
        with pytest.raises(KeyboardInterrupt):
            stops.check()
        with stops.held():
            stops.check()  # held: not raised
    assert not stops.requested()
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


@linux_only
def test_a_stop_while_held_is_raised_by_the_next_check_after_it() -> None:
    with stops.handling():
        with stops.held():
            os.kill(os.getpid(), signal.SIGINT)
            sum(range(1000))
        assert stops.requested()
        with pytest.raises(KeyboardInterrupt):
            stops.check()


@linux_only
def test_after_the_commit_point_a_stop_is_recorded_until_the_command_ends() -> None:
    with stops.handling():
        stops.commit_point()
        os.kill(os.getpid(), signal.SIGTERM)
        sum(range(1000))
        stops.check()
        assert stops.requested()
    with stops.handling():  # the next command starts afresh
        assert not stops.requested()
        with pytest.raises(KeyboardInterrupt):
            _stop_self(signal.SIGTERM)


_SECOND_STOP_AS_IT_EXITS = """
import os, signal, sys, time
from tthc.cli import main
from tthc.validation import workers

real = workers.validate_chunk

def stopped(*args, **kwargs):  # the first stop, midway
    if not os.path.exists("sent"):
        open("sent", "w").close()
        os.kill(os.getpid(), signal.SIGTERM)
    return real(*args, **kwargs)

workers.validate_chunk = stopped
sys.argv = ["tthc", *sys.argv[1:]]
code = main()  # the console script's call
os.kill(os.getpid(), signal.SIGTERM)  # the second, as the process exits (an impatient user, a supervisor)
time.sleep(0.2)
sys.exit(code)
"""


@linux_only
def test_a_second_stop_arriving_as_the_stopped_command_exits_does_not_kill_it(tmp_path: Path) -> None:
    """The console script restored SIGTERM's default as ``main`` returned: a second stop arriving then killed the
    process (exit -15, or 130 for Ctrl-C) after it had said it was stopped. Its exit stays the stop's 2."""
    path = write_csv(tmp_path / "d.csv", [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(400)])
    proc = _run(_SECOND_STOP_AS_IT_EXITS, "--lang", "en", "validate", str(path), "--report", "r.csv", cwd=tmp_path)
    assert (proc.returncode, _lines(proc.stderr)) == (2, [_STOPPED]), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "sent"]
