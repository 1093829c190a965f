"""reading/document.py: one file into text, or a ReadError saying why not (tests/cases/bad_files.tsv)."""
from __future__ import annotations

import io
import os
import sys

import pytest

import extract.reading as reading
from extract.reading import ReadError, decode_bytes, open_stream, read_document
from extract.run.files import process_file

from conftest import BAD, BAD_CASES, FAMILIES, ROOT


# ---------------------------------------------------------------- reading

@pytest.mark.parametrize("name,shown", [
    ("a.txt", "a.txt"), ("dir/b.txt", "b.txt"), (".", ""), ("..", ".."), ("x/", "x"),
    ("版面\udcff.txt", "版面\\udcff.txt"),
])
def test_display_name_is_the_path_name(name, shown):
    from extract.reading.document import display_name as _display_name

    assert _display_name(name) == shown


@pytest.mark.parametrize("data,status", [
    ("赤峰市建成2610个党群服务中心。\r\n第二行。".encode("utf-8"), "ok"),
    ("正文".encode("utf-8") + b"\x01\x02\x03\x04\x05\x06", "binary"),        # short: head is the text
    (("正文。" * 30000).encode("utf-8") + b"\x01" * 10, "ok"),                 # long: head is sniffed
])
def test_small_files_are_checked_on_their_whole_text(data, status):
    from extract.reading import ReadError, decode_bytes

    try:
        doc = decode_bytes(data, "page.txt")
    except ReadError as exc:
        assert exc.status == status
    else:
        assert status == "ok" and "\r" not in doc.text


@pytest.mark.parametrize("actual,seen,limit", [
    (100, 100, 1001), (100, 40, 1001), (100, 400, 1001),     # the size seen, grown, shrunk
    (5000, 100, 1001), (1001, 1001, 1001), (1002, 10, 1001), (0, 0, 1001),
])
def test_reading_at_most_a_limit_gives_the_plain_read(actual, seen, limit):
    """read_document asks for the size it saw, not for the whole limit at once: same bytes."""
    import io

    from extract.reading.document import _read_at_most

    data = bytes(range(256)) * (actual // 256 + 1)
    data = data[:actual]
    assert _read_at_most(io.BytesIO(data), limit, seen) == io.BytesIO(data).read(limit)


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
    assert sorted(made) == sorted(c[0] for c in BAD_CASES)
    for name, data in made.items():
        assert (BAD / name).read_bytes() == data, f"{name}: run tests/data/make_bad_corpus.py"


@pytest.mark.parametrize("name,status,family,claims,max_bytes", BAD_CASES, ids=[c[0] for c in BAD_CASES])
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


@pytest.mark.parametrize("name,status,family,claims,max_bytes", BAD_CASES, ids=[c[0] for c in BAD_CASES])
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


def test_nul_characters_are_binary(tmp_path):
    """A NUL inside UTF-16 text (where zero bytes are normal) still makes the file binary."""
    data = ("建成12个服务站。" * 3 + "\x00" + "a" * 70_000).encode("utf-16")
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(data, "u.txt")
    (tmp_path / "u.txt").write_bytes(data)
    with pytest.raises(ReadError, match="binary"):
        open_stream(tmp_path / "u.txt")
