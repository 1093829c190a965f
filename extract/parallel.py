"""Running the extractor on many cores, or on a Dask cluster.

Two ways, both built on runner.process_file (which never raises for a bad file):

- run_parallel(paths, workers): a process pool on this machine. Files are sent
  in chunks of about `chunk_bytes`, at most a few chunks per worker are in
  flight at once, and FileResults come back in input order as they are ready,
  so memory stays bounded however large the corpus is.
- run_dask(paths, scheduler_address, out_dir): the same process_file mapped
  over batches of files on a Dask cluster; each batch is written by the worker
  as one Parquet part file in out_dir (part-00000.parquet, ...), and only the
  per-file manifest entries (path, status, claims, reason, ...) come back. The workers read
  the input paths and write out_dir themselves, so on a multi-machine cluster
  both must be on a filesystem the workers share.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
import uuid
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .runner import STREAM_BYTES, FileResult, InputPath, RowSink, iter_input_files, process_file
from .warm import extracting

CHUNK_BYTES = 1 << 20          # about 1 MB of input per pool task
CHUNK_FILES = 256              # and never more files than this in one task
MAX_CONSECUTIVE_CRASHES = 5    # worker deaths in a row (no file in between succeeding) before giving up
BATCH_FILES = 64               # files per Dask task, i.e. per Parquet part file
PART_PREFIX = "part-"
# Dask settings for the workers local_cluster starts. A worker samples its task thread's stack
# every 10 ms for the Dask dashboard's profile by default (1.83 against 1.69 CPU-s of the two
# workers per 10 MB, in one check), for a view this cluster (no dashboard) never shows. For
# workers started by hand, the same is DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False in
# their environment.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}
FORKSERVER_PRELOAD = ["extract.runner", "extract._warm"]   # imported once by the fork server


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _main_is_unreadable() -> bool:
    """`python -` (a script on stdin): a new process cannot re-import the main script."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return bool(main_file) and not os.path.exists(main_file)


def _must_fork() -> bool:
    """Workers have to be forked from this process: its main script cannot be re-imported."""
    return _main_is_unreadable() and "fork" in multiprocessing.get_all_start_methods()


