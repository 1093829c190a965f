"""run/pool.py: the process pool gives the single-process rows, and survives bad files and dead workers."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from extract.run.files import iter_input_files, process_file
from extract.run.pool import iter_chunks, make_executor, run_parallel
from extract.table import to_frame

from conftest import SEEDS, rows_frame, sorted_frame


CRASH_NAME = "c0000003.txt"


def crash_on_one_file(path):
    """process_file, except that the worker process dies outright on one file (a native crash)."""
    if Path(path).name == CRASH_NAME:
        os._exit(70)
    return process_file(path)


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
    frame = rows_frame(got)
    pd.testing.assert_frame_equal(frame, expected)          # same rows, in the same order
    pd.testing.assert_frame_equal(sorted_frame(frame), sorted_frame(expected))


def test_bad_files_are_reported_and_the_rest_goes_through(with_bad, reference):
    _, expected = reference
    got = list(run_parallel([SEEDS, with_bad], workers=2, chunk_bytes=16 * 1024))
    bad = {Path(r.path).name: r.status for r in got if not r.ok}
    assert bad == {"c0000002a_empty.txt": "empty", "c0000010a_image.txt": bad.get("c0000010a_image.txt")}
    assert bad["c0000010a_image.txt"] in ("binary", "undecodable")
    assert len(got) == len(list(iter_input_files([SEEDS, with_bad])))
    pd.testing.assert_frame_equal(rows_frame(got), expected)


def test_a_file_that_kills_its_worker_is_reported_not_fatal(corpus, reference):
    results, expected = reference
    got = list(run_parallel([SEEDS, corpus], workers=2, chunk_bytes=16 * 1024, func=crash_on_one_file))
    assert [r.path for r in got] == [r.path for r in results]
    failed = [r for r in got if not r.ok]
    assert [Path(r.path).name for r in failed] == [CRASH_NAME]
    assert failed[0].status == "error" and "worker process died" in failed[0].reason
    pd.testing.assert_frame_equal(rows_frame(got), to_frame(
        [row for row in expected.to_dict("records") if row["doc"] != CRASH_NAME]))
