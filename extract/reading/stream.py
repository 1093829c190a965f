"""Big files read piece by piece: decoded incrementally and handed out in pieces cut at
paragraph boundaries, with offsets into the whole decoded text, in bounded memory."""
from __future__ import annotations

import codecs
import io
import os
from pathlib import Path
from typing import BinaryIO, Iterator

from .document import NUL_REASON, display_name, normalize_newlines, stat_regular
from .encoding import SNIFF_BYTES, check_decoded, choose_encoding, drop_bom, head_text
from .errors import ReadError
from .markup import HTMLText, is_html

#: Characters per piece handed out by iter_chunks (a piece ends at a paragraph boundary).
CHUNK_CHARS = 200_000
#: Bytes read and decoded at a time when streaming.
BLOCK_BYTES = 1 << 20
#: Characters of a streamed HTML page the parser may hold unparsed (an unclosed tag, comment or script).
MAX_HTML_PENDING = 16 * BLOCK_BYTES


class TextStream:
    """A file decoded piece by piece: iterate for (offset, text) pieces cut at paragraph ends.

    Construction reads the file once to choose an encoding that decodes all of
    it (so a decoding error cannot appear half-way through the pieces) and
    raises ReadError like read_document. Memory stays bounded by a few pieces
    whatever the file's size. The pieces joined are exactly read_document's text.
    """

    def __init__(self, path: str | Path | BinaryIO, chunk_chars: int = CHUNK_CHARS,
                 max_bytes: int | None = None, name: str | None = None):
        if isinstance(path, (str, os.PathLike)):
            self.path = Path(path)
            st = stat_regular(self.path)
            self.size = st.st_size
            self._fileobj = None
        else:
            self._fileobj = path
            self.path = Path(name or getattr(path, "name", "stream"))
            self.size = _fileobj_size(path)
        self.name = display_name(name or self.path.name)
        self.chunk_chars = max(1, int(chunk_chars))
        if max_bytes is not None and self.size > max_bytes:
            raise ReadError(self.path, "too_large", f"{self.size} bytes, limit {max_bytes}")
        with self._open() as fh:
            head = fh.read(SNIFF_BYTES)
        if not head.strip() and self.size <= SNIFF_BYTES:
            raise ReadError(self.path, "empty", "no bytes" if not head else "only white space")
        codec = choose_encoding(self.path, head, self._decodes)
        self.encoding = codec
        first = head_text(head, codec)
        check_decoded(self.path, first)
        self.format = "html" if is_html(self.name, first) else "text"

    def _open(self):
        if self._fileobj is not None:
            self._fileobj.seek(0)
            return _NoClose(self._fileobj)
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise ReadError(self.path, "unreadable", exc.strerror or str(exc)) from exc

    def _blocks(self) -> Iterator[bytes]:
        with self._open() as fh:
            while True:
                try:
                    block = fh.read(BLOCK_BYTES)
                except OSError as exc:
                    raise ReadError(self.path, "unreadable", exc.strerror or str(exc)) from exc
                if not block:
                    return
                yield block

    def _decodes(self, codec: str) -> bool:
        try:
            decoder = codecs.getincrementaldecoder(codec)("strict")
        except LookupError:
            return False
        try:
            for block in self._blocks():
                if "\x00" in decoder.decode(block):
                    raise ReadError(self.path, "binary", NUL_REASON)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return True

    def texts(self) -> Iterator[str]:
        """The decoded text in arbitrary pieces (BOM removed, newlines normalised, HTML reduced)."""
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        parser = HTMLText() if self.format == "html" else None
        held = ""          # a trailing \r waits for the next piece: it may start a \r\n
        first = True
        for block in self._blocks():
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:  # the file changed since it was checked
                raise ReadError(self.path, "undecodable", f"{self.encoding}: {exc}") from exc
            if first and text:
                text, first = drop_bom(text), False
            text = held + text
            held = "\r" if text.endswith("\r") else ""
            text = normalize_newlines(text[:-1] if held else text)
            if parser is not None:
                parser.feed(text)
                if len(parser.rawdata) > MAX_HTML_PENDING:   # html.parser keeps what it cannot close
                    raise ReadError(self.path, "too_large", f"HTML markup left open for over "
                                    f"{MAX_HTML_PENDING:,} characters (an unclosed <script>, tag or comment)")
                text = parser.take()
            if text:
                yield text
        tail = normalize_newlines(held + decoder.decode(b"", final=True))
        if parser is not None:
            parser.feed(tail)
            parser.close()
            tail = parser.take()
        if tail:
            yield tail

    def __iter__(self) -> Iterator[tuple[int, str]]:
        """(offset, piece) pairs; each piece ends after a blank line or, failing that, a line end."""
        limit = self.chunk_chars
        buf, offset, any_text = "", 0, False
        for text in self.texts():
            buf += text
            while len(buf) >= limit:
                cut = _cut(buf, limit)
                if cut is None:
                    break
                piece, buf = buf[:cut], buf[cut:]
                any_text = any_text or bool(piece.strip())
                yield offset, piece
                offset += len(piece)
        if buf:
            any_text = any_text or bool(buf.strip())
            yield offset, buf
        if not any_text:
            raise ReadError(self.path, "empty", "no text")