def _mp_context():
    """forkserver where there is one: safe when the parent has threads (a Dask client, a web
    server), and the server loads the extractor's data once (extract._warm), so each worker
    forked from it starts warm and shares that memory instead of loading its own copy."""
    if _must_fork():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def make_executor(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool suited to run_parallel (pass it as `executor` to reuse it across runs).
    Its workers die with the process that forked them (lifeline): none outlives a killed run."""
    return ProcessPoolExecutor(max_workers=workers or default_workers(), mp_context=_mp_context(),
                               initializer=_worker_start, initargs=())


def _worker_start() -> None:
    from .lifeline import die_with_parent

    die_with_parent()


def kill_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL the pool's worker processes (a run being interrupted: their work is dropped)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except (OSError, AttributeError, ValueError):
            pass


def iter_chunks(files: Iterable[Path], chunk_bytes: int = CHUNK_BYTES,
                chunk_files: int = CHUNK_FILES) -> Iterator[list]:
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
        chunk.append(path if isinstance(path, InputPath) else str(path))   # InputPath keeps its doc
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

    workers=1 runs in this process (like runner.run_files), and so does an input of a
    single chunk (under `chunk_bytes`), where starting processes would cost more than it
    saves. At most `window` chunks (default 4 per worker) are queued or running at any
    time, so neither the inputs nor the results of the whole corpus are ever held at once. If a worker process
    dies (a crash in native code, the OOM killer), the pool is rebuilt, the chunk
    that was running is retried one file at a time, and a file that kills its worker
    again is reported with status "error" instead of stopping the run.

    With `sink`, as in runner.run_files, each file's rows go to sink(rows) (in this
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
    pending: deque = deque()            # (chunk, future or None: to be submitted, or LOCAL), in input order
    crashes = 0
    finished = False

    def place(chunk):
        """A file that is streamed in pieces is done here at its turn, its rows going straight to
        the sink: from a worker they would all come back at once, in one pickle."""
        if sink is not None and len(chunk) == 1 and _size(chunk[0]) > STREAM_BYTES:
            return LOCAL
        return submit(chunk)

    def submit(chunk):
        """pool.submit, or None when the pool is broken (a worker died since the last look):
        the chunk is then submitted again once the pool is rebuilt."""
        try:
            return pool.submit(process_chunk, chunk, func)
        except (BrokenProcessPool, RuntimeError):   # RuntimeError: a pool shut down as broken
            return None

    def usable(future) -> bool:
        return future is not None and future.done() and not future.cancelled() and future.exception() is None

    def resubmit() -> None:
        """A new pool, and every chunk behind that had not finished submitted to it again."""
        nonlocal pool, own, pending, crashes
        for _ in range(MAX_CONSECUTIVE_CRASHES):
            pool, own = _rebuild(pool, own, workers), True
            pending = deque((c, f if f is LOCAL or usable(f) else submit(c)) for c, f in pending)
            if all(f is not None for _, f in pending):
                return
        raise BrokenProcessPool(f"{MAX_CONSECUTIVE_CRASHES} new worker pools in a row broke at once: "
                                "the pool itself is failing, not single files")

    try:
        while True:
            while len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append((chunk, place(chunk)))
            if not pending:
                finished = True
                return
            if any(f is None for _, f in pending):
                resubmit()
            chunk, future = pending.popleft()
            if future is LOCAL:
                with extracting():
                    results = [func(path, sink) for path in chunk]
                for result in results:
                    yield result
                continue
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
                        single = submit([path])
                        if single is None:
                            raise BrokenProcessPool("the new pool broke before the file was sent")
                        results.extend(single.result())
                        crashes = 0
                    except BrokenProcessPool as exc:
                        crashes += 1
                        if crashes >= MAX_CONSECUTIVE_CRASHES:
                            raise BrokenProcessPool(
                                f"{crashes} worker processes in a row died: the pool itself is "
                                f"failing, not single files (last: {exc})") from exc
                        pool = _rebuild(pool, own, workers)
                        results.append(_crashed(path, exc))
                resubmit()
            except Exception as exc:        # e.g. a result that could not be pickled back
                results = [FileResult(str(p), "error", f"{type(exc).__name__}: {exc}") for p in chunk]
            for result in results:
                if sink is not None and result.rows:
                    sink(result.rows)
                    result.rows = []
                yield result
    finally:
        for _, future in pending:
            if future is not None and future is not LOCAL:
                future.cancel()
        if not finished:                    # interrupted (a signal, the consumer stopped, an error)
            kill_workers(pool)
        if own:
            pool.shutdown(wait=finished, cancel_futures=True)


LOCAL = object()       # a chunk run_parallel does in its own process


def _size(path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _rebuild(pool: ProcessPoolExecutor, own: bool, workers: int) -> ProcessPoolExecutor:
    if own:
        kill_workers(pool)              # a broken pool's other workers: their work is resubmitted
        pool.shutdown(wait=False, cancel_futures=True)
    return make_executor(workers)


# ---------------------------------------------------------------- Dask

def manifest_entry(result: FileResult) -> dict:
    """What the run manifest keeps of a FileResult (extract.manifest): everything but the rows."""
    from .manifest import manifest_record

    return manifest_record(result)


def write_part(rows: list[dict], out_dir: str | Path, part: str) -> Path:
    """rows as out_dir/part-<part>.parquet (part is 00000, 00001, ...), written to a temporary name first so a retried
    or killed task never leaves half a file under the final name."""
    import pyarrow.parquet as pq

    from .table import to_arrow

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    final = out / f"{PART_PREFIX}{part}.parquet"
    tmp = out / f".{final.name}.{os.getpid()}.tmp"
    pq.write_table(to_arrow(rows), tmp)
    os.replace(tmp, final)
    return final


def process_batch(part: str, paths: list[tuple[str, str]], out_dir: str,
                  func: Callable[[str], FileResult] = process_file) -> list[dict]:
    """One Dask task: extract a batch of (path as given, absolute path) files, write their rows
    as the part file part-<part>.parquet, and return their manifest entries (paths as given)."""
    with extracting():
        results = [func(absolute) for _, absolute in paths]
        write_part([row for r in results for row in r.rows], out_dir, part)
    return [dict(manifest_entry(r), path=given) for (given, _), r in zip(paths, results)]


def start_warm_forkserver() -> bool:
    """Start this process's multiprocessing fork server with the extractor loaded (extract._warm),
    unless it is already running; False where there is no fork server (not POSIX) or where
    its processes could not start (a main script read from stdin)."""
    if "forkserver" not in multiprocessing.get_all_start_methods() or _main_is_unreadable():
        return False
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(FORKSERVER_PRELOAD)
    forkserver.ensure_running()
    return True


def local_cluster(n_workers: int | None = None, **kwargs):
    """A distributed.LocalCluster on 127.0.0.1 of n_workers (default: all cores) single-threaded
    worker processes, no dashboard. Its worker processes are forked from the warm fork server
    (start_warm_forkserver), so they start with the extractor's data loaded and share it,
    instead of each spending many seconds and a lot of memory loading their own copy."""
    import dask
    from distributed import LocalCluster

    options = dict(n_workers=n_workers or default_workers(), threads_per_worker=1, processes=True,
                   host="127.0.0.1", dashboard_address=None)
    options.update(kwargs)
    config = dict(WORKER_CONFIG)
    if start_warm_forkserver():
        config["distributed.worker.multiprocessing-method"] = "forkserver"
    elif _must_fork():
        config["distributed.worker.multiprocessing-method"] = "fork"    # as _mp_context
    with dask.config.set(config):
        return LocalCluster(**options)


def clear_parts(out_dir: str | Path) -> None:
    """Remove part files (and leftover temporaries) of an earlier run_dask in out_dir, and its
    completion record (the folder is incomplete until this run writes its own)."""
    from .runstate import FOLDER_RECORD

    out = Path(out_dir)
    if out.is_dir():
        for p in out.iterdir():
            if p.is_file() and (p.name.startswith(PART_PREFIX) and p.suffix == ".parquet"
                                or p.name.startswith("." + PART_PREFIX) and p.name.endswith(".tmp")
                                or p.name == FOLDER_RECORD):
                p.unlink()


def write_folder_record(out_dir: Path, parts: list[str], entries: list[dict]) -> None:
    """out_dir/_run.json: the run finished, and these are its part files (readers read only these)."""
    import json

    from .runstate import FOLDER_RECORD, _write_atomic

    record = {"complete": True, "parts": parts, "rows": sum(int(e.get("claims", 0) or 0) for e in entries),
              "files": len(entries)}
    _write_atomic(Path(out_dir) / FOLDER_RECORD, json.dumps(record, ensure_ascii=False, indent=1))


def _batches(paths, batch_files: int) -> Iterator[list[tuple[str, str]]]:
    batch = []
    for path in iter_input_files(paths):
        batch.append((str(path), InputPath.of(Path(path).resolve(), path.doc, path.key, path.supported)))
        if len(batch) >= batch_files:
            yield batch
            batch = []
    if batch:
        yield batch


def run_dask(paths: Iterable[str | Path], scheduler_address, out_dir: str | Path, *,
             batch_files: int = BATCH_FILES, window: int | None = None,
             local_workers: int | None = None,
             func: Callable[[str], FileResult] = process_file) -> list[dict]:
    """Extract every input file on the Dask cluster at scheduler_address into partitioned Parquet.

    out_dir receives one part-NNNNN.parquet per batch of `batch_files` input files, in input
    order (read it back with extract.table.read_table(out_dir) or pandas.read_parquet(out_dir));
    part files left there by an earlier run are removed first. `scheduler_address` is a
    scheduler address such as "tcp://10.0.0.5:8786", or "local" to start a LocalCluster of
    `local_workers` (default: all cores) worker processes on this machine for the run (see
    local_cluster); a distributed Client or LocalCluster object is accepted too. At most
    `window` batches (default 4 per worker thread) are in flight at a time. Returns one
    manifest entry per input file, in input order, with the columns of extract.manifest
    (path, status, claims, encoding, format, bytes, reason): a file that cannot be read
    shows up there with its status instead of stopping the run. A batch whose task fails
    (after Dask's own retries, e.g. a file that kills its worker every time) shows up as
    status "error" for each of its files, with no rows in the table; the other batches
    go through. (The local process pool, run_parallel, narrows such a failure down to the
    one file at fault.)
    """
    from distributed import Client, as_completed

    out_dir = Path(out_dir).resolve()
    cluster = client = None
    own_client = True
    if isinstance(scheduler_address, Client):
        client, own_client = scheduler_address, False
    elif isinstance(scheduler_address, str) and scheduler_address.strip().lower() == "local":
        cluster = local_cluster(local_workers or default_workers())
        client = Client(cluster)
    else:
        client = Client(scheduler_address)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        clear_parts(out_dir)
        if window is None:
            threads = sum(client.nthreads().values()) or 1
            window = 4 * threads
        batches = enumerate(_batches(paths, batch_files))
        manifests: dict[int, list[dict]] = {}
        inputs: dict = {}
        running = as_completed()
        run_id = uuid.uuid4().hex

        def submit(index: int, batch, attempt: int = 1) -> None:
            part = f"{index:05d}"
            fut = client.submit(process_batch, part, batch, str(out_dir), func,
                                key=f"indicators-batch-{part}-{attempt}-{run_id}", pure=False)
            inputs[fut.key] = (index, batch, attempt)
            running.add(fut)

        def submit_next() -> bool:
            item = next(batches, None)
            if item is not None:
                submit(*item)
            return item is not None

        for _ in range(window):
            if not submit_next():
                break
        for fut in running:
            index, batch, attempt = inputs.pop(fut.key)
            if fut.status == "finished":
                manifests[index] = fut.result()
                fut.release()
                submit_next()
                continue
            exc = fut.exception() if fut.status == "error" else None
            # A failed task may have written its part file before its worker died: remove it,
            # so that a file the manifest calls failed never has rows in the table.
            (out_dir / f"{PART_PREFIX}{index:05d}.parquet").unlink(missing_ok=True)
            if exc is None and attempt < 2:
                submit(index, batch, attempt + 1)         # lost or cancelled, not failed: once more
            else:
                reason = (f"dask task failed: {type(exc).__name__}: {exc}" if exc is not None
                          else f"dask task {fut.status}")
                manifests[index] = [{"path": given, "status": "error", "claims": 0, "encoding": "",
                                   "format": "", "bytes": 0, "reason": reason} for given, _ in batch]
            fut.release()
            submit_next()
        if not manifests:
            write_part([], out_dir, "00000")      # no input files: still a readable (empty) table
        entries = [entry for index in sorted(manifests) for entry in manifests[index]]
        parts = sorted(p.name for p in out_dir.glob(f"{PART_PREFIX}*.parquet")
                       if p.stem[len(PART_PREFIX):].isdigit()
                       and (int(p.stem[len(PART_PREFIX):]) in manifests or not manifests))
        write_folder_record(out_dir, parts, entries)
        return entries
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()

