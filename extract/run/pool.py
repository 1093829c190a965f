"""Running the extractor on the cores of this machine: a process pool over run.files.process_file
(which never raises for a bad file).

Files are sent in chunks of about `chunk_bytes`, at most a few chunks per worker are in
flight at once, and FileResults come back in input order as they are ready, so memory
stays bounded however large the corpus is. (On a Dask cluster: run.cluster.)
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..rulefiles import RuleError
from .files import FileResult, RowSink, iter_input_files, process_file
from .runtime import FORKSERVER_PRELOAD, default_workers, extracting, must_fork

CHUNK_BYTES = 1 << 20          # about 1 MB of input per pool task
CHUNK_FILES = 256              # and never more files than this in one task
MAX_CONSECUTIVE_CRASHES = 5    # worker deaths in a row (no file in between succeeding) before giving up


def _mp_context():
    """forkserver where there is one: safe when the parent has threads (a Dask client, a web
    server), and the server loads the extractor's data once (run.runtime), so each worker
    forked from it starts warm and shares that memory instead of loading its own copy."""
    if must_fork():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def make_executor(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool suited to run_parallel (pass it as `executor` to reuse it across runs)."""
    return ProcessPoolExecutor(max_workers=workers or default_workers(), mp_context=_mp_context())


def iter_chunks(files: Iterable[Path], chunk_bytes: int = CHUNK_BYTES,
                chunk_files: int = CHUNK_FILES) -> Iterator[list[str]]:
    """Consecutive files grouped into lists of about chunk_bytes (a big file gets a list of its own)."""
    chunk, size = [], 0
    for path in files:
        try:
            nbytes = os.stat(path).st_size
        except OSError:
            nbytes = 0                      # process_file will report it as unreadable
        if chunk and (size + nbytes > chunk_bytes or len(chunk) >= chunk_files):
            yield chunk
            chunk, size = [], 0
        chunk.append(str(path))
        size += nbytes
    if chunk:
        yield chunk


def process_chunk(paths: list[str], func: Callable[[str], FileResult] = process_file) -> list[FileResult]:
    """func over each path, in order (runs in a worker process)."""
    return [func(p) for p in paths]


def _crashed(path: str, exc: BaseException) -> FileResult:
    return FileResult(str(path), "error", f"worker process died: {type(exc).__name__}: {exc}")


def run_parallel(paths: Iterable[str | Path], workers: int | None = None, *,
                 sink: RowSink | None = None, chunk_bytes: int = CHUNK_BYTES,
                 chunk_files: int = CHUNK_FILES, window: int | None = None,
                 executor: ProcessPoolExecutor | None = None,
                 func: Callable[..., FileResult] = process_file) -> Iterator[FileResult]:
    """process_file over every input file on `workers` processes; FileResults in input order.

    workers=1 runs in this process (like run.files.run_files), and so does an input of a
    single chunk (under `chunk_bytes`), where starting processes would cost more than it
    saves. At most `window` chunks (default 4 per worker) are queued or running at any
    time, so neither the inputs nor the results of the whole corpus are ever held at once. If a worker process
    dies (a crash in native code, the OOM killer), the pool is rebuilt, the chunk
    that was running is retried one file at a time, and a file that kills its worker
    again is reported with status "error" instead of stopping the run.

    With `sink`, as in run.files.run_files, each file's rows go to sink(rows) (in this
    process, in input order) and the FileResults carry only the count (result.claims).
    """
    workers = workers or (executor._max_workers if executor else default_workers())
    if workers == 1 and executor is None:
        with extracting():
            for path in iter_input_files(paths):
                yield func(path) if sink is None else func(path, sink)
        return
    chunks = iter_chunks(iter_input_files(paths), chunk_bytes, chunk_files)
    first, second = next(chunks, None), next(chunks, None)
    if second is None and executor is None:
        # A single chunk of input (a few files): starting processes would cost more than it saves.
        with extracting():
            for path in first or []:
                yield func(path) if sink is None else func(path, sink)
        return
    chunks = itertools.chain([first, second], chunks)
    window = window or 4 * workers
    own = executor is None
    pool = executor or make_executor(workers)
    pending: deque = deque()            # (chunk, future), in input order
    crashes = 0
    try:
        while True:
            while len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append((chunk, pool.submit(process_chunk, chunk, func)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # A worker died, and with it every unfinished future of the pool: rebuild the
                # pool, retry this chunk file by file (isolating the file that kills its
                # worker), and resubmit the chunks behind it that had not finished.
                pool, own = _rebuild(pool, own, workers), True
                results = []
                for path in chunk:
                    try:
                        results.extend(pool.submit(process_chunk, [path], func).result())
                        crashes = 0
                    except BrokenProcessPool as exc:
                        crashes += 1
                        if crashes >= MAX_CONSECUTIVE_CRASHES:
                            raise BrokenProcessPool(
                                f"{crashes} worker processes in a row died: the pool itself is "
                                f"failing, not single files (last: {exc})") from exc
                        pool = _rebuild(pool, own, workers)
                        results.append(_crashed(path, exc))
                pending = deque(
                    (c, f if f.done() and not f.cancelled() and f.exception() is None
                     else pool.submit(process_chunk, c, func))
                    for c, f in pending)
            except RuleError:
                raise                       # a broken rule file: every file would fail
            except Exception as exc:        # e.g. a result that could not be pickled back
                results = [FileResult(p, "error", f"{type(exc).__name__}: {exc}") for p in chunk]
            for result in results:
                if sink is not None and result.rows:
                    sink(result.rows)
                    result.rows = []
                yield result
    finally:
        for _, future in pending:
            future.cancel()
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


def _rebuild(pool: ProcessPoolExecutor, own: bool, workers: int) -> ProcessPoolExecutor:
    if own:
        pool.shutdown(wait=False, cancel_futures=True)
    return make_executor(workers)