def _cut(buf: str, limit: int) -> int | None:
    """Where to end the next piece of buf (len(buf) >= limit), or None to wait for more text.

    After the last blank line between limit/2 and limit, else the last line end
    there, else the first line end after limit. A line with no break within
    4 x limit is cut after its last sentence end (。！？!?) there or, as a last
    resort, at 4 x limit, so memory stays bounded whatever the text.
    """
    half = limit // 2
    for mark in ("\n\n", "\n"):
        cut = buf.rfind(mark, half, limit)
        if cut >= 0:
            return cut + len(mark)
    cut = buf.rfind("\n", 0, limit)
    after = buf.find("\n", limit, 4 * limit)
    if after >= 0:
        return after + 1
    if cut >= 0:
        return cut + 1
    hard = 4 * limit
    if len(buf) < hard:
        return None
    best = max(buf.rfind(mark, 0, hard) for mark in "。！？!?")
    return best + 1 if best >= 0 else hard


class _NoClose:
    def __init__(self, fh):
        self.fh = fh

    def __enter__(self):
        return self.fh

    def __exit__(self, *exc):
        return False


def _fileobj_size(fh) -> int:
    pos = fh.tell()
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(pos)
    return size


def open_stream(path: str | Path | BinaryIO, chunk_chars: int = CHUNK_CHARS,
                max_bytes: int | None = None, name: str | None = None) -> TextStream:
    """A TextStream over path (or a seekable binary file object); raises ReadError like read_document."""
    return TextStream(path, chunk_chars, max_bytes, name)


def iter_chunks(path: str | Path | BinaryIO, chunk_chars: int = CHUNK_CHARS,
                max_bytes: int | None = None) -> Iterator[tuple[int, str]]:
    """(offset, text) pieces of a file of any size, cut at paragraph boundaries.

    Offsets count characters of the whole decoded text; "".join of the pieces is
    read_document(path).text. Raises ReadError as read_document does.
    """
    return iter(open_stream(path, chunk_chars, max_bytes))


def read_window(path: str | Path, start: int, end: int, chunk_chars: int = CHUNK_CHARS) -> tuple[int, str]:
    """(offset, text): the pieces of a file of any size that hold characters start..end.

    For showing a claim of a file too big for read_document in context:
    text[start - offset:end - offset] is the claim. Reads the file only up to
    the span; raises ReadError like read_document, IndexError past the end.
    """
    offset, held = None, []
    for at, piece in open_stream(path, chunk_chars):
        if at + len(piece) <= start:
            continue
        if offset is None:
            offset = at
        held.append(piece)
        if at + len(piece) >= end:
            return offset, "".join(held)
    raise IndexError(f"{path}: no characters {start}..{end} in the text")
