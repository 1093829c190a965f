"""run/manifest.py: the run manifest, its formats and the formula guard."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.run.files import FileResult, process_file
from extract.run.manifest import ManifestWriter, default_manifest_path, manifest_record, read_manifest, write_manifest

from conftest import BAD, BAD_CASES


@pytest.mark.parametrize("name,status,family,claims,max_bytes", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_process_file_manifest_record(name, status, family, claims, max_bytes):
    """The same expectations, file by file, with the byte limit of the table applied."""
    record = manifest_record(process_file(BAD / name, max_bytes=max_bytes))
    assert record["status"] == status, record
    assert (record["encoding"] != "") == (status == "ok")
    assert (record["claims"] > 0) == (claims == ">0"), record


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
