"""A run stopped from outside — Ctrl-C (SIGINT), SIGTERM (``kill``, ``docker stop``, systemd, a CI timeout) — as the
command line handles it: recorded here, raised as :class:`KeyboardInterrupt` once, and checked again where a run
takes its next piece of work.

Why a record as well as the exception: Python runs a signal handler wherever the main thread is, and an exception
raised inside a callback Python runs for itself (an after-fork hook, a ``__del__``, a weakref finaliser) is printed as
"Exception ignored" and dropped — the stop was lost, and the run went on. With the record, the run's next
:func:`check` raises it again. Why a commit point: once a command starts putting its outputs in place, stopping
half-way would leave some written and say that none was; from its :func:`commit_point` on, a stop is recorded and
the command finishes (the import of the command line itself is :func:`held` the same way). A second stop while the
first is being handled is recorded too (it would otherwise interrupt the clean-up); a third ends the process on the
spot, as Python's default would.

Nothing here is active unless :func:`handling` is: a program calling the library keeps its own signal handlers, and
:func:`check` is then a no-op."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["check", "commit_point", "handling", "held", "requested"]

_FORCE_AFTER = 3
"""The stop that ends the process at once, whatever it was doing: the first is handled, later ones wait for it."""


class _State:
    __slots__ = ("active", "committing", "held", "pid", "stops")

    def __init__(self) -> None:
        self.active = False
        self.pid = 0
        self.stops = 0
        self.held = 0
        self.committing = False

    def holding(self) -> bool:
        return self.committing or self.held > 0


_STATE = _State()


def requested() -> bool:
    """Whether a stop was asked for during the run being handled."""
    return _STATE.active and _STATE.stops > 0


def check() -> None:
    """Raise :class:`KeyboardInterrupt` when a stop was asked for and is not being held: called where a run takes its
    next piece of work, so that a stop whose exception was swallowed still ends the run."""
    if requested() and not _STATE.holding() and threading.current_thread() is threading.main_thread():
        raise KeyboardInterrupt


def commit_point() -> None:
    """A run is about to put an output in place: a stop asked for until now ends it here (nothing is in place yet);
    from here on, until the command ends, a stop is recorded and the run finishes — its other outputs committed and
    the summary that says so printed (:func:`tthc.foundation.output_files.atomic_output` calls this)."""
    check()
    if _STATE.active and threading.current_thread() is threading.main_thread():
        _STATE.committing = True


@contextlib.contextmanager
def held() -> Iterator[None]:
    """While inside, a stop is recorded, not raised: what is inside completes (the command line loading itself); the
    next :func:`check` after it raises the stop. A stop recorded before is not raised on entry either."""
    _STATE.held += 1
    try:
        yield
    finally:
        _STATE.held -= 1


@contextlib.contextmanager
def handling(*, process_ends: bool = False) -> Iterator[None]:
    """Handle SIGINT and SIGTERM as stops for the duration (main thread only; a handler of the caller's own is left
    alone), then restore what was there. Worker processes forked meanwhile inherit the handlers: there SIGTERM (a
    pool ending its worker) keeps its default meaning and SIGINT is left to this process.

    ``process_ends``: the process exits right after (the console script). Once a stop was asked for, the handlers
    are then kept to the end, so that a second stop arriving as the process exits waits for it (a third still ends
    it at once) rather than killing it with the signal's default after the run said it was stopped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    mine = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
    replaced = {signum: was for signum, was in mine.items() if signal.getsignal(signum) == was}
    previous_hook = sys.unraisablehook
    _STATE.active, _STATE.pid, _STATE.stops, _STATE.held, _STATE.committing = True, os.getpid(), 0, 0, False
    for signum in replaced:
        signal.signal(signum, _on_stop)
    sys.unraisablehook = _quiet_about_stops(previous_hook)
    try:
        yield
    finally:
        if not (process_ends and _STATE.stops):
            for signum, was in replaced.items():
                signal.signal(signum, was)
        sys.unraisablehook = previous_hook
        _STATE.active = _STATE.committing = False


def _on_stop(signum: int, frame: object) -> None:
    if os.getpid() != _STATE.pid:  # a forked worker: SIGTERM is its pool ending it; Ctrl-C is the parent's to handle
        if signum == signal.SIGTERM:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
        return
    _STATE.stops += 1
    if _STATE.stops >= _FORCE_AFTER:  # the user insists: end now, as Python's default would
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    if _STATE.stops == 1 and not _STATE.holding():
        raise KeyboardInterrupt


def _quiet_about_stops(previous: Any) -> Any:
    """An unraisable-exception hook that drops the stop's own :class:`KeyboardInterrupt` (raised inside a callback,
    it is not lost: :func:`check` raises it again) and passes anything else on."""

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and requested():
            return
        previous(unraisable)

    return hook
