"""Uploads processed off the page: one extraction process per server, jobs kept by file hash.

Loading the part-of-speech tagger holds the interpreter lock for seconds at a time, so
loading it in a thread of the server would freeze every session while it loads; it loads
instead in one child process (spawned, so it does not inherit the server's threads), started
behind a lock when the server starts (server_lifespan; else the first time the app runs) and
kept for the server's life. Every session's
uploads go to that process in turn: two first uploads at once load the tagger once.

A job is keyed by the file's name and a hash of its bytes, and its result stays here, in the
server, until the session that asked for it takes it (dashboard.upload_view.collect): a rerun,
a tab click or a language switch while it runs loses nothing. If the process dies, its jobs
end with that reason and the next upload starts a new one.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from dashboard.uploads import MAX_UPLOAD_BYTES, UploadResult, process_upload

log = logging.getLogger("indicators.uploads")

KEEP_JOBS = 32           # finished jobs kept for sessions to collect (the oldest go first; a session
                        # that comes too late is told to upload again)


def _child_init() -> None:
    """In the extraction process: die with the server (Linux), then load the extractor."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    from extract.run.runtime import warm_up
    warm_up()


def _loaded() -> tuple[int, float]:
    return os.getpid(), time.time()


class Extractor:
    """The server's extraction process, started once (start() is idempotent and thread-safe)."""

    def __init__(self, init=_child_init):
        self._init = init
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._ready: Future | None = None
        self.started_at: float | None = None
        self.loaded_at: float | None = None
        self.starts = 0

    def start(self) -> None:
        with self._lock:
            self._start_locked()

    def _start_locked(self) -> None:
        if self._pool is not None:
            return
        import multiprocessing
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=self._init)
        self.started_at, self.loaded_at = time.time(), None
        self.starts += 1
        self._ready = self._pool.submit(_loaded)
        self._ready.add_done_callback(self._on_ready)

    def _on_ready(self, fut: Future) -> None:
        if fut.exception() is None:
            self.loaded_at = fut.result()[1]
            log.warning("extractor loaded in %.1f s (pid %d, process start %d, at %.3f)",
                        self.loaded_at - self.started_at, fut.result()[0], self.starts, self.loaded_at)

    def ready(self) -> bool:
        return self._ready is not None and self._ready.done() and self._ready.exception() is None

    def submit(self, fn, *args) -> Future:
        with self._lock:
            self._start_locked()
            try:
                return self._pool.submit(fn, *args)
            except (BrokenProcessPool, RuntimeError):   # the process died: start a new one
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                self._start_locked()
                return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


@dataclass
class Job:
    key: str
    name: str
    size: int
    future: Future
    submitted: float = field(default_factory=time.time)

    @property
    def done(self) -> bool:
        return self.future.done()

    def result(self) -> UploadResult:
        """The file's result; a dead extraction process gives an error result, never an exception."""
        try:
            return self.future.result()
        except BrokenProcessPool:
            return UploadResult(self.name, "error", self.size,
                                error="the extraction process stopped while reading this file; upload it again")
        except Exception as exc:  # noqa: BLE001
            return UploadResult(self.name, "error", self.size, error=f"{type(exc).__name__}: {exc}")


def job_key(name: str, data: bytes) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass") + b"\0" + data).hexdigest()


class Jobs:
    """Upload jobs of every session on this server, by key; bounded (KEEP_JOBS finished)."""

    def __init__(self, extractor: Extractor | None = None, process=process_upload):
        self.extractor = extractor or Extractor()
        self.process = process
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def submit(self, name: str, data: bytes, limit: int = MAX_UPLOAD_BYTES) -> Job:
        key = job_key(name, data)
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not (job.done and job.result().status == "error"):
                self._jobs.move_to_end(key)
                return job
        job = Job(key, name, len(data), self.extractor.submit(self.process, name, data, limit))
        with self._lock:
            self._jobs[key] = job
            done = [k for k, j in self._jobs.items() if j.done]
            for k in done[: max(0, len(self._jobs) - KEEP_JOBS)]:
                del self._jobs[k]
        return job

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)


_JOBS: Jobs | None = None
_JOBS_LOCK = threading.Lock()


def jobs() -> Jobs:
    """The server's job registry (one per process)."""
    global _JOBS
    with _JOBS_LOCK:
        if _JOBS is None:
            _JOBS = Jobs()
        return _JOBS


@asynccontextmanager
async def server_lifespan(_app):
    """The Streamlit server's start and stop (dashboard/app.py's st.App): the extraction process
    starts loading the tagger in the background when the server starts, so a first upload does
    not wait for it; it is stopped with the server."""
    jobs().extractor.start()
    yield
    jobs().extractor.shutdown()
