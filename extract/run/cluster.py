"""Running the extractor on a Dask cluster: run.files.process_file mapped over batches of files.

Each batch is written by the worker as one Parquet part file in out_dir (part-00000.parquet,
...), and only the per-file manifest entries (path, status, claims, reason, ...) come back.
The workers read the input paths and write out_dir themselves, so on a multi-machine cluster
both must be on a filesystem the workers share.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..table import to_arrow
from ..tableio import atomic_write
from .files import FileResult, InputPath, iter_input_files, process_file
from .manifest import manifest_record
from .runtime import default_workers, extracting, must_fork, start_warm_forkserver

BATCH_FILES = 64               # files per Dask task, i.e. per Parquet part file
PART_PREFIX = "part-"
# Dask settings for the workers local_cluster starts. A worker samples its task thread's stack
# every 10 ms for the Dask dashboard's profile by default (benchmarks/README.md has the cost),
# for a view this cluster (no dashboard) never shows. For workers started by hand, the same is
# DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False in their environment.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}
LIFELINE_PRELOAD = "extract.run.lifeline"     # its dask_setup runs in each local worker


def write_part(rows: list[dict], out_dir: str | Path, part: str) -> Path:
    """rows as out_dir/part-<part>.parquet (part is 00000, 00001, ...), written to a temporary name first so a retried
    or killed task never leaves half a file under the final name (in the run's state folder
    out_dir.partial/ when there is one, else beside the part)."""
    import pyarrow.parquet as pq

    from .record import partial_dir

    final = Path(out_dir) / f"{PART_PREFIX}{part}.parquet"
    state = partial_dir(out_dir)          # a run's state folder: a worker killed mid-write leaves its temporary there
    with atomic_write(final, state if state.is_dir() else None) as tmp:
        pq.write_table(to_arrow(rows), tmp)
    return final


def process_batch(part: str, paths: list[tuple[str, str]], out_dir: str,
                  func: Callable[[str], FileResult] = process_file) -> list[dict]:
    """One Dask task: extract a batch of (path as given, absolute path) files, write their rows
    as the part file part-<part>.parquet, and return their manifest entries (paths as given)."""
    with extracting():
        results = [func(absolute) for _, absolute in paths]
        write_part([row for r in results for row in r.rows], out_dir, part)
    return [dict(manifest_record(r), path=given) for (given, _), r in zip(paths, results)]


def local_cluster(n_workers: int | None = None, **kwargs):
    """A distributed.LocalCluster on 127.0.0.1 of n_workers (default: all cores) single-threaded
    worker processes, no dashboard. Its worker processes are forked from the warm fork server
    (start_warm_forkserver), so they start with the extractor's data loaded and share it,
    instead of each spending many seconds and a lot of memory loading their own copy. They die
    with this process however it ends (run.lifeline.dask_setup, their preload)."""
    import dask
    from distributed import LocalCluster

    import os

    from .lifeline import MAIN_PID_ENV

    options = dict(n_workers=n_workers or default_workers(), threads_per_worker=1, processes=True,
                   host="127.0.0.1", dashboard_address=None)
    options.update(kwargs)
    # Every worker dies with this process, also when it is killed with SIGKILL (run.lifeline).
    options["preload"] = [*(options.get("preload") or []), LIFELINE_PRELOAD]
    options["env"] = {**(options.get("env") or {}), MAIN_PID_ENV: str(os.getpid())}
    config = dict(WORKER_CONFIG)
    if start_warm_forkserver():
        config["distributed.worker.multiprocessing-method"] = "forkserver"
    elif must_fork():
        config["distributed.worker.multiprocessing-method"] = "fork"    # as run.pool does
    with dask.config.set(config):
        return LocalCluster(**options)


def part_name(index: int) -> str:
    return f"{PART_PREFIX}{index:05d}.parquet"


def clear_parts(out_dir: str | Path, keep: set[int] = frozenset()) -> None:
    """Remove part files (and leftover temporaries) of an earlier run_dask in out_dir, but for
    the parts numbered in `keep` (those of batches a resumed run has done already), and its
    completion record (the folder is incomplete until this run writes its own)."""
    from .record import FOLDER_RECORD

    out = Path(out_dir)
    kept = {part_name(i) for i in keep}
    if out.is_dir():
        for p in out.iterdir():
            if p.is_file() and (p.name.startswith(PART_PREFIX) and p.suffix == ".parquet" and p.name not in kept
                                or p.name.startswith("." + PART_PREFIX) and p.name.endswith(".tmp")
                                or p.name == FOLDER_RECORD):
                p.unlink()


def write_folder_record(out_dir: Path, parts: list[str], entries: list[dict]) -> None:
    """out_dir/_run.json: the run finished, and these are its part files (readers read only these)."""
    import json

    from .record import FOLDER_RECORD
    from .state import write_atomic

    record = {"complete": True, "parts": parts, "rows": sum(int(e.get("claims", 0) or 0) for e in entries),
              "files": len(entries)}
    write_atomic(Path(out_dir) / FOLDER_RECORD, json.dumps(record, ensure_ascii=False, indent=1))


def _batches(paths, batch_files: int) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """(input position of the batch's first file, [(path as given, absolute path), ...])."""
    batch, first = [], 0
    for seq, path in enumerate(iter_input_files(paths)):
        if not batch:
            first = seq
        batch.append((str(path), InputPath.of(Path(path).resolve(), path.doc, path.key, path.supported)))
        if len(batch) >= batch_files:
            yield first, batch
            batch = []
    if batch:
        yield first, batch


def _still_done(entries: list[dict] | None, batch, out_dir: Path, index: int) -> bool:
    """Whether a batch an interrupted run journaled as done is this batch, with its part still
    there (a batch whose task failed has none: all its files are errors)."""
    if entries is None or [e.get("path") for e in entries] != [given for given, _ in batch]:
        return False
    return (out_dir / part_name(index)).exists() or all(e.get("status") == "error" for e in entries)


def run_dask(paths: Iterable[str | Path], scheduler_address, out_dir: str | Path, *,
             batch_files: int = BATCH_FILES, window: int | None = None,
             local_workers: int | None = None,
             func: Callable[[str], FileResult] = process_file,
             done: dict[int, list[dict]] | None = None,
             on_batch: Callable[[int, int, list[dict]], None] | None = None) -> list[dict]:
    """Extract every input file on the Dask cluster at scheduler_address into partitioned Parquet.

    out_dir receives one part-NNNNN.parquet per batch of `batch_files` input files, in input
    order (read it back with extract.tableio.read_table(out_dir) or pandas.read_parquet(out_dir));
    part files left there by an earlier run are removed first. `scheduler_address` is a
    scheduler address such as "tcp://10.0.0.5:8786", or "local" to start a LocalCluster of
    `local_workers` (default: all cores) worker processes on this machine for the run (see
    local_cluster); a distributed Client or LocalCluster object is accepted too. At most
    `window` batches (default 4 per worker thread) are in flight at a time. Returns one
    manifest entry per input file, in input order, with the columns of run.manifest
    (path, status, claims, encoding, format, bytes, reason): a file that cannot be read
    shows up there with its status instead of stopping the run. A batch whose task fails
    (after Dask's own retries, e.g. a file that kills its worker every time) shows up as
    status "error" for each of its files, with no rows in the table; the other batches
    go through. (The local process pool, run_parallel, narrows such a failure down to the
    one file at fault.)

    Resuming (run.state.Run does the journal): `on_batch(index, first, entries)` is called in
    this process for each batch as it finishes (its part file is written by then), with the
    input position of its first file; `done` maps the index of each batch an interrupted run
    finished to its entries: such a batch is not run again and its part file is kept (if it
    is the same batch of the same files), every other part file is removed and redone.
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
        done = done or {}
        out_dir.mkdir(parents=True, exist_ok=True)
        clear_parts(out_dir, keep=set(done))
        if window is None:
            threads = sum(client.nthreads().values()) or 1
            window = 4 * threads
        batches = enumerate(_batches(paths, batch_files))
        manifests: dict[int, list[dict]] = {}
        firsts: dict[int, int] = {}
        inputs: dict = {}
        running = as_completed()
        run_id = uuid.uuid4().hex

        def submit(index: int, batch, attempt: int = 1) -> None:
            part = f"{index:05d}"
            fut = client.submit(process_batch, part, batch, str(out_dir), func,
                                key=f"indicators-batch-{part}-{attempt}-{run_id}", pure=False)
            inputs[fut.key] = (index, batch, attempt)
            running.add(fut)

        def finished(index: int, entries: list[dict]) -> None:
            manifests[index] = entries
            if on_batch is not None:
                on_batch(index, firsts[index], entries)

        def submit_next() -> bool:
            """Submit the next batch not done by an interrupted run; False when there is none."""
            for index, (first, batch) in batches:
                firsts[index] = first
                if _still_done(done.get(index), batch, out_dir, index):
                    manifests[index] = done[index]
                    continue
                (out_dir / part_name(index)).unlink(missing_ok=True)   # journaled, but not this batch
                submit(index, batch)
                return True
            return False

        for _ in range(window):
            if not submit_next():
                break
        for fut in running:
            index, batch, attempt = inputs.pop(fut.key)
            if fut.status == "finished":
                finished(index, fut.result())
                fut.release()
                submit_next()
                continue
            exc = fut.exception() if fut.status == "error" else None
            # A failed task may have written its part file before its worker died: remove it,
            # so that a file the manifest calls failed never has rows in the table.
            (out_dir / part_name(index)).unlink(missing_ok=True)
            if exc is None and attempt < 2:
                submit(index, batch, attempt + 1)         # lost or cancelled, not failed: once more
            else:
                reason = (f"dask task failed: {type(exc).__name__}: {exc}" if exc is not None
                          else f"dask task {fut.status}")
                finished(index, [{"path": given, "status": "error", "claims": 0, "encoding": "",
                                  "format": "", "bytes": 0, "reason": reason} for given, _ in batch])
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

