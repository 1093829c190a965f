"""The manifest: every input file is listed, ok with its claims and encoding, or failed with why."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract.cli import main
from extract.run.manifest import (ManifestWriter, default_manifest_path, manifest_record, read_manifest,
                              write_manifest)
from extract.run.files import FileResult, process_file
from extract.tableio import read_table, write_table
from extract.tableio import TableWriter
from tests.test_reading import CASES, FAMILIES

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"

@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    code = main(["extract", str(BAD), "-o", str(out / "tmp.jsonl"), "--manifest", str(out / "m.csv"),
                 "--workers", "1"])
    return code, out, {Path(r["path"]).name: r for r in read_manifest(out / "m.csv")}


def cli_status(status: str, max_bytes) -> str:
    return "ok" if max_bytes is not None else status     # the command has no byte limit


def cli_claims(claims: str, max_bytes) -> str:
    return ">0" if max_bytes is not None else claims     # (large.txt: too large only under its limit)


@pytest.mark.parametrize("name,status,family,claims,max_bytes", CASES, ids=[c[0] for c in CASES])
def test_cli_manifest(cli_run, name, status, family, claims, max_bytes):
    code, _, manifest = cli_run
    assert code == 1                                      # some files failed
    record = manifest[name]
    assert record["status"] == cli_status(status, max_bytes), record
    assert record["bytes"] == (BAD / name).stat().st_size
    if record["status"] == "ok":
        assert record["encoding"] in FAMILIES[family if family != "-" else "utf-8"]
        assert record["format"] in ("text", "html") and record["reason"] == ""
    else:
        assert record["claims"] == 0 and record["reason"]


@pytest.mark.parametrize("name,status,family,claims,max_bytes", CASES, ids=[c[0] for c in CASES])
def test_manifest_claims(cli_run, name, status, family, claims, max_bytes):
    record = cli_run[2][name]
    if cli_claims(claims, max_bytes) == ">0":
        assert record["claims"] > 0, record
    else:
        assert record["claims"] == 0, record


@pytest.mark.parametrize("name,status,family,claims,max_bytes", CASES, ids=[c[0] for c in CASES])
def test_process_file_manifest_record(name, status, family, claims, max_bytes):
    """The same expectations, file by file, with the byte limit of the table applied."""
    record = manifest_record(process_file(BAD / name, max_bytes=max_bytes))
    assert record["status"] == status, record
    assert (record["encoding"] != "") == (status == "ok")
    assert (record["claims"] > 0) == (claims == ">0"), record


def test_cli_lists_every_file_and_counts_rows(cli_run):
    code, out, manifest = cli_run
    files = sorted(p.name for p in BAD.iterdir() if p.suffix in (".txt", ".htm", ".html"))
    assert sorted(manifest) == files
    table = read_table(out / "tmp.jsonl")
    assert len(table) == sum(r["claims"] for r in manifest.values())
    for name, record in manifest.items():
        assert (table["doc"] == name).sum() == record["claims"], name


def test_console_script(tmp_path):
    """`indicators extract tests/data/bad -o tmp.jsonl --manifest m.csv` as a user runs it (default
    workers), with a missing file named too: every file listed with its status, exit status 1."""
    exe = Path(sys.executable).with_name("indicators")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "extract.cli"]
    out = subprocess.run(cmd + ["extract", "tests/data/bad", str(tmp_path / "missing.txt"),
                                "-o", str(tmp_path / "tmp.jsonl"), "--manifest", str(tmp_path / "m.csv")],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 1, out.stderr
    assert out.stdout == ""          # no library banner: everything the tool says goes to stderr
    assert "missing.txt: unreadable" in out.stderr and "image_png.txt: binary" in out.stderr
    records = read_manifest(tmp_path / "m.csv")
    assert [Path(r["path"]).name for r in records] == [c[0] for c in sorted(CASES)] + ["missing.txt"]
    expected = {name: cli_status(status, max_bytes) for name, status, _, _, max_bytes in CASES}
    expected["missing.txt"] = "unreadable"
    assert {Path(r["path"]).name: r["status"] for r in records} == expected
    assert sum(r["claims"] for r in records) == len(read_table(tmp_path / "tmp.jsonl")) > 0


def test_exit_status_0_when_all_ok(tmp_path):
    code = main(["extract", str(BAD / "good_utf8.txt"), str(BAD / "page.html"),
                 "-o", str(tmp_path / "t.parquet"), "--manifest", str(tmp_path / "m.jsonl"), "--workers", "1"])
    assert code == 0
    records = read_manifest(tmp_path / "m.jsonl")
    assert [r["status"] for r in records] == ["ok", "ok"]
    json.loads((tmp_path / "m.jsonl").read_text(encoding="utf-8").splitlines()[0])


def test_bad_output_or_manifest_name(tmp_path):
    assert main(["extract", str(BAD), "-o", str(tmp_path / "t.xlsx")]) == 2
    assert main(["extract", str(BAD), "-o", str(tmp_path / "t.csv"), "--manifest", str(tmp_path / "m.txt")]) == 2
    assert not (tmp_path / "t.csv").exists()


def test_hostile_file_names(tmp_path):
    """Names that are not UTF-8, or that a spreadsheet would run as a formula, do not stop the run."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"\xff\xfe-latin.txt")).write_bytes("建成12个服务站。".encode())
    (folder / "=cmd()+1.txt").write_bytes("建成12个服务站。".encode())
    (folder / "ok.txt").write_bytes(b"\x00\x01binary")
    code = main(["extract", str(folder), "-o", str(tmp_path / "t.csv"), "--workers", "1"])
    assert code == 1
    records = read_manifest(tmp_path / "t.manifest.csv")
    names = sorted(Path(r["path"].lstrip("'")).name for r in records)
    assert names == ["=cmd()+1.txt", "\\udcff\\udcfe-latin.txt", "ok.txt"]
    assert sorted(r["status"] for r in records) == ["binary", "ok", "ok"]
    read_table(tmp_path / "t.csv")


