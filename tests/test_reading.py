"""Reading bad input: encodings, HTML, binary and empty files, limits, and big files in pieces."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import extract.pipeline as pipeline
import extract.reading as reading
import extract.reading.stream as stream
import extract.run.files as runner
from extract.reading import ReadError, decode_bytes, html_to_text, iter_chunks, open_stream, read_document
from extract.run.files import process_file
from extract.table import COLUMNS
from tests.conftest import read_cases

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
FAMILIES = {"utf-8": ("utf-8", "utf-8-sig"), "gb": ("gb18030", "gbk", "gb2312"),
            "utf-16": ("utf-16", "utf-16-le", "utf-16-be")}


def load_cases() -> list[tuple[str, str, str, str, int | None]]:
    """tests/cases/bad_files.tsv: file, status, encoding family, claims (>0 or =0), max_bytes."""
    return [(name, status, family, claims, None if max_bytes == "-" else int(max_bytes))
            for name, status, family, claims, max_bytes in read_cases("bad_files.tsv")]


CASES = load_cases()
OK_FILES = [c[0] for c in CASES if c[1] == "ok"]


def _read(name: str, max_bytes: int | None) -> reading.Document:
    return read_document(BAD / name, max_bytes=reading.MAX_BYTES if max_bytes is None else max_bytes)


def test_corpus_is_complete():
    """Every file the script makes has an expectation, and the committed bytes are what it makes."""
    sys.path.insert(0, str(ROOT / "tests" / "data"))
    try:
        import make_bad_corpus
    finally:
        sys.path.pop(0)
    made = make_bad_corpus.files()
    assert sorted(made) == sorted(c[0] for c in CASES)
    for name, data in made.items():
        assert (BAD / name).read_bytes() == data, f"{name}: run tests/data/make_bad_corpus.py"


@pytest.mark.parametrize("name,status,family,claims,max_bytes", CASES, ids=[c[0] for c in CASES])
def test_read_status_and_encoding(name, status, family, claims, max_bytes):
    if status == "ok":
        doc = _read(name, max_bytes)
        assert doc.encoding in FAMILIES[family], doc.encoding
        assert doc.text.strip()
        assert "\r" not in doc.text
        assert not doc.text.startswith("\ufeff")
        assert doc.name == name and doc.size == (BAD / name).stat().st_size
    else:
        with pytest.raises(ReadError) as info:
            _read(name, max_bytes)
        assert info.value.status == status, info.value.reason
        assert info.value.reason and info.value.path.endswith(name)


@pytest.mark.parametrize("name,status,family,claims,max_bytes", CASES, ids=[c[0] for c in CASES])
def test_decode_bytes_is_read_document(name, status, family, claims, max_bytes):
    """An upload (read_bytes; decode_bytes for text) reads exactly as the same file on disk
    (or fails the same way)."""
    data = (BAD / name).read_bytes()
    limit = reading.MAX_BYTES if max_bytes is None else max_bytes
    text_only = reading.document_format(name, data[:8]) == "text"
    if status == "ok":
        doc = _read(name, max_bytes)
        for upload in [reading.read_bytes(data, name, max_bytes=limit)] + \
                ([decode_bytes(data, name, max_bytes=limit)] if text_only else []):
            assert (upload.text, upload.encoding, upload.format, upload.name) == \
                   (doc.text, doc.encoding, doc.format, doc.name)
    else:
        with pytest.raises(ReadError) as info:
            reading.read_bytes(data, name, max_bytes=limit)
        assert info.value.status == status


@pytest.mark.parametrize("chunk_chars", [1, 17, 200, reading.CHUNK_CHARS])
@pytest.mark.parametrize("block", [1, 3, 7, 4096])
def test_pieces_join_to_the_text(monkeypatch, chunk_chars, block):
    """iter_chunks, reading a few bytes at a time: pieces join to read_document's text, offsets add up,
    and every piece but the last ends at a line end."""
    monkeypatch.setattr(stream, "BLOCK_BYTES", block)
    for name in OK_FILES:
        if name == "hostile_text.txt" and block < 7:
            continue                     # 18,000 characters one byte at a time: slow, nothing new
        text = read_document(BAD / name).text
        pieces = list(iter_chunks(BAD / name, chunk_chars=chunk_chars))
        assert "".join(p for _, p in pieces) == text, name
        offset = 0
        for start, piece in pieces:
            assert start == offset and piece
            offset += len(piece)
        for _, piece in pieces[:-1]:
            # a line with no break in 4 x chunk_chars is cut after a sentence, or else anywhere
            assert piece.endswith("\n") or "\n" not in piece and (
                piece[-1] in "。！？!?" or len(piece) == 4 * chunk_chars), (name, piece[-20:])


@pytest.mark.parametrize("name,status,family,claims,max_bytes", CASES, ids=[c[0] for c in CASES])
def test_stream_fails_like_read_document(name, status, family, claims, max_bytes):
    if reading.document_format(name, (BAD / name).read_bytes()[:8]) != "text":
        status = "binary"              # a stream reads text only; run.files reads a PDF or DOCX whole
    if status == "ok":
        stream = open_stream(BAD / name, max_bytes=max_bytes)
        doc = _read(name, max_bytes)
        assert (stream.encoding, stream.format, stream.name) == (doc.encoding, doc.format, doc.name)
    else:
        with pytest.raises(ReadError) as info:
            list(open_stream(BAD / name, max_bytes=max_bytes))
        assert info.value.status == status


def test_read_window():
    text = read_document(BAD / "large.txt").text
    for start, end in ((0, 5), (5000, 5004), (len(text) - 3, len(text)), (100, 9000)):
        offset, window = reading.read_window(BAD / "large.txt", start, end, chunk_chars=1000)
        assert window == text[offset:offset + len(window)]
        assert window[start - offset:end - offset] == text[start:end]
        assert len(window) < len(text)
    with pytest.raises(IndexError):
        reading.read_window(BAD / "large.txt", len(text), len(text) + 1)


def test_streamed_html_left_open(monkeypatch):
    """A page whose <script> never closes cannot make the streaming parser hold the whole file."""
    monkeypatch.setattr(stream, "MAX_HTML_PENDING", 50_000)
    monkeypatch.setattr(stream, "BLOCK_BYTES", 10_000)
    page = ("<html><body><p>建成12个服务站。</p><script>" + "x" * 200_000).encode()
    with pytest.raises(ReadError) as info:
        list(iter_chunks(io.BytesIO(page), chunk_chars=1000))
    assert info.value.status == "too_large" and "unclosed" in info.value.reason


def test_stream_from_file_object():
    data = (BAD / "gbk.txt").read_bytes()
    pieces = list(iter_chunks(io.BytesIO(data), chunk_chars=10))
    assert "".join(p for _, p in pieces) == read_document(BAD / "gbk.txt").text


def test_newlines_and_bom_are_normalised_like_open():
    good = read_document(BAD / "good_utf8.txt").text
    for name in ("utf8_bom.txt", "crlf_utf8.txt", "old_mac_cr.txt", "gbk.txt", "utf16_le_bom.txt",
                 "utf16_be_bom.txt", "utf16_le_nobom.txt"):
        assert read_document(BAD / name).text == good, name
    with open(BAD / "crlf_utf8.txt", encoding="utf-8") as fh:   # what open() does
        assert fh.read() == good
    assert read_document(BAD / "gb18030.txt").text == "龑㐀" + good


def test_fullwidth_kept_as_written():
    text = read_document(BAD / "fullwidth_digits.txt").text
    assert "网格党支部７０个" in text and "１００％" in text and "３．５万" in text
    assert "70个" not in text


def test_hostile_text_kept_as_written():
    text = read_document(BAD / "hostile_text.txt").text
    for mark in ("\u200b", "\u202e", "\u2028", "e\u0301", "😀", "\x0c", "\ufeff"):
        assert mark in text


def test_html_reduced_to_text():
    text = read_document(BAD / "page.html").text
    assert read_document(BAD / "page_saved_as.txt").text == text
    for dropped in ("777", "999", "888", "<", "color", "document"):
        assert dropped not in text
    assert "首页 > 新闻" in text                         # entities unescaped
    assert "党员占比18.5%" in text and "基层党组织—比学赶超…" in text
    assert "赤峰市建成2610个党群服务中心\n" in text       # a heading is a line of its own
    assert "楼栋长2399人\n组建15支" in text               # <br> ends a line
    assert "网格员 1234名" in text                       # table cells apart
    assert "大地 2610个" in text                         # &nbsp;&nbsp; is one space
    assert "  " not in text and "\n\n\n" not in text
    gbk = read_document(BAD / "page_gbk.htm")
    assert gbk.format == "html" and "经棚镇建成12个便民服务站" in gbk.text


def test_html_details():
    assert html_to_text("<p>甲\n乙</p><p>a\nb</p>") == "甲乙\n\na b"    # a source line break between
    assert html_to_text("<pre>a\n  b</pre>") == "a\n  b"                 # Chinese characters is no gap
    assert html_to_text("<p>x &amp;lt; &#x4e00;&#19968;</p>") == "x &lt; 一一"
    assert html_to_text("<div>a<script>b</script><style>c</style>d</div>") == "ad"
    assert html_to_text("<script><script>x</script>y") == "y"
    assert html_to_text("no tags at all") == "no tags at all"
    assert reading.looks_like_html("\ufeff  <!-- c -->\n<!DOCTYPE HTML>") is False  # BOM is removed first
    assert reading.looks_like_html("  <!-- c -->\n<!DOCTYPE HTML>")
    assert not reading.looks_like_html("我们的<html>标签教程")


def test_declared_charset():
    page = '<html><head><meta charset="{}"></head><body><p>{}</p></body></html>'
    big5 = decode_bytes(page.format("big5", "克什克騰旗建成12個服務站。").encode("big5"), "p.html")
    assert big5.encoding == "big5" and big5.text == "克什克騰旗建成12個服務站。"
    misdeclared = decode_bytes(page.format("iso-8859-1", "克什克腾旗建成12个服务站。").encode("gbk"), "p.html")
    assert misdeclared.encoding == "gb18030" and "克什克腾旗建成12个服务站。" in misdeclared.text


def test_too_large(tmp_path):
    with pytest.raises(ReadError) as info:
        read_document(BAD / "large.txt", max_bytes=10_000)
    assert info.value.status == "too_large" and "10000" in info.value.reason
    assert read_document(BAD / "large.txt", max_bytes=None).text
    with pytest.raises(ReadError, match="too_large"):
        decode_bytes(b"x" * 11, "a.txt", max_bytes=10)
    result = process_file(BAD / "large.txt", max_bytes=10_000)
    assert result.status == "too_large" and not result.rows


def test_unreadable(tmp_path):
    for path in (tmp_path / "missing.txt", tmp_path):
        with pytest.raises(ReadError) as info:
            read_document(path)
        assert info.value.status == "unreadable", info.value.reason
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)                       # would block forever if it were opened
    with pytest.raises(ReadError) as info:
        read_document(fifo)
    assert info.value.status == "unreadable" and "regular" in info.value.reason
    assert process_file(fifo).status == "unreadable"
    with pytest.raises(ReadError, match="unreadable"):
        open_stream(fifo)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_permission_denied(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("建成12个", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert info.value.status == "unreadable"


def test_non_utf8_file_name(tmp_path):
    name = os.fsdecode(b"bad\xff\xfe-name.txt")
    (tmp_path / name).write_bytes("建成12个".encode())
    doc = read_document(tmp_path / name)
    assert doc.name == "bad\\udcff\\udcfe-name.txt"
    doc.name.encode("utf-8")              # can be written to any table


def test_guess_falls_back_to_charset_normalizer():
    """Neither UTF-8 nor GB18030 (0x80, the euro sign, cannot start a GB18030 character)."""
    text = "Le prix est de 5 € par personne, café et thé compris, pour la réunion du comité. " * 3
    from charset_normalizer import from_bytes

    data = text.encode("cp1252")
    doc = decode_bytes(data, "fr.txt")
    assert doc.encoding not in ("utf-8", "gb18030")
    assert doc.text == data.decode(from_bytes(data).best().encoding)   # its guess, right or not
    assert "par personne" in doc.text


def test_nul_characters_are_binary(tmp_path):
    """A NUL inside UTF-16 text (where zero bytes are normal) still makes the file binary."""
    data = ("建成12个服务站。" * 3 + "\x00" + "a" * 70_000).encode("utf-16")
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(data, "u.txt")
    (tmp_path / "u.txt").write_bytes(data)
    with pytest.raises(ReadError, match="binary"):
        open_stream(tmp_path / "u.txt")


def test_random_bytes_are_not_text():
    import random

    rng = random.Random(5)
    for _ in range(50):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(64, 4096)))
        with pytest.raises(ReadError) as info:
            decode_bytes(data, "noise.txt")
        assert info.value.status in ("binary", "undecodable")


# ---------------------------------------------------------------- the runner, piece by piece

NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def fake_extract_text(text: str, doc: str = "text", offset: int = 0) -> list[dict]:
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
    def boom(text, doc="text", offset=0):
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
    import extract.run.files as runner
    from tests.test_reading import fake_extract_text
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


def test_big_file_in_bounded_memory(tmp_path):
    """A 120 MB GB18030 file goes through process_file in pieces: peak memory grows by far less
    than the file (holding its text alone would take over 200 MB: bytes plus the decoded str)."""
    paragraph = ("赤峰市建成2610个党群服务中心和466个党群服务站，1.1万余个基层党组织比学赶超。"
                 "克什克腾旗选派楼栋长2399人，党员占比18.5%。\n\n")
    block = (paragraph * 2000).encode("gb18030")
    path = tmp_path / "big.txt"
    size = 120 * 1024 * 1024
    with open(path, "wb") as fh:
        written = 0
        while written < size:
            fh.write(block)
            written += len(block)
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(path), str(ROOT)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    import json
    got = json.loads(out.stdout)
    assert got["status"] == "ok", got
    assert got["claims"] == got["sunk"] == 5 * (written // len(block)) * 2000
    grown_mb = (got["after_kb"] - got["before_kb"]) / 1024
    print(f"120 MB file: peak RSS grew {grown_mb:.0f} MB in {got['seconds']:.1f} s")
    assert grown_mb < 80, got
