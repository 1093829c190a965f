"""cli.py: the `indicators` command: manifest, exit status, workers and a Dask scheduler."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract.cli import main
from extract.run.manifest import read_manifest
from extract.table import to_frame
from extract.tableio import read_table

from conftest import BAD, BAD_CASES, FAMILIES, ROOT, SEEDS, check_manifest, sorted_frame


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


@pytest.mark.parametrize("name,status,family,claims,max_bytes", BAD_CASES, ids=[c[0] for c in BAD_CASES])
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


@pytest.mark.parametrize("name,status,family,claims,max_bytes", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_manifest_claims(cli_run, name, status, family, claims, max_bytes):
    record = cli_run[2][name]
    if cli_claims(claims, max_bytes) == ">0":
        assert record["claims"] > 0, record
    else:
        assert record["claims"] == 0, record


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
    assert [Path(r["path"]).name for r in records] == [c[0] for c in sorted(BAD_CASES)] + ["missing.txt"]
    expected = {name: cli_status(status, max_bytes) for name, status, _, _, max_bytes in BAD_CASES}
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


def test_cli_workers_writes_the_single_process_table(with_bad, reference, tmp_path, capsys):
    _, expected = reference
    out = tmp_path / "table.parquet"
    code = main(["extract", str(SEEDS), str(with_bad), "--workers", "2", "-o", str(out)])
    assert code == 1                                       # some files failed ...
    err = capsys.readouterr().err
    assert "c0000002a_empty.txt: empty" in err and "c0000010a_image.txt" in err
    pd.testing.assert_frame_equal(sorted_frame(read_table(out)), sorted_frame(expected))   # ... the rest is there
    check_manifest(tmp_path / "table.manifest.csv", [SEEDS, with_bad], len(expected))


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
    pd.testing.assert_frame_equal(sorted_frame(to_frame(frame.to_dict("records"))), sorted_frame(expected))
    check_manifest(tmp_path / "table.manifest.csv", [SEEDS, with_bad], len(expected))
