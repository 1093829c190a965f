"""Reliability of a run (issue 14, failures 2, 3, 5, 8, 9, 10, 15 and progress): a dead pool worker,
a killed main process, an interrupted and resumed run, two writers, foreign files in a partitioned
output, output errors found before any input is read, and distinct exit codes.

Exit codes of `indicators extract` (README, "Exit codes"): 0 every file ok (or skipped); 1 some input
file failed; 2 a usage error (options, -o a folder, --manifest equal to -o, --resume that does not
fit); 3 the output cannot be written (a read-only folder, disk full); 4 another run is writing the
output; 5 the run could not finish (its worker pool kept dying); 128+N killed by signal N."""
from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

import pandas as pd
import pytest

import extract.run.cluster as cluster
import extract.run.pool as parallel
from extract.cli import main
from extract.run.manifest import read_manifest
from extract.run.files import FileResult, iter_input_files
from extract.tableio import read_table, write_table

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import make_corpus  # noqa: E402

CLI = [sys.executable, "-m", "extract.cli", "extract"]


# ---------------------------------------------------------------- helpers

def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            out.setdefault(ppid, []).append(int(entry))
    return out


def descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def wait_for(predicate, timeout: float, step: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = predicate()
        if got:
            return got
        time.sleep(step)
    return predicate()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """About 5 MB of the seed paragraphs in 16 KB files: long enough to be interrupted."""
    out = tmp_path_factory.mktemp("rcorpus")
    make_corpus(out, 5 * 1024 * 1024, file_kb=16, seed=11)
    return out


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> pd.DataFrame:
    """The table of an uninterrupted run over the corpus, in this process."""
    out = tmp_path_factory.mktemp("ref") / "ref.parquet"
    assert main(["extract", str(corpus), "-o", str(out), "--workers", "1"]) == 0
    table = read_table(out)
    assert len(table) > 1000
    return table


# ---------------------------------------------------------------- 2: a dead pool worker

def count_chars(path) -> FileResult:
    """A stand-in extractor for the pool tests: one row per file, after a short pause."""
    time.sleep(0.03)
    text = Path(path).read_text(encoding="utf-8")
    return FileResult(str(path), "ok", "", "utf-8", [{"doc": Path(path).name, "chars": len(text)}])


def _files(tmp_path: Path, n: int = 60) -> list[Path]:
    for i in range(n):
        (tmp_path / f"f{i:03d}.txt").write_text("建成12个" * (i + 1), encoding="utf-8")
    return sorted(tmp_path.glob("*.txt"))


class FailingSubmit(ProcessPoolExecutor):
    """A pool whose n-th submit raises BrokenProcessPool, as when a worker has just died."""
    calls = 0
    fail_at: set[int] = set()

    def submit(self, *args, **kwargs):
        type(self).calls += 1
        if type(self).calls in self.fail_at:
            raise BrokenProcessPool("A child process terminated abruptly (test)")
        return super().submit(*args, **kwargs)


@pytest.mark.parametrize("fail_at", [{1}, {3}, {5, 9}, {8, 9, 10}])
def test_broken_pool_at_submit_is_retried(tmp_path, monkeypatch, fail_at):
    files = _files(tmp_path)
    FailingSubmit.calls, FailingSubmit.fail_at = 0, fail_at
    monkeypatch.setattr(parallel, "make_executor",
                        lambda workers=None: FailingSubmit(workers or 2, mp_context=get_context("fork")))
    got = list(parallel.run_parallel(files, workers=2, chunk_files=3, func=count_chars))
    assert [r.path for r in got] == [str(p) for p in files]          # every file, once, in order
    assert all(r.ok for r in got), [(r.path, r.reason) for r in got if not r.ok]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_worker_killed_at_a_random_moment(tmp_path, monkeypatch, seed):
    """SIGKILL to a random worker at a random moment: every file comes back exactly once, ok."""
    files = _files(tmp_path, 80)
    pools: list[ProcessPoolExecutor] = []

    def executor(workers=None):
        pool = ProcessPoolExecutor(workers or 2, mp_context=get_context("fork"))
        pools.append(pool)
        return pool

    monkeypatch.setattr(parallel, "make_executor", executor)
    rng = random.Random(seed)
    killed = []

    def killer():
        # once the first pool has its workers (however slow the machine), a random moment later
        # (a copy of the pool's process dict: the pool adds to it while this thread looks)
        running = wait_for(lambda: pools and [p for p in dict(pools[0]._processes or {}).values() if p.is_alive()],
                           30, 0.01)
        time.sleep(rng.uniform(0.0, 0.3))
        for victim in rng.sample(running, len(running)) if running else []:
            try:
                os.kill(victim.pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
            killed.append(victim.pid)
            return

    thread = threading.Thread(target=killer)
    thread.start()
    sunk = []
    got = list(parallel.run_parallel(files, workers=2, chunk_files=2, func=count_chars, sink=sunk.extend))
    thread.join()
    assert killed, "no worker was running to be killed"
    assert [r.path for r in got] == [str(p) for p in files]
    assert all(r.ok for r in got), [(r.path, r.reason) for r in got if not r.ok]
    assert sorted(row["doc"] for row in sunk) == sorted(p.name for p in files)   # each row once


# ---------------------------------------------------------------- 3: the main process killed

TAG = f"INDICATORS_TEST_RUN={os.getpid()}"


def _start(corpus: Path, out: Path, *extra: str) -> subprocess.Popen:
    """The command in a child process whose environment carries TAG, so that every process it
    starts can be found (and killed) whoever its parent is by then."""
    env = dict(os.environ, INDICATORS_TEST_RUN=str(os.getpid()))
    return subprocess.Popen([*CLI, str(corpus), "-o", str(out), "--workers", "2", *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)


def tagged() -> list[int]:
    """Processes started by _start (and their children), alive or not reaped."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                env = Path(f"/proc/{entry}/environ").read_bytes()
            except OSError:
                continue
            if TAG.encode() in env.split(b"\0") and alive(int(entry)):
                out.append(int(entry))
    return out


def _wait_for_workers(proc: subprocess.Popen, timeout: float = 240) -> list[int]:
    procs = wait_for(lambda: proc.poll() is None and len(descendants(proc.pid)) >= 3 and descendants(proc.pid),
                     timeout, 0.1)
    assert proc.poll() is None and procs, "the run ended before its workers were seen"
    return procs


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_main_leaves_no_process_and_no_temp_file(corpus, tmp_path, sig):
    out = tmp_path / "out" / "t.csv"
    proc = _start(corpus, out)
    procs: list[int] = []
    try:
        procs = _wait_for_workers(proc)
        time.sleep(1.0)
        proc.send_signal(sig)
        code = proc.wait(timeout=30)
        time.sleep(5)
        left = tagged()
        assert left == [], f"left running after 5 s: {left}"
        if sig == signal.SIGTERM:
            assert code == 128 + signal.SIGTERM, proc.stderr.read().decode()[-2000:]
        assert temp_files(tmp_path) == []
        assert not out.exists()                     # no table passes for complete
    finally:
        _kill_all(proc, procs)


# A stand-in extractor for the Dask test: it says it has started, then holds the interpreter lock
# in native code (a regular expression that backtracks for ever), as a long match in C would.
HOLD_MODULE = """
import re
from pathlib import Path

def hold(path):
    Path(__file__).with_name("started").touch()
    re.match(r"(a+)+$", "a" * 48 + "b")
"""
# `indicators extract` with that stand-in as the Dask path's extractor.
HOLD_SCRIPT = """
import sys
import extract.run.cluster as cluster
from hold import hold

if __name__ == "__main__":
    real = cluster.run_dask
    cluster.run_dask = lambda *args, **kwargs: real(*args, **dict(kwargs, func=hold))
    from extract.cli import main
    sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_main_of_a_dask_run_leaves_no_worker(tmp_path, sig):
    """--scheduler local: a worker busy in native code (where Dask's own watch on its parent
    cannot run) dies with the main process too, and none of the run's processes is left."""
    pytest.importorskip("distributed")
    (tmp_path / "hold.py").write_text(HOLD_MODULE, encoding="utf-8")
    (tmp_path / "run.py").write_text(HOLD_SCRIPT, encoding="utf-8")
    out = tmp_path / "parts"
    env = dict(os.environ, INDICATORS_TEST_RUN=str(os.getpid()),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, str(tmp_path / "run.py"), "extract", str(SEEDS), "-o", str(out),
                             "--scheduler", "local", "--workers", "1"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, env=env)
    procs: list[int] = []
    try:
        started = wait_for(lambda: proc.poll() is not None or (tmp_path / "started").exists(), 240, 0.05)
        assert started and proc.poll() is None, "the run ended before a worker started its task"
        procs = descendants(proc.pid)
        workers = [p for p in procs if (tmp_path / "started").exists() and alive(p)
                   and "forkserver" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")]
        assert workers, "no worker process seen"
        proc.send_signal(sig)
        proc.wait(timeout=60)
        time.sleep(5)
        left = tagged()
        assert left == [], f"left running 5 s after the main process got {sig.name}: {left}"
        assert temp_files(tmp_path) == []
        with pytest.raises(ValueError, match="incomplete"):
            read_table(out)
    finally:
        _kill_all(proc, procs)


def _kill_all(proc: subprocess.Popen, procs: list[int]) -> None:
    """Leave nothing behind whatever the test found (today's code left orphans)."""
    for pid in set(procs) | set(descendants(proc.pid)) | set(tagged()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if proc.poll() is None:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------- 5, 8: interrupted, resumed, locked

@pytest.fixture(scope="module")
def interrupted(corpus, tmp_path_factory):
    """A run over the corpus on top of an earlier table, killed (SIGKILL) part-way, after a second
    run on the same output was tried while it ran."""
    folder = tmp_path_factory.mktemp("interrupted")
    out = folder / "t.parquet"
    write_table(read_table_of_seeds(), out)       # an older, complete table under the same name
    proc = _start(corpus, out)
    procs: list[int] = []
    try:
        procs = _wait_for_workers(proc)
        journal = Path(f"{out}.partial") / "manifest.jsonl"
        assert wait_for(lambda: journal.exists() and journal.read_text().count("\n") >= 1, 240, 0.05), \
            "no file was recorded done before the run ended"
        t = time.monotonic()
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["extract", str(SEEDS), "-o", str(out), "--workers", "1"])
        second = subprocess.CompletedProcess([], code, "", err.getvalue())
        assert proc.poll() is None, "the first run ended before the second was tried"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        time.sleep(5)
        left = tagged()
    finally:
        _kill_all(proc, procs)
    assert left == [], f"left running 5 s after the main process was killed: {left}"
    return out, second, time.monotonic() - t


def read_table_of_seeds() -> pd.DataFrame:
    from extract.run.files import run_files
    return pd.DataFrame([row for r in run_files([SEEDS]) for row in r.rows])


def test_a_second_writer_is_refused(interrupted):
    out, second, _ = interrupted
    assert second.returncode == 4, second.stderr
    assert "another run" in second.stderr and str(out) in second.stderr
    assert "Traceback" not in second.stderr


def test_an_interrupted_output_is_refused_by_readers(interrupted):
    out, _, _ = interrupted
    with pytest.raises(ValueError, match="incomplete"):
        read_table(out)


def test_resume_gives_the_rows_of_an_uninterrupted_run(interrupted, reference, corpus, capsys):
    out, _, _ = interrupted
    done_before = sum(1 for line in (Path(f"{out}.partial") / "manifest.jsonl").read_text().splitlines() if line)
    assert done_before >= 1
    state = sorted(p.name for p in Path(f"{out}.partial").iterdir())
    # --resume over other inputs is refused, and leaves the interrupted run's state as it was
    assert main(["extract", str(SEEDS), "-o", str(out), "--workers", "1", "--resume"]) == 2
    assert "other inputs" in capsys.readouterr().err
    assert sorted(p.name for p in Path(f"{out}.partial").iterdir()) == state
    assert main(["extract", str(corpus), "-o", str(out), "--workers", "1", "--resume"]) == 0
    assert f"resuming: {done_before}" in capsys.readouterr().err
    got = read_table(out)
    pd.testing.assert_frame_equal(got, reference)
    manifest = read_manifest(out.with_name("t.manifest.csv"))
    assert [r["path"] for r in manifest] == [str(p) for p in iter_input_files([corpus])]
    record = json.loads(Path(f"{out}.run.json").read_text())
    assert record["complete"] is True and record["rows"] == len(reference)
    assert record["files"] == len(manifest)
    assert not Path(f"{out}.partial").exists()


def test_resume_of_a_dask_run_gives_the_rows_of_an_uninterrupted_run(corpus, reference, tmp_path, capsys):
    """--scheduler local killed (SIGKILL) after some batches were journaled, then --resume: the
    batches done are kept, the rest is redone, the table equals an uninterrupted run's."""
    pytest.importorskip("distributed")
    out = tmp_path / "parts"
    proc = _start(corpus, out, "--scheduler", "local")
    journal = Path(f"{out}.partial") / "manifest.jsonl"
    try:
        assert wait_for(lambda: proc.poll() is not None or journal.exists() and journal.read_text().count("\n") >= 1,
                        240, 0.05) and proc.poll() is None, "the run ended before a batch was journaled"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        _kill_all(proc, [])
    with pytest.raises(ValueError, match="incomplete"):
        read_table(out)
    done = [json.loads(line) for line in journal.read_text().splitlines() if line.endswith("}")]
    total = len(list(iter_input_files([corpus])))
    assert 1 <= len(done) < total and {"part", "seq"} <= set(done[0])
    kept = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")
            if int(p.stem.split("-")[1]) in {r["part"] for r in done}}
    assert main(["extract", str(corpus), "-o", str(out), "--workers", "1", "--resume"]) == 2   # not the way it ran
    assert "Traceback" not in capsys.readouterr().err
    assert main(["extract", str(corpus), "-o", str(out), "--workers", "2", "--scheduler", "local", "--resume"]) == 0
    assert f"resuming: {len(done)} files" in capsys.readouterr().err
    assert {name: (out / name).stat().st_mtime_ns for name in kept} == kept     # not written again
    pd.testing.assert_frame_equal(read_table(out), reference)
    manifest = read_manifest(out.with_name("parts.manifest.csv"))
    assert [r["path"] for r in manifest] == [str(p) for p in iter_input_files([corpus])]
    record = json.loads((out / "_run.json").read_text())
    assert record["complete"] and record["resumed"] and record["rows"] == len(reference)
    assert sorted(record["parts"]) == sorted(p.name for p in out.glob("part-*.parquet"))
    assert not Path(f"{out}.partial").exists() and temp_files(tmp_path) == []


def test_resume_the_other_way_is_refused(tmp_path):
    """A run interrupted before its output existed, resumed with(out) --scheduler the other way."""
    from extract.run.state import Run, RunError

    out = tmp_path / "t.parquet"
    Run(out, tmp_path / "m.csv", [SEEDS]).open().abort()
    with pytest.raises(RunError, match="without --scheduler") as exc:
        Run(out, tmp_path / "m.csv", [SEEDS], resume=True, partitioned=True).open()
    assert exc.value.code == 2


def test_temporaries_of_a_run_killed_outright_are_removed_by_the_next(tmp_path, monkeypatch):
    """A run killed while it wrote its table left `.t.jsonl.PID.tmp`: the table's temporary is
    now in the state folder (OUT.partial/), and the next run removes such leftovers of dead
    processes beside the output, the manifest and the record."""
    import extract.run.state as state_module

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "t.jsonl"
    leftovers = [tmp_path / f".t.jsonl.{dead.pid}.tmp", tmp_path / f".t.manifest.csv.{dead.pid}.tmp",
                 tmp_path / f".t.jsonl.run.json.{dead.pid}.tmp"]
    for p in leftovers:
        p.write_text("half", encoding="utf-8")
    mine = tmp_path / f".t.jsonl.{os.getpid()}.tmp.keep"    # not a leftover's name: untouched
    mine.write_text("x", encoding="utf-8")
    seen = []
    real = state_module.TableWriter

    def spy(path, tmp_dir=None):
        writer = real(path, tmp_dir=tmp_dir)
        seen.append(writer.tmp.parent)
        return writer

    monkeypatch.setattr(state_module, "TableWriter", spy)
    assert main(["extract", str(SEEDS), "-o", str(out), "--workers", "1"]) == 0
    assert seen == [Path(f"{out}.partial")]
    assert [p for p in leftovers if p.exists()] == [] and mine.exists()
    assert len(read_table(out)) > 0


def test_resume_with_nothing_to_resume_is_refused(tmp_path, capsys):
    out = tmp_path / "t.jsonl"
    assert main(["extract", str(SEEDS), "-o", str(out), "--resume"]) == 2
    assert "nothing to resume" in capsys.readouterr().err and not out.exists()


def test_a_finished_run_writes_its_completion_record(tmp_path):
    out = tmp_path / "t.jsonl"
    assert main(["extract", str(SEEDS), "-o", str(out), "--workers", "1"]) == 0
    record = json.loads(Path(f"{out}.run.json").read_text())
    table = read_table(out)
    assert record["complete"] is True
    assert record["rows"] == len(table) > 0
    assert record["files"] == len(list(SEEDS.glob("*.txt"))) and record["failed"] == 0
    assert Path(record["manifest"]).name == "t.manifest.csv"
    assert not Path(f"{out}.partial").exists() and temp_files(tmp_path) == []


# ---------------------------------------------------------------- 9: foreign files in a partitioned output

def test_foreign_parquet_in_a_partitioned_output_is_not_read(tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "parts"
    assert main(["extract", str(SEEDS), "-o", str(out), "--scheduler", "local", "--workers", "1"]) == 0
    own = read_table(out)
    assert len(own) > 0
    foreign = own.head(4).assign(doc="foreign.txt")
    write_table(foreign, out / "part-00099.parquet")
    (out / "old").mkdir()
    write_table(foreign, out / "old" / "part-00000.parquet")
    again = read_table(out)
    assert len(again) == len(own) and "foreign.txt" not in set(again["doc"])
    record = json.loads((out / "_run.json").read_text())
    assert record["complete"] is True and "part-00099.parquet" not in record["parts"]


def test_partitioned_output_without_its_record_is_refused(tmp_path):
    out = tmp_path / "parts"
    out.mkdir()
    write_table(read_table_of_seeds(), out / "part-00000.parquet")
    with pytest.raises(ValueError, match="incomplete"):
        read_table(out)


# ---------------------------------------------------------------- 10, 15: output checked first, exit codes

@pytest.fixture
def no_inputs_read(monkeypatch):
    """Fails the test if the run gets as far as reading an input file."""
    def refuse(*args, **kwargs):
        raise AssertionError("an input was read before the output was checked")
    monkeypatch.setattr(parallel, "run_parallel", refuse)
    monkeypatch.setattr(cluster, "run_dask", refuse)


def test_output_that_is_a_folder_is_refused_first(tmp_path, capsys, no_inputs_read):
    (tmp_path / "t.csv").mkdir()
    assert main(["extract", str(SEEDS), "-o", str(tmp_path / "t.csv")]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and "Traceback" not in err


def test_manifest_equal_to_output_is_refused(tmp_path, capsys, no_inputs_read):
    out = tmp_path / "t.csv"
    out.write_text("keep me", encoding="utf-8")
    assert main(["extract", str(SEEDS), "-o", str(out), "--manifest", str(tmp_path / "." / "t.csv")]) == 2
    assert "--manifest" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"


def test_unwritable_output_folder(tmp_path, capsys, no_inputs_read):
    assert main(["extract", str(SEEDS), "-o", "/proc/indicators-test/t.csv"]) == 3
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


@pytest.fixture
def tiny_disk(tmp_path):
    """A 512 KB tmpfs (needs root); skipped where it cannot be mounted."""
    where = tmp_path / "disk"
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_disk_full(tiny_disk, corpus, capsys):
    out = tiny_disk / "t.jsonl"
    code = main(["extract", str(corpus), "-o", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 3, err
    assert "No space left on device" in err and "Traceback" not in err
    assert temp_files(tiny_disk) == []
    assert not out.exists() and not Path(f"{out}.run.json").exists()
    manifest = out.with_name("t.manifest.csv")
    assert not manifest.exists()        # no manifest calls files ok for a table that is not there


# ---------------------------------------------------------------- progress

class _TTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal(tmp_path, monkeypatch, capsys):
    assert main(["extract", str(SEEDS), "-o", str(tmp_path / "a.csv"), "--workers", "1"]) == 0
    quiet = capsys.readouterr().err
    assert quiet.count("\n") == 1 and "\r" not in quiet          # only the summary line
    tty = _TTY()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main(["extract", str(SEEDS), "-o", str(tmp_path / "b.csv"), "--workers", "1"]) == 0
    shown = tty.getvalue()
    n = len(list(SEEDS.glob("*.txt")))
    assert f"{n}/{n}" in shown and "claims" in shown
