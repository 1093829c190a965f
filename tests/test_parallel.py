"""Parallel extraction (process pool and Dask) gives exactly the single-process rows, and loses no file."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract.cli import main
from extract.run.manifest import read_manifest
from extract.run.cluster import run_dask
from extract.run.pool import iter_chunks, make_executor, run_parallel
from extract.run.runtime import start_warm_forkserver
from extract.run.files import iter_input_files, process_file, run_files
from extract.table import to_frame
from extract.tableio import read_table

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import make_corpus  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
CRASH_NAME = "c0000003.txt"


def _frame(results) -> pd.DataFrame:
    rows = [row for r in results if r.ok for row in r.rows]
    return to_frame(rows)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["doc", "start", "end", "claim_id"], kind="stable").reset_index(drop=True)


def _check_manifest(path: Path, inputs, claims: int) -> None:
    """The run manifest lists every input file in order, the two bad ones failed, claims add up."""
    records = read_manifest(path)
    assert [r["path"] for r in records] == [str(p) for p in iter_input_files(inputs)]
    assert sorted(Path(r["path"]).name for r in records if r["status"] != "ok") == [
        "c0000002a_empty.txt", "c0000010a_image.txt"]
    assert sum(r["claims"] for r in records) == claims


def crash_on_one_file(path):
    """process_file, except that the worker process dies outright on one file (a native crash)."""
    if Path(path).name == CRASH_NAME:
        os._exit(70)
    return process_file(path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A small corpus recombined from the seed pages: 24 files of about 8 KB."""
    out = tmp_path_factory.mktemp("corpus")
    info = make_corpus(out, 24 * 8 * 1024, file_kb=8, seed=7)
    assert info["files"] >= 20
    return out


@pytest.fixture(scope="module")
def with_bad(tmp_path_factory, corpus) -> Path:
    """The corpus plus files that cannot be read: an empty one and a PNG image."""
    out = tmp_path_factory.mktemp("with_bad")
    for path in iter_input_files([corpus]):
        target = out / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (out / "d0000" / "c0000002a_empty.txt").write_bytes(b"")
    (out / "d0000" / "c0000010a_image.txt").write_bytes(PNG)
    return out


@pytest.fixture(scope="module")
def reference(corpus):
    """The single-process results (runner.run_files) over seeds/ and the corpus."""
    start_warm_forkserver()    # loads the extractor for the pool tests meanwhile, on another core
    results = list(run_files([SEEDS, corpus]))
    assert all(r.ok for r in results), [(r.path, r.status, r.reason) for r in results if not r.ok]
    frame = _frame(results)
    # Guard against a vacuous comparison: the real extractor finds claims in the seed pages.
    assert len(frame) > 0, "the extractor returned no rows, so nothing real would be compared"
    assert frame["doc"].str.startswith("c").any() and not frame["doc"].str.startswith("c").all()
    return results, frame


@pytest.fixture(scope="module")
def dask_cluster():
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    # Worker processes forked from the warm fork server start with the extractor loaded,
    # which keeps this test from spending most of its time loading it twice more.
    method = "forkserver" if start_warm_forkserver() else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                           host="127.0.0.1", dashboard_address=None)
    try:
        yield cluster
    finally:
        cluster.close()


def test_chunks_keep_every_file_in_order(corpus):
    files = list(iter_input_files([SEEDS, corpus]))
    chunks = list(iter_chunks(files, chunk_bytes=20_000))
    assert len(chunks) > 3
    assert [p for chunk in chunks for p in chunk] == [str(p) for p in files]


def test_process_pool_gives_the_single_process_rows(corpus, reference):
    results, expected = reference
    with make_executor(2) as pool:     # an explicit pool, so the rows really come from workers
        got = list(run_parallel([SEEDS, corpus], executor=pool, chunk_bytes=16 * 1024))
    assert [r.path for r in got] == [r.path for r in results]
    assert all(r.ok for r in got)
    frame = _frame(got)
    pd.testing.assert_frame_equal(frame, expected)          # same rows, in the same order
    pd.testing.assert_frame_equal(_sorted(frame), _sorted(expected))


def test_bad_files_are_reported_and_the_rest_goes_through(with_bad, reference):
    _, expected = reference
    got = list(run_parallel([SEEDS, with_bad], workers=2, chunk_bytes=16 * 1024))
    bad = {Path(r.path).name: r.status for r in got if not r.ok}
    assert bad == {"c0000002a_empty.txt": "empty", "c0000010a_image.txt": bad.get("c0000010a_image.txt")}
    assert bad["c0000010a_image.txt"] in ("binary", "undecodable")
    assert len(got) == len(list(iter_input_files([SEEDS, with_bad])))
    pd.testing.assert_frame_equal(_frame(got), expected)


