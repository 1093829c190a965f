"""run/cluster.py: a Dask cluster writes partitioned Parquet with the single-process rows."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from extract.run.cluster import run_dask
from extract.run.files import iter_input_files
from extract.tableio import read_table

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
