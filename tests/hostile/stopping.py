"""Running a ``tthc`` command that is stopped midway (SIGTERM, Ctrl-C) in a process of its own, for the tests of
how runs end: the command in a process group of its own, so that its forked workers can be found — and killed, if
the test fails — afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest

STOPPED = "tthc: interrupted; no output was written"
"""The one line of a stopped run (English)."""

ENGLISH = {k: v for k, v in os.environ.items() if k != "TTHC_LANG"}
"""The environment of a run whose messages are in English."""


@attrs.frozen
class Ended:
    """How a stopped command ended."""

    returncode: int
    stderr: str
    left: bool
    """Whether a process of its group (a forked worker) was still running half a second after it ended."""

    @property
    def lines(self) -> list[str]:
        """The non-blank lines of stderr."""
        return [line for line in self.stderr.splitlines() if line.strip()]


def run_stopped(script: str, args: Sequence[str], cwd: Path, *, timeout: float = 60) -> Ended:
    """``python -c script *args`` in ``cwd``, in a process group of its own; the test fails if it still runs after
    ``timeout`` seconds (a hang: the group is killed first). Processes of its group left behind are killed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=cwd, env=ENGLISH, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:  # hung, or an orphaned worker keeps the pipes open
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        left = sorted(p.name for p in cwd.iterdir())
        pytest.fail(f"still running {timeout:g} s after the stop; said {err!r}; in its folder: {left}")
    time.sleep(0.5)  # a worker orphaned by the command's end would still be running
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return Ended(proc.returncode, err, left=False)
    os.killpg(proc.pid, signal.SIGKILL)
    return Ended(proc.returncode, err, left=True)
