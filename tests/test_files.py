"""run/files.py: process_file over files and folders, big files piece by piece, none lost."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import extract.pipeline as pipeline
import extract.run.files as runner
from extract.reading import read_document
from extract.run.files import process_file
from extract.table import COLUMNS

from conftest import BAD, OK_FILES, ROOT


# ---------------------------------------------------------------- the runner, piece by piece

NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def fake_extract_text(text: str, doc: str = "text", offset: int = 0, meta: dict | None = None) -> list[dict]:
    """A stand-in extractor (every digit run is a claim): tests offsets, not extraction."""
    rows = []
    for m in NUMBER.finditer(text):
        row = dict.fromkeys(COLUMNS, "")
        row.update(doc=doc, start=m.start() + offset, end=m.end() + offset, number_text=m.group(),
                   value=0.0, article_index=0, sentence_start=m.start() + offset,
                   sentence_end=m.end() + offset)
        rows.append(row)
    return rows


@pytest.fixture
def fake_extractor(monkeypatch):
    monkeypatch.setattr(runner, "extract_text", fake_extract_text)
    monkeypatch.setattr(pipeline, "extract_text", fake_extract_text)


@pytest.mark.parametrize("name", OK_FILES)
def test_streamed_rows_have_global_offsets(fake_extractor, name):
    """A file processed in pieces gives the rows of the whole file, offsets into the whole text."""
    text = read_document(BAD / name).text
    whole = process_file(BAD / name)
    pieces = process_file(BAD / name, stream_bytes=0, chunk_chars=40)
    assert whole.ok and pieces.ok and whole.claims > 0
    assert [(r["start"], r["end"]) for r in pieces.rows] == [(r["start"], r["end"]) for r in whole.rows]
    assert (pieces.encoding, pieces.format, pieces.claims) == (whole.encoding, whole.format, whole.claims)
    for row in pieces.rows:
        assert text[row["start"]:row["end"]] == row["number_text"]


def test_streamed_file_with_the_real_extractor():
    """The real extract_text on pieces: the same claims at the same global offsets as on the whole."""
    text = read_document(BAD / "large.txt").text
    whole = process_file(BAD / "large.txt")
    pieces = process_file(BAD / "large.txt", stream_bytes=0, chunk_chars=3000)
    assert whole.ok and pieces.ok and whole.claims > 0
    key = lambda r: (r["start"], r["end"], r["number_text"], r["value"], r["unit"])
    assert sorted(map(key, pieces.rows)) == sorted(map(key, whole.rows))
    for row in pieces.rows:
        assert row["number_text"] in text[row["start"]:row["end"]]
        assert row["sentence"].replace("\n", "") in text[row["sentence_start"]:row["sentence_end"]].replace("\n", "")


def test_sink_gets_the_rows(fake_extractor):
    for stream_bytes in (0, runner.STREAM_BYTES):
        got = []
        result = process_file(BAD / "large.txt", got.extend, stream_bytes=stream_bytes, chunk_chars=500)
        assert result.ok and result.rows == [] and result.claims == len(got) > 100


def test_error_in_a_piece_is_reported(monkeypatch):
    def boom(text, doc="text", offset=0, meta=None):
        if offset:
            raise ValueError("bad piece")
        return fake_extract_text(text, doc, offset)

    monkeypatch.setattr(runner, "extract_text", boom)
    result = process_file(BAD / "large.txt", stream_bytes=0, chunk_chars=500)
    assert result.status == "error" and "ValueError at offset" in result.reason
    assert result.rows == [] and result.claims == 0
    got = []
    result = process_file(BAD / "large.txt", got.extend, stream_bytes=0, chunk_chars=500)
    assert result.status == "error" and "already written" in result.reason and result.claims == len(got)


def test_unlistable_folder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("建成12个", encoding="utf-8")
    real_walk = os.walk

    def walk(top, onerror=None, **kw):
        if onerror:
            err = PermissionError(13, "Permission denied")
            err.filename = str(tmp_path / "locked")
            onerror(err)
        yield from real_walk(top, onerror=onerror, **kw)

    monkeypatch.setattr(runner.os, "walk", walk)
    (tmp_path / "locked").mkdir()
    files = list(runner.iter_input_files([tmp_path]))
    assert tmp_path / "locked" in files
    assert process_file(tmp_path / "locked").status == "unreadable"


# ---------------------------------------------------------------- bounded memory on a big file

MEMORY_SCRIPT = textwrap.dedent("""
    import json, re, resource, sys, time
    sys.path.insert(0, sys.argv[2])
    sys.path.insert(0, sys.argv[2] + "/tests")          # test_files imports conftest
    import extract.run.files as runner
    from tests.test_files import fake_extract_text
    runner.extract_text = fake_extract_text
    try:                                # reset the peak to the current RSS (Linux)
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    count = [0]
    t = time.perf_counter()
    result = runner.process_file(sys.argv[1], lambda rows: count.__setitem__(0, count[0] + len(rows)))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": result.status, "reason": result.reason, "claims": result.claims,
                      "sunk": count[0], "before_kb": before, "after_kb": after,
                      "seconds": time.perf_counter() - t}))
""")


def _peak_growth_mb(path: Path) -> float:
    """process_file over `path` in a fresh process: how much its peak RSS grew, in MB."""
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(path), str(ROOT)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["status"] == "ok", got
    assert got["claims"] == got["sunk"] == 5 * 2000 * (path.stat().st_size // len(BIG_BLOCK)), got
    return (got["after_kb"] - got["before_kb"]) / 1024


BIG_BLOCK = ("赤峰市建成2610个党群服务中心和466个党群服务站，1.1万余个基层党组织比学赶超。"
             "克什克腾旗选派楼栋长2399人，党员占比18.5%。\n\n" * 2000).encode("gb18030")


def test_big_file_in_bounded_memory(tmp_path):
    """A GB18030 file goes through process_file in pieces: a 24 MB file (its text alone would
    take about 48 MB, bytes plus the decoded str) raises the peak by no more than a 4 MB file
    does, give or take a few MB. (The growth both share is the reading modules' imports and one
    piece: about 40 MB.)"""
    sizes = {}
    for mb in (4, 24):
        path = tmp_path / f"big{mb}.txt"
        with open(path, "wb") as fh:
            for _ in range(mb * 1024 * 1024 // len(BIG_BLOCK) + 1):
                fh.write(BIG_BLOCK)
        sizes[mb] = _peak_growth_mb(path)
        path.unlink()
    print(f"peak RSS grew {sizes[4]:.0f} MB for 4 MB and {sizes[24]:.0f} MB for 24 MB")
    assert sizes[24] - sizes[4] < 8, sizes
