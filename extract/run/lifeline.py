"""Worker processes that die with their parent: no orphan is left when the main process is killed.

Linux sends a process a signal of its choice when its parent dies (prctl PR_SET_PDEATHSIG),
also when the parent was killed with SIGKILL and could run no clean-up of its own; the
standard library has no wrapper for it (hence ctypes). Elsewhere die_with_parent does
nothing, and the pool's workers end when they find their task queue closed.

The "parent" is the thread that started the process: the fork server is started by the
thread that first makes a pool (the main thread in `indicators extract`), the workers by the
fork server.

The workers of a local Dask cluster (run.cluster.local_cluster) run `dask_setup` below as their
preload. Dask's own tie to the parent (a thread in the worker that waits on a pipe) cannot run
while the worker's task holds the interpreter lock in native code (a long regular expression
match), so without the kernel's signal such a worker outlives a killed run.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
#: The pid of the process a local Dask cluster's workers work for (set in their environment).
MAIN_PID_ENV = "INDICATORS_MAIN_PID"


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send `sig` to this process when its parent dies; if the parent
    (`parent`, the pid it had when this process was made; default: the current one) is gone
    already, exit now. False where this cannot be asked (not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)          # the parent died before the request was made: nobody to work for
    return True


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user's counts too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dask_setup(worker=None) -> None:
    """Dask worker preload: die with the process that forked this worker (the fork server, which
    dies with the main process, or the main process itself); exit at once if the main process
    (MAIN_PID_ENV) is gone already."""
    main = int(os.environ.get(MAIN_PID_ENV, "0") or 0)
    die_with_parent()
    if main and not pid_alive(main):
        os._exit(1)
