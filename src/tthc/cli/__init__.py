"""The ``tthc`` command (extra ``cli``): ``pip install 'tthc[cli]'``.

Exit codes: 0 ok, 1 findings (invalid rows, ineligible, failed thresholds), 2 usage or input error — never a
traceback. An error is one line on stderr (``tthc: --report: expected ..., got '...' (what to do)``); with ``--json``
it is a JSON object on stdout instead: ``{"error": {"kind", "field", "expected", "given", "message"}}``.
"""

from __future__ import annotations

import gc
import sys
import threading

from tthc.foundation import stops

__all__ = ["main"]

GC_FIRST_THRESHOLD = 100_000
"""The collector's first threshold while a command runs (Python's default: 700). A command's start creates tens of
thousands of objects that live as long as the process (modules, classes, Arrow's and numpy's functions): at the
default the collector ran ~130 times during ``tthc validate --sample`` and walked them all again in a full collection
(``docs/performance.md``). Cycles are still collected, only in larger batches; mypy does the same."""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tthc`` console script."""
    if threading.current_thread() is not threading.main_thread():
        # Signal handlers and the collector's thresholds are the process's: a program running commands in threads
        # keeps its own (two runs at once would otherwise restore each other's settings out of order).
        return _main(argv)
    threshold = gc.get_threshold()
    if threshold[0]:  # 0: the caller turned automatic collection off, and keeps it off
        gc.set_threshold(max(threshold[0], GC_FIRST_THRESHOLD), *threshold[1:])
    try:
        # Ctrl-C and SIGTERM (``kill``, ``docker stop``, a CI timeout) end a run alike: the outputs being written
        # are thrown away with their temporary files, worker pools shut down, one line says so, exit 2 — Python's
        # default for SIGTERM ends the process on the spot, leaving ``.tmp`` files and orphaned workers. A handler
        # of the caller's own is left alone (tthc.foundation.stops).
        with stops.handling(process_ends=argv is None):  # the console script: the process ends next
            return _main(argv)
    finally:  # a program that calls main() keeps its own settings
        gc.set_threshold(*threshold)


def _main(argv: list[str] | None) -> int:
    try:
        # a stop while the command line loads (≈ 0.1 s of every run) is recorded, and said once it has loaded
        with stops.held():
            from tthc.cli._app import app
    except ImportError as exc:  # the extra is missing: say how to get it rather than a traceback
        print(
            f"tthc: the command line needs the 'cli' extra ({exc.name} is missing): pip install 'tthc[cli]'",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:  # a broken installation: still one line, never a traceback
        print(f"tthc: internal error: cannot load the command line: {type(exc).__name__}: {exc} — please report",
              file=sys.stderr)  # fmt: skip
        return 2
    return app(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
