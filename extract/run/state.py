"""One run of `indicators extract` writing one output: checked before any input is read, locked
against a second writer, journaled so that an interrupted run can be resumed, and finished
with a completion record. Readers (extract.tableio.read_table) refuse an output whose run did
not finish.

While a run writes OUT (a table file, or a folder of Parquet parts with --scheduler):

    OUT.partial/              the run's state; removed when the run finishes
      lock                    held (flock) by the running process: a second writer is refused
      state.json              the run's inputs and output, which --resume must match
      part-00000.jsonl ...    rows of consecutive files, each row with its file's input position
      manifest.jsonl          the manifest record of each file whose rows are all in parts

and when it finishes, in this order: OUT (written from the parts, under a temporary name
moved into place), the manifest (likewise), and the completion record OUT.run.json
(OUT/_run.json for a folder, which also lists the run's own part files).

A file counts as done only once its manifest record is in manifest.jsonl, which is written
after every part holding its rows. --resume drops the rows of files not done (a part written
while the run was killed), and continues with the files after the last one done, so no row
is lost or doubled; the table is then the one an uninterrupted run writes.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from ..table import typed
from ..tableio import TableWriter, table_format
from .record import FOLDER_RECORD, RECORD_SUFFIX, IncompleteOutput, check_complete, partial_dir, record_path  # noqa: F401
from .files import FileResult, OutputError
from .lifeline import pid_alive
from .manifest import ManifestWriter, manifest_format, manifest_record

# Exit codes of `indicators extract` (README, "Exit codes").
EXIT_OK = 0             # every input file was read (or skipped as unsupported)
EXIT_FILES_FAILED = 1   # some input files could not be read; the rest is in the table
EXIT_USAGE = 2          # bad options: -o a folder, --manifest equal to -o, --resume that does not fit
EXIT_OUTPUT = 3         # the output cannot be written: a read-only folder, disk full, an I/O error
EXIT_LOCKED = 4         # another run is writing the same output
EXIT_RUN_FAILED = 5     # the run could not go on (its worker processes kept dying)
# 128 + N: stopped by signal N (130 Ctrl-C, 143 SIGTERM); --resume continues the run.

#: A part is written once this many rows are waiting, or PART_SECONDS after the last one
#: when a file has finished since (so a killed run loses little work).
PART_ROWS = 20_000
PART_SECONDS = 2.0
SEQ = "_seq"            # the column of a part that says which input file a row is from
#: Parts are JSON Lines of the typed rows (table.typed): they read back exactly, and writing
#: them needs neither pyarrow nor pandas, whose imports would cost a one-file run more than
#: its extraction.
PART_SUFFIX = ".jsonl"


class RunError(Exception):
    """A run that cannot start or go on: `code` is the exit status, the message says why."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def _same(a: str | Path, b: str | Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _cannot_write(path, exc: OSError) -> RunError:
    return RunError(EXIT_OUTPUT, f"cannot write {path}: {exc.strerror or exc}")