def test_default_manifest_path():
    assert default_manifest_path("out/seeds.parquet") == Path("out/seeds.manifest.csv")
    assert default_manifest_path("t.jsonl") == Path("t.manifest.csv")


def test_manifest_formats_and_formula_guard(tmp_path):
    results = [FileResult("=bad.txt", "binary", "contains NUL bytes", size=9),
               FileResult("a.txt", "ok", "", "gb18030", [{"x": 1}] * 3, format="text", size=12)]
    write_manifest(results, tmp_path / "m.csv")
    write_manifest(results, tmp_path / "m.ndjson")
    csv_records, json_records = read_manifest(tmp_path / "m.csv"), read_manifest(tmp_path / "m.ndjson")
    assert csv_records[0]["path"] == "'=bad.txt" and json_records[0]["path"] == "=bad.txt"
    assert [r["claims"] for r in json_records] == [0, 3]
    assert json_records[1] == {"path": "a.txt", "status": "ok", "claims": 3, "encoding": "gb18030",
                               "format": "text", "bytes": 12, "reason": ""}
    with pytest.raises(ValueError):
        ManifestWriter(tmp_path / "m.xml")


def test_manifest_takes_partial_records(tmp_path):
    with ManifestWriter(tmp_path / "m.csv") as out:
        out.write({"path": "a.txt", "status": "error", "reason": "dask task failed", "claims": 0})
    assert read_manifest(tmp_path / "m.csv") == [{"path": "a.txt", "status": "error", "claims": 0,
                                                  "encoding": "", "format": "", "bytes": 0,
                                                  "reason": "dask task failed"}]
    assert out.failed == 1


def test_manifest_is_written_as_files_finish(tmp_path):
    with ManifestWriter(tmp_path / "m.csv") as out:
        out.write(FileResult("a.txt"))
        assert len(read_manifest(tmp_path / "m.csv")) == 1     # already on disk
        assert (out.total, out.failed) == (1, 0)


# ---------------------------------------------------------------- streaming table output

def sample_rows(n: int) -> list[dict]:
    from extract.table import COLUMNS

    rows = []
    for i in range(n):
        row = dict.fromkeys(COLUMNS, "")
        row.update(claim_id=f"c{i}", doc="d.txt", start=i, end=i + 2, sentence_start=0, sentence_end=i + 5,
                   article_index=0, value=float(i), number_text=str(i), unit="个",
                   indicator="=SUM(A1)" if i == 1 else "党群服务中心", city_code="150400")
        rows.append(row)
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_table_writer_matches_write_table(tmp_path, suffix):
    rows = sample_rows(7)
    write_table(rows, tmp_path / f"whole{suffix}")
    with TableWriter(tmp_path / f"batches{suffix}") as out:
        for batch in (rows[:3], [], rows[3:4], rows[4:]):
            out.write(batch)
    assert out.rows == 7
    whole, batches = read_table(tmp_path / f"whole{suffix}"), read_table(tmp_path / f"batches{suffix}")
    pd.testing.assert_frame_equal(whole, batches)
    if suffix != ".parquet":
        assert (tmp_path / f"whole{suffix}").read_bytes() == (tmp_path / f"batches{suffix}").read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_table_writer_empty_and_aborted(tmp_path):
    with TableWriter(tmp_path / "e.csv"):
        pass
    assert len(read_table(tmp_path / "e.csv")) == 0
    (tmp_path / "keep.jsonl").write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with TableWriter(tmp_path / "keep.jsonl") as out:
            out.write(sample_rows(2))
            raise KeyboardInterrupt
    assert (tmp_path / "keep.jsonl").read_text(encoding="utf-8") == "old\n"   # untouched
    assert not list(tmp_path.glob(".*.tmp"))
