"""run/cluster.py: a Dask cluster writes partitioned Parquet with the single-process rows."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from extract.run.cluster import run_dask
from extract.run.files import iter_input_files
from extract.tableio import read_table, write_table

from conftest import ROOT, SEEDS, sorted_frame


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
    pd.testing.assert_frame_equal(sorted_frame(read_table(out)), sorted_frame(expected))


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


def test_run_dask_resumes_from_the_batches_done(dask_cluster, corpus, reference, tmp_path):
    """`done` batches are not run again and keep their part files; a journaled batch whose part
    is gone, and a part file no journal vouches for, are redone: the table is the full one."""
    _, expected = reference
    out = tmp_path / "parts"
    first: dict[int, tuple[int, list[dict]]] = {}
    entries = run_dask([SEEDS, corpus], dask_cluster.scheduler_address, out, batch_files=4,
                       on_batch=lambda index, at, got: first.__setitem__(index, (at, got)))
    assert len(first) >= 5
    assert [e for i in sorted(first) for e in first[i][1]] == entries
    assert [at for i, (at, _) in sorted(first.items())] == [4 * i for i in sorted(first)]
    # an interrupted run that journaled batches 0, 1 and 2, and lost part 1 afterwards; part 3
    # written but never journaled (the run was killed in between), holding rows of other files
    done = {i: first[i][1] for i in (0, 1, 2)}
    (out / "part-00001.parquet").unlink()
    write_table(expected.head(3).assign(doc="foreign.txt"), out / "part-00003.parquet")
    kept = {i: (out / f"part-0000{i}.parquet").stat().st_mtime_ns for i in (0, 2)}
    again: list[int] = []
    resumed = run_dask([SEEDS, corpus], dask_cluster.scheduler_address, out, batch_files=4,
                       done=done, on_batch=lambda index, at, got: again.append(index))
    assert resumed == entries
    assert sorted(again) == [i for i in sorted(first) if i not in (0, 2)]
    assert {i: (out / f"part-0000{i}.parquet").stat().st_mtime_ns for i in (0, 2)} == kept
    table = read_table(out)
    assert "foreign.txt" not in set(table["doc"])
    pd.testing.assert_frame_equal(sorted_frame(table), sorted_frame(expected))

