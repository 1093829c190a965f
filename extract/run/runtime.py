"""Getting a process ready to extract a corpus: the extractor's data loaded, the garbage
collector told that this data is there to stay, and worker processes started from a process
that has it loaded already.

The extractor loads large, long-lived data once (the word segmenter's model, the gazetteer,
compiled rules), then allocates and drops hundreds of thousands of small objects per corpus
(rows, sentences, mentions). Python's collector would otherwise walk the long-lived data in
every full collection and run a young collection every 700 allocations (what that costs:
benchmarks/README.md). `gc.freeze()` moves what is loaded out of the
collector's sight, and a larger young-generation threshold makes collections rarer.

Worker processes are forked from multiprocessing's fork server, which imports this module
once (FORKSERVER_PRELOAD) and then loads the extractor and tunes the collector (see the end of
this module); every worker forked from it starts warm, shares those pages copy-on-write
instead of loading its own copy, and keeps the collector settings.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import traceback
from contextlib import contextmanager
from typing import Iterator

WARMUP_TEXT = "赤峰市克什克腾旗经棚镇建成2610个党群服务中心,选派楼栋长2399人,党员占比18.5%。"
GC_THRESHOLD = (20_000, 50, 50)      # CPython's default is (700, 10, 10)

_depth = 0
# imported once by the process pool's fork server: the pool's module, then this one (warm-up)
FORKSERVER_PRELOAD = ["extract.run.pool", "extract.run.runtime"]


def warm_up(everything: bool = False) -> None:
    """Load the extractor's lazily loaded data by extracting one sentence; with `everything`,
    also what only some texts need (cn2an, for Chinese numerals): for a process whose workers
    share what it loaded (the fork server), not for one that extracts a file and exits."""
    from ..pipeline import extract_text

    extract_text(WARMUP_TEXT, doc="warmup")
    if everything:
        from ..claims.numbers import cn2an

        cn2an()


def tune_gc() -> None:
    """Freeze what is loaded now out of the collector's sight, and collect less often: for a
    process that does nothing but extract (a pool worker)."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


@contextmanager
def extracting() -> Iterator[None]:
    """Within: the extractor is loaded and the collector tuned (warm_up, tune_gc); on leaving,
    the collector's settings are restored, so a host program (the dashboard) is left as it was.
    Nested uses restore only at the outermost exit."""
    global _depth
    if _depth == 0:
        warm_up()
        saved = gc.get_threshold()
        tune_gc()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.set_threshold(*saved)
            gc.unfreeze()


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def main_is_unreadable() -> bool:
    """`python -` (a script on stdin): a new process cannot re-import the main script."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return bool(main_file) and not os.path.exists(main_file)


def must_fork() -> bool:
    """Workers have to be forked from this process: its main script cannot be re-imported."""
    return main_is_unreadable() and "fork" in multiprocessing.get_all_start_methods()


def start_warm_forkserver() -> bool:
    """Start this process's multiprocessing fork server with the extractor loaded, unless it is
    already running; False where there is no fork server (not POSIX) or where its processes
    could not start (a main script read from stdin)."""
    if "forkserver" not in multiprocessing.get_all_start_methods() or main_is_unreadable():
        return False
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(FORKSERVER_PRELOAD)
    forkserver.ensure_running()
    return True


def _imported_by_forkserver() -> bool:
    """Whether this module is being imported by the fork server's preload (forkserver.main)."""
    server = sys.modules.get("multiprocessing.forkserver")
    main = getattr(server, "main", None)
    return main is not None and any(frame.f_code is main.__code__ for frame, _ in traceback.walk_stack(None))


if _imported_by_forkserver():
    from .lifeline import die_with_parent

    die_with_parent()          # a killed `indicators extract` leaves no fork server (and no worker)
    try:
        warm_up(everything=True)
        tune_gc()
    except Exception:  # noqa: BLE001 - a failed warm-up must not break the pool: workers load lazily
        pass
