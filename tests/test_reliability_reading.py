"""Reliability of reading (issue 14, failures 12 and 13): offsets that hold against open() with the
manifest's encoding, one bad byte read with replacement and flagged, Big5 detected, zero-width
characters inside a numeral, and every file met listed in the manifest."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract import extract_text
from extract.cli import main
from extract.run.manifest import read_manifest
from extract.reading import read_document
from tests.conftest import read_cases


def _encoding_cases():
    out = []
    for case, sentence, encoding, prefix, spliced, repeat, status, read_as, errors, per in read_cases(
            "reliability_encodings.tsv"):
        out.append(pytest.param(sentence, encoding, bytes.fromhex(prefix) if prefix != "-" else b"",
                                bytes.fromhex(spliced) if spliced != "-" else b"", int(repeat), status,
                                read_as, errors, int(per), id=case))
    return out


def _file_bytes(sentence, encoding, prefix, spliced, repeat) -> bytes:
    body = (sentence + "\n") * repeat
    data = body.encode(encoding)
    if spliced:
        # spliced between two whole lines in the middle, so no character is cut in two
        half = ((sentence + "\n") * (repeat // 2)).encode(encoding)
        data = half + spliced + data[len(half):]
    return prefix + data


@pytest.mark.parametrize("sentence,encoding,prefix,spliced,repeat,status,read_as,errors,per",
                         _encoding_cases())
def test_offsets_hold_against_open_with_the_manifests_encoding(
        tmp_path, sentence, encoding, prefix, spliced, repeat, status, read_as, errors, per):
    path = tmp_path / "doc.txt"
    path.write_bytes(_file_bytes(sentence, encoding, prefix, spliced, repeat))
    out = tmp_path / "t.jsonl"
    code = main(["extract", str(path), "-o", str(out), "--workers", "1"])
    (record,) = read_manifest(tmp_path / "t.manifest.csv")
    assert record["status"] == status, record
    assert record["encoding"] == read_as, record
    assert code == 0
    if errors == "replace":
        assert record["reason"].startswith("replaced"), record      # flagged, not silent
    else:
        assert record["reason"] == ""
    with open(path, encoding=record["encoding"], errors=errors) as fh:
        text = fh.read()
    from extract.tableio import read_table
    rows = read_table(out).to_dict("records")
    assert len(rows) == per * repeat
    for row in rows:
        assert text[row["start"]:row["end"]].startswith(row["number_text"]), row
        assert row["number_text"] in ("2610", "2399")


def test_replacement_only_when_few_bytes_are_bad():
    """A file mixing two encodings is not read with replacement: too many bytes are bad."""
    from extract.reading import ReadError
    root = Path(__file__).resolve().parent / "data" / "bad"
    with pytest.raises(ReadError) as err:
        read_document(root / "mixed_encodings.txt")
    assert err.value.status == "undecodable"
    doc = read_document(_write_one_bad_byte(root.parent.parent.parent / "seeds"))
    assert doc.replaced == 1 and "\ufffd" in doc.text


def _write_one_bad_byte(seeds: Path) -> Path:
    import tempfile
    data = sorted(seeds.glob("*.txt"))[0].read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 1
    path = Path(tempfile.mkdtemp()) / "one_bad_byte.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    return path


def _unescape(s: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), s)


@pytest.mark.parametrize("text,value,number_text", [
    pytest.param(_unescape(t), float(v), _unescape(n), id=f"{n}")
    for t, v, n in read_cases("reliability_numerals.tsv")])
def test_zero_width_characters_inside_a_numeral(text, value, number_text):
    rows = extract_text(text, doc="zw.txt")
    assert [(r["value"], r["number_text"]) for r in rows] == [(value, number_text)]
    assert text[rows[0]["start"]:rows[0]["end"]].startswith(number_text)


def test_every_file_met_is_listed(tmp_path):
    """Files the extractor does not read are listed as skipped, with why; they are no failure."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("赤峰市建成2610个党群服务中心。", encoding="utf-8")
    (root / "sub" / "scan.tif").write_bytes(b"II*\x00" + bytes(200))
    (root / "sub" / "notes.gz").write_bytes(b"\x1f\x8b\x08" + bytes(40))
    (root / "sub" / "b.txt").write_text("巴林左旗836名网格员化解矛盾纠纷530余件。", encoding="utf-8")
    out = tmp_path / "t.csv"
    code = main(["extract", str(root), "-o", str(out), "--workers", "1"])
    manifest = {Path(r["path"]).relative_to(root).as_posix(): r for r in read_manifest(tmp_path / "t.manifest.csv")}
    assert sorted(manifest) == ["a.txt", "sub/b.txt", "sub/notes.gz", "sub/scan.tif"]
    for name in ("sub/notes.gz", "sub/scan.tif"):
        assert manifest[name]["status"] == "skipped" and manifest[name]["reason"].startswith("unsupported"), manifest[name]
        assert manifest[name]["bytes"] == (root / name).stat().st_size
    assert manifest["a.txt"]["status"] == manifest["sub/b.txt"]["status"] == "ok"
    assert code == 0
