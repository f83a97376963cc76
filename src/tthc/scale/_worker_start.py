"""A Dask worker preload (``preload=["tthc.scale._worker_start"]``) for the worker processes
:func:`tthc.scale.dask.local_client` starts: Ctrl-C is left to the process that started the cluster.

A terminal sends Ctrl-C (SIGINT) to its whole foreground process group — the command, and the worker processes of
its local cluster with it. Each worker raised its own ``KeyboardInterrupt`` in its event loop and printed it
("Process Dask Worker process (from Nanny): Traceback ..."), and then its complaints about the tasks cancelled under
it, before the command's one line. Here a worker takes SIGINT as notice that the run is being stopped — it goes on
as it was, as the ``--jobs`` pool's workers do (:func:`tthc.foundation.cores.leave_interrupts_to_parent`), and logs
nothing more: the command ends the run and closes the cluster, whose nannies end their workers; its one line says
what happened. SIGTERM and SIGKILL still end a worker.
"""

from __future__ import annotations

import logging
import signal
import threading

__all__ = ["dask_setup"]


def dask_setup(worker: object) -> None:
    """Called by Dask in the worker process as the worker starts (its event loop runs in the main thread): SIGINT
    no longer interrupts it, and silences its logging from then on. Nothing is done in a worker running in a thread
    of another process (``processes=False``: that process's signals are not the worker's to change)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _stopping)


def _stopping(signum: int, frame: object) -> None:
    """The terminal's Ctrl-C reached this worker too: the process that started it is ending the run; the cluster
    torn down under the worker (tasks cancelled, the scheduler gone) is not worth a line (WARNING and ERROR alike)."""
    for name in ("distributed", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