def check_output(output: str | Path, manifest: str | Path, partitioned: bool = False) -> None:
    """Everything about the output that can be known before any input is read: formats, -o a
    folder (or not), --manifest distinct from -o, folders that can be made and written."""
    output, manifest = Path(output), Path(manifest)
    try:
        if not partitioned:
            table_format(output)
        manifest_format(manifest)
    except ValueError as exc:
        raise RunError(EXIT_USAGE, str(exc)) from exc
    if _same(output, manifest):
        raise RunError(EXIT_USAGE, f"--manifest {manifest} is the output table: give it another name")
    if not partitioned and output.is_dir():
        raise RunError(EXIT_USAGE, f"-o {output} is a folder: give a table file (.csv, .parquet, .jsonl), "
                                   "or use --scheduler to write a folder of Parquet parts")
    if partitioned and output.exists() and not output.is_dir():
        raise RunError(EXIT_USAGE, f"-o {output} is a file: with --scheduler, -o names a folder of parts")
    if manifest.is_dir():
        raise RunError(EXIT_USAGE, f"--manifest {manifest} is a folder: give a .csv or .jsonl file name")
    for folder in {output.parent, manifest.parent}:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            raise _cannot_write(folder, exc) from exc


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_part_file(path: Path, rows: list[dict]) -> None:
    """A part, written under a temporary name and moved into place: whole or absent."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read_part(path: Path) -> list[dict] | None:
    """The rows of a part, or None for one that cannot be read whole."""
    try:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh]
    except (OSError, ValueError):
        return None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Run:
    """The state of one run writing `output` (see the module docstring).

    run = Run(output, manifest, inputs, resume); run.open(); todo = run.todo(files);
    for each file in todo, in order: run.add_rows(rows) for its rows, then run.file_done(result);
    run.finish() (or run.abort() when stopped)."""

    def __init__(self, output, manifest, inputs, resume: bool = False, partitioned: bool = False):
        self.output, self.manifest = Path(output), Path(manifest)
        self.inputs = [os.path.abspath(p) for p in inputs]
        self.resume, self.partitioned = resume, partitioned
        self.dir = partial_dir(self.output)
        self.journal = self.dir / "manifest.jsonl"
        self.done: dict[int, dict] = {}        # seq -> manifest record, of the files done before
        self.batch_of: dict[int, int] = {}     # seq -> batch index (part file), on the Dask path
        self.resumed = False
        self.started = _now()
        self._lock = None
        self._rows: list[dict] = []
        self._row_seqs: list[int] = []
        self._records: list[dict] = []         # files finished, waiting for their part
        self._queue: list[int] = []            # seqs of the files still to come, in order
        self._next = 0
        self._parts = 0
        self._last = time.monotonic()
        self._journal_fh = None

    # ------------------------------------------------------------ start

    def open(self) -> "Run":
        created = not self.dir.exists()
        try:
            self.dir.mkdir(exist_ok=True)
            self._lock = open(self.dir / "lock", "a+", encoding="utf-8")
        except OSError as exc:
            raise _cannot_write(self.dir, exc) from exc
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise _cannot_write(self.dir, exc) from exc
            self._lock.seek(0)
            holder = self._lock.read().strip() or "?"
            self._lock.close()
            self._lock = None
            raise RunError(EXIT_LOCKED, f"another run (pid {holder}) is writing {self.output}: "
                                        "wait for it to finish, or stop it first") from exc
        try:
            self._start(created)
        except BaseException:
            self._release()
            raise
        return self

    def _start(self, created: bool) -> None:
        state_file = self.dir / "state.json"
        state = {"output": os.path.abspath(self.output), "manifest": os.path.abspath(self.manifest),
                 "inputs": self.inputs, "partitioned": self.partitioned}
        if self.resume:
            if not state_file.exists():
                if created:
                    shutil.rmtree(self.dir, ignore_errors=True)
                raise RunError(EXIT_USAGE, f"--resume: nothing to resume for {self.output} "
                                           "(no interrupted run of it)")
            old = json.loads(state_file.read_text(encoding="utf-8"))
            if old.get("inputs") != self.inputs or old.get("output") != state["output"]:
                raise RunError(EXIT_USAGE, f"--resume: the interrupted run of {self.output} read other "
                                           f"inputs ({' '.join(old.get('inputs', []))}); run without "
                                           "--resume to start over")
            if bool(old.get("partitioned")) != self.partitioned:
                how = "with --scheduler" if old.get("partitioned") else "without --scheduler"
                raise RunError(EXIT_USAGE, f"--resume: the interrupted run of {self.output} ran {how}; "
                                           "resume it the same way, or run without --resume to start over")
            self._load()
            self.resumed = True
            self.started = old.get("started", self.started)
        else:
            for entry in self.dir.iterdir():
                if entry.name != "lock":
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            try:
                record_path(self.output).unlink(missing_ok=True)   # the old table is vouched for no more
            except OSError:
                pass
            state["started"] = self.started
            write_atomic(state_file, json.dumps(state, ensure_ascii=False, indent=1))
        self._clean_temporaries()
        self._lock.seek(0)
        self._lock.truncate()
        self._lock.write(str(os.getpid()))
        self._lock.flush()
        self._journal_fh = open(self.journal, "a", encoding="utf-8")

    def _clean_temporaries(self) -> None:
        """Remove the temporaries an earlier run killed outright left beside the output, the
        manifest and the completion record (`.NAME.PID.tmp` of a process no longer alive; this
        run holds the lock, so no other run is writing them)."""
        for target in (self.output, self.manifest, record_path(self.output)):
            for tmp in target.parent.glob(f".{target.name}.*.tmp"):
                pid = tmp.name[len(target.name) + 2:-len(".tmp")]
                if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
                    tmp.unlink(missing_ok=True)

    def _load(self) -> None:
        """The files done by the interrupted run, and its parts without the rows of any other."""
        if self.journal.exists():
            with open(self.journal, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError:      # a line cut off by the kill: not done
                        break
                    seq = int(rec.pop("seq"))
                    if "part" in rec:                 # a Dask run's: the batch (part file) of the file
                        self.batch_of[seq] = int(rec.pop("part"))
                    self.done[seq] = rec
            # rewrite without a cut-off last line
            write_atomic(self.journal, "".join(json.dumps(self._journaled(seq, rec), ensure_ascii=False) + "\n"
                                                for seq, rec in sorted(self.done.items())))
        for part in self._part_files():
            rows = _read_part(part)
            if rows is None:                          # cut off while it was written
                part.unlink()
                continue
            keep = [row for row in rows if row[SEQ] in self.done]
            if not keep:
                part.unlink()
            elif len(keep) < len(rows):
                _write_part_file(part, keep)
        self._parts = 1 + max((int(p.stem.split("-")[1]) for p in self._part_files()), default=-1)

    def _part_files(self) -> list[Path]:
        return sorted(self.dir.glob(f"part-*{PART_SUFFIX}"))

    def todo(self, files: list) -> list:
        """The input files (in order) still to do; each gets its input position as `seq`."""
        left = []
        for seq, path in enumerate(files):
            if seq not in self.done:
                left.append(path)
                self._queue.append(seq)
        self._all = len(files)
        return left

    # ------------------------------------------------------------ rows and files

    def add_rows(self, rows: list[dict]) -> None:
        """Rows of the file now being done (the next in todo's order); a sink for run_parallel."""
        seq = self._queue[self._next]
        self._rows.extend(rows)
        self._row_seqs.extend([seq] * len(rows))
        if len(self._rows) >= PART_ROWS:
            self._write_part()

    def file_done(self, result: FileResult | dict) -> dict:
        """The file's result (after all its rows): its manifest record, journaled soon."""
        record = dict(result) if isinstance(result, dict) else manifest_record(result)
        record["seq"] = self._queue[self._next]
        self._next += 1
        self._records.append(record)
        if len(self._rows) >= PART_ROWS or time.monotonic() - self._last >= PART_SECONDS:
            self.commit()
        return record

    def _journaled(self, seq: int, record: dict) -> dict:
        out = dict(record, seq=seq)
        if seq in self.batch_of:
            out["part"] = self.batch_of[seq]
        return out

    # ------------------------------------------------------------ the Dask path (run.cluster)

    def batch_done(self, index: int, first: int, entries: list[dict]) -> None:
        """A batch of run_dask finished (its part file written): journal its files' records
        (input positions first, first + 1, ...) at once (its on_batch)."""
        for seq, entry in enumerate(entries, start=first):
            self.done[seq] = {k: v for k, v in entry.items() if k not in ("seq", "part")}
            self.batch_of[seq] = index
        try:
            self._journal_fh.write("".join(json.dumps(self._journaled(seq, self.done[seq]), ensure_ascii=False)
                                           + "\n" for seq in range(first, first + len(entries))))
            self._journal_fh.flush()
        except OSError as exc:
            raise OutputError(self.journal, exc) from exc

    def done_batches(self) -> dict[int, list[dict]]:
        """Batch index -> the records of its files, in input order, of the batches an
        interrupted Dask run journaled (run_dask's `done`)."""
        out: dict[int, list[dict]] = {}
        for seq in sorted(self.batch_of):
            if seq in self.done:
                out.setdefault(self.batch_of[seq], []).append(self.done[seq])
        return out

    def _write_part(self) -> None:
        if not self._rows:
            return
        path = self.dir / f"part-{self._parts:05d}{PART_SUFFIX}"
        try:
            _write_part_file(path, [dict(typed(row), **{SEQ: seq}) for row, seq in zip(self._rows, self._row_seqs)])
        except OSError as exc:
            raise OutputError(path, exc) from exc
        self._parts += 1
        self._rows, self._row_seqs = [], []

    def commit(self) -> None:
        """Write the rows waiting as a part, then journal the files finished (in this order)."""
        self._write_part()
        if self._records:
            try:
                self._journal_fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self._records))
                self._journal_fh.flush()
            except OSError as exc:
                raise OutputError(self.journal, exc) from exc
            for r in self._records:
                self.done[r["seq"]] = {k: v for k, v in r.items() if k != "seq"}
            self._records = []
        self._last = time.monotonic()

    # ------------------------------------------------------------ end

    def finish(self, parts: list[str] | None = None) -> dict:
        """Write the table (from the parts), the manifest and the completion record; remove the
        state. With --scheduler, `parts` are the part files run_dask wrote (no table to make)."""
        self.commit()
        records = [self.done[s] for s in sorted(self.done)]
        rows = 0
        if not self.partitioned:
            rows = self._write_table()
        else:
            rows = sum(int(r.get("claims", 0) or 0) for r in records)
        self._write_manifest(records)
        failed = sum(r["status"] not in ("ok", "skipped") for r in records)
        skipped = sum(r["status"] == "skipped" for r in records)
        record = {"complete": True, "output": str(self.output), "manifest": str(self.manifest),
                  "rows": rows, "files": len(records), "ok": len(records) - failed - skipped,
                  "failed": failed, "skipped": skipped, "started": self.started, "finished": _now(),
                  "resumed": self.resumed}
        if self.partitioned:
            record["parts"] = parts or []
        try:
            write_atomic(record_path(self.output), json.dumps(record, ensure_ascii=False, indent=1))
        except OSError as exc:
            raise OutputError(record_path(self.output), exc) from exc
        (self.dir / "state.json").unlink(missing_ok=True)   # first: without it the output is complete
        self._release()
        shutil.rmtree(self.dir, ignore_errors=True)
        return record

    def _write_table(self) -> int:
        last = -1
        try:
            with TableWriter(self.output, tmp_dir=self.dir) as out:   # a killed run's temporary stays in its state
                for part in self._part_files():
                    rows = _read_part(part)
                    if rows is None:
                        raise RuntimeError(f"{part}: cut off")      # cannot happen: parts are written whole
                    seqs = [row.pop(SEQ) for row in rows]
                    if seqs and seqs[0] < last:
                        raise RuntimeError(f"{part}: rows out of input order")   # cannot happen: files are done in order
                    last = seqs[-1] if seqs else last
                    out.write(rows)
        except OSError as exc:
            raise OutputError(self.output, exc) from exc
        return out.rows

    def _write_manifest(self, records: list[dict]) -> None:
        tmp = self.manifest.with_name(f".{self.manifest.name}.{os.getpid()}.tmp")
        try:
            with ManifestWriter(tmp, fmt=manifest_format(self.manifest)) as log:
                for rec in records:
                    log.write(rec)
            os.replace(tmp, self.manifest)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError(self.manifest, exc) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def abort(self, keep_work: bool = True) -> None:
        """The run stops unfinished: journal what is finished (unless the output is failing),
        release the lock, leave the state for --resume."""
        if keep_work:
            try:
                self.commit()
            except Exception:             # noqa: BLE001 - stopping anyway; --resume redoes the rest
                pass
        self._release()

    def _release(self) -> None:
        for fh in (self._journal_fh, self._lock):
            if fh is not None:
                try:
                    fh.close()
                except OSError:
                    pass
        self._journal_fh = self._lock = None

    @property
    def done_count(self) -> int:
        return len(self.done)


def log(message: str) -> None:
    print(f"indicators: {message}", file=sys.stderr)
