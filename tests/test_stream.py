"""reading/stream.py: big files in pieces that join to the whole text; decoding round trips."""
from __future__ import annotations

import io

import pytest
from hypothesis import given, strategies as st

import extract.reading as reading
import extract.reading.stream as stream
from extract.reading import ReadError, decode_bytes, iter_chunks, open_stream, read_document

from conftest import BAD, BAD_CASES, MANY, OK_FILES


def _read(name: str, max_bytes: int | None) -> reading.Document:
    return read_document(BAD / name, max_bytes=reading.MAX_BYTES if max_bytes is None else max_bytes)


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
        for (_, piece), (_, after) in zip(pieces, pieces[1:]):
            # a line with no break in 4 x chunk_chars is cut after a sentence, or else anywhere
            # but inside a numeral (the cut then comes before it)
            hard = 4 * chunk_chars
            assert piece.endswith("\n") or "\n" not in piece and (
                piece[-1] in "。！？!?" or len(piece) == hard
                or max(hard - 64, hard // 2, 1) <= len(piece) < hard and after[0] in stream.NUMERAL_CHARS), \
                (name, piece[-20:])


@pytest.mark.parametrize("name,status,family,claims,max_bytes", BAD_CASES, ids=[c[0] for c in BAD_CASES])
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


# Text the reader must give back unchanged but for newlines: no controls (they make a file
# binary), no BOM, no markup that could start an HTML page.
READABLE = st.text(alphabet=st.one_of(
    st.sampled_from("赤峰市建成个党群服务中心和站，。；：“”（）、\n\n\r\t 　万亿余多名元％%"),
    st.characters(min_codepoint=0x20, max_codepoint=0x7e).filter(lambda c: c != "<"),
    st.characters(min_codepoint=0x4e00, max_codepoint=0x9fa5),
    st.characters(min_codepoint=0xff10, max_codepoint=0xff5a)), min_size=1, max_size=300)


@MANY
@given(READABLE, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-32"]),
       st.integers(min_value=1, max_value=64))
def test_decoding_round_trip(text, codec, chunk_chars):
    """Encoded in any supported encoding, a text reads back as itself (newlines as open() gives
    them), in one go or in pieces of any size."""
    data = text.encode(codec)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    if codec == "gb18030":
        try:
            data.decode("utf-8")
            return                    # also valid UTF-8, which is tried first: ambiguous bytes
        except UnicodeDecodeError:
            pass
    if not expected.strip():
        with pytest.raises(ReadError, match="empty"):
            decode_bytes(data, "t.txt")
        return
    doc = decode_bytes(data, "t.txt")
    assert doc.text == expected
    assert doc.encoding in {"utf-8": ("utf-8",), "utf-8-sig": ("utf-8-sig",), "gb18030": ("gb18030",),
                            "utf-16": ("utf-16",), "utf-32": ("utf-32",)}[codec]
    pieces = list(iter_chunks(io.BytesIO(data), chunk_chars=chunk_chars))
    assert "".join(p for _, p in pieces) == expected
    assert [o for o, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]