def test_cli_workers_writes_the_single_process_table(with_bad, reference, tmp_path, capsys):
    _, expected = reference
    out = tmp_path / "table.parquet"
    code = main(["extract", str(SEEDS), str(with_bad), "--workers", "2", "-o", str(out)])
    assert code == 1                                       # some files failed ...
    err = capsys.readouterr().err
    assert "c0000002a_empty.txt: empty" in err and "c0000010a_image.txt" in err
    pd.testing.assert_frame_equal(_sorted(read_table(out)), _sorted(expected))   # ... the rest is there
    _check_manifest(tmp_path / "table.manifest.csv", [SEEDS, with_bad], len(expected))


def test_a_file_that_kills_its_worker_is_reported_not_fatal(corpus, reference):
    results, expected = reference
    got = list(run_parallel([SEEDS, corpus], workers=2, chunk_bytes=16 * 1024, func=crash_on_one_file))
    assert [r.path for r in got] == [r.path for r in results]
    failed = [r for r in got if not r.ok]
    assert [Path(r.path).name for r in failed] == [CRASH_NAME]
    assert failed[0].status == "error" and "worker process died" in failed[0].reason
    pd.testing.assert_frame_equal(_frame(got), to_frame(
        [row for row in expected.to_dict("records") if row["doc"] != CRASH_NAME]))


def test_run_dask_writes_partitioned_parquet_with_the_single_process_rows(
        dask_cluster, with_bad, reference, tmp_path):
    _, expected = reference
    out = tmp_path / "parts"
    entries = run_dask([SEEDS, with_bad], dask_cluster.scheduler_address, out, batch_files=8)
    inputs = [str(p) for p in iter_input_files([SEEDS, with_bad])]
    assert [e["path"] for e in entries] == inputs           # every file, in input order
    assert {Path(e["path"]).name for e in entries if e["status"] != "ok"} == {
        "c0000002a_empty.txt", "c0000010a_image.txt"}
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) == -(-len(inputs) // 8) and len(parts) > 2
    assert sum(e["claims"] for e in entries) == len(expected)
    pd.testing.assert_frame_equal(_sorted(read_table(out)), _sorted(expected))


def test_cli_scheduler_writes_the_single_process_rows(dask_cluster, with_bad, reference, tmp_path, capsys):
    _, expected = reference
    out = tmp_path / "table"
    (out).mkdir()
    (out / "part-00099.parquet").write_bytes(b"stale part from an earlier run")
    code = main(["extract", str(SEEDS), str(with_bad), "--scheduler", dask_cluster.scheduler_address,
                 "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "c0000002a_empty.txt: empty" in err and f"{len(expected)} claims" in err
    assert not (out / "part-00099.parquet").exists()
    frame = pd.read_parquet(out)
    pd.testing.assert_frame_equal(_sorted(to_frame(frame.to_dict("records"))), _sorted(expected))
    _check_manifest(tmp_path / "table.manifest.csv", [SEEDS, with_bad], len(expected))


STDIN_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from distributed import Client
from extract.run.cluster import local_cluster, run_dask
with local_cluster(1) as cluster, Client(cluster) as client:
    entries = run_dask([{seeds!r}], client, {out!r})
    profiling = client.run(lambda: __import__("dask").config.get("distributed.worker.profile.enabled"))
print(json.dumps({{"claims": sum(e["claims"] for e in entries), "profiling": sorted(set(profiling.values()))}}))
"""


def test_local_cluster_runs_from_a_script_on_stdin_without_the_stack_profiler(reference, tmp_path):
    """`python -` cannot be re-imported by forkserver or spawn workers: local_cluster forks them
    instead, as run_parallel does. Its workers run without Dask's 10 ms stack sampling."""
    import json
    import subprocess

    pytest.importorskip("distributed")
    _, expected = reference
    seeds_rows = int(expected["doc"].isin([p.name for p in SEEDS.glob("*.txt")]).sum())
    script = STDIN_SCRIPT.format(root=str(ROOT), seeds=str(SEEDS), out=str(tmp_path / "parts"))
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"claims": seeds_rows, "profiling": [False]}
    assert len(read_table(tmp_path / "parts")) == seeds_rows > 0
