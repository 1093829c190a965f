"""Reading one input file into text, with a clear error for a file that cannot be read.

Offsets in the table refer to the text returned here: the decoded text with its
byte-order mark removed and newlines normalised to \\n (\\r\\n and lone \\r),
as Python's open() does by default. Nothing else is changed: full-width digits
and punctuation stay as written (no NFKC), so offsets match what a reader sees.
The codec is chosen by encoding.py; an HTML page is reduced to its text by markup.py; a PDF
(pdf.py, pypdf) and a Word file (docx.py, python-docx) give their text layer and paragraphs.
`read_bytes` (an upload) and `read_document` (a file) read every format alike.

Every failure is a :class:`ReadError` whose ``status`` is one of
``unreadable`` (missing, a folder, no permission), ``empty``, ``too_large``,
``binary`` and ``undecodable``.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .encoding import SNIFF_BYTES, check_decoded, choose_encoding, drop_bom, head_text
from .errors import ReadError
from .markup import html_to_text, is_html

MAX_BYTES = 50 * 1024 * 1024
NUL_REASON = "contains NUL characters"


@dataclass(frozen=True)
class Document:
    path: str
    name: str
    text: str
    encoding: str           # the codec that decoded it: utf-8, utf-8-sig, gb18030, utf-16, ...
    format: str = "text"    # text; html when reduced from a page; pdf, docx for those documents
    size: int = 0           # bytes read
    replaced: int = 0       # invalid bytes read as U+FFFD (errors="replace"); 0 when strict

    @property
    def errors(self) -> str:
        """The `errors` that open() needs to read this text: strict, or replace."""
        return "replace" if self.replaced else "strict"


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode_bytes(data: bytes, name: str = "upload.txt", path: str | None = None,
                 max_bytes: int | None = MAX_BYTES) -> Document:
    """Decode an in-memory file (an upload) exactly as read_document decodes one on disk."""
    where = path if path is not None else name
    if max_bytes is not None and len(data) > max_bytes:
        raise ReadError(where, "too_large", f"{len(data)} bytes, limit {max_bytes}")
    if not data.strip():
        raise ReadError(where, "empty", "no bytes" if not data else "only white space")
    decoded: dict[str, str] = {}

    def decodes(codec: str) -> bool:
        try:
            decoded[codec] = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            return False
        return True

    def replaced(codec: str) -> tuple[int, int]:
        text = decoded[codec] = data.decode(codec, "replace")
        return text.count("\ufffd") - data.count("\ufffd".encode(codec)), len(text)

    codec, bad = choose_encoding(where, data, decodes, replaced)
    text = decoded[codec]
    if "\x00" in text:
        raise ReadError(where, "binary", NUL_REASON)
    # a file within the sniffed length decoded strictly whole: its head is that text
    head = drop_bom(text) if len(data) <= SNIFF_BYTES else head_text(data, codec)
    check_decoded(where, head)
    text = normalize_newlines(text)      # a BOM the codec left stays, as open() leaves it
    fmt = "text"
    if is_html(name, head):
        text, fmt = html_to_text(text), "html"
    if not text.replace("\ufeff", "").strip():
        raise ReadError(where, "empty", "no text" + (" in the page" if fmt == "html" else ""))
    return Document(path if path is not None else name, display_name(name), text, codec, fmt, len(data), bad)


DOCUMENT_SUFFIXES = (".pdf", ".docx")


def document_format(name: str, head: bytes) -> str:
    """pdf, docx or text: a PDF by its signature; a DOCX by the ZIP signature and its name
    (other ZIP archives stay binary)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and name.lower().endswith(".docx"):
        return "docx"
    return "text"


def read_bytes(data: bytes, name: str = "upload.txt", path: str | None = None,
               max_bytes: int | None = MAX_BYTES) -> Document:
    """The Document for a file's bytes in any supported format (.txt, .html, .pdf, .docx):
    its text is what the rows' offsets index. ReadError saying why otherwise."""
    fmt = document_format(name, data[:8])
    if fmt == "text":
        return decode_bytes(data, name, path, max_bytes)
    where = path if path is not None else name
    if max_bytes is not None and len(data) > max_bytes:
        raise ReadError(where, "too_large", f"{len(data)} bytes, limit {max_bytes}")
    if fmt == "pdf":
        from .pdf import pdf_text
        text = pdf_text(data, where)
    else:
        from .docx import docx_text
        text = docx_text(data, where)
    return Document(where, display_name(name), text, "", fmt, len(data))


def display_name(name: str) -> str:
    """The file name for the table's doc column: bytes that were not UTF-8 become \\x escapes."""
    if "/" in name or name in (".", ".."):
        name = Path(name).name
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def stat_regular(path: Path) -> os.stat_result:
    try:
        st = path.stat()
    except OSError as exc:
        raise ReadError(path, "unreadable", exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        try:
            os.listdir(path)
        except OSError as exc:
            raise ReadError(path, "unreadable", f"a folder that cannot be listed: {exc.strerror}") from exc
        raise ReadError(path, "unreadable", "a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(path, "unreadable", "not a regular file (a device, pipe or socket)")
    return st


def read_document(path: str | Path, max_bytes: int | None = MAX_BYTES) -> Document:
    """Read and decode one file; raise ReadError saying why when it cannot be read."""
    path = Path(path)
    st = stat_regular(path)
    if max_bytes is not None and st.st_size > max_bytes:
        raise ReadError(path, "too_large", f"{st.st_size} bytes, limit {max_bytes}")
    try:
        with open(path, "rb") as fh:
            data = fh.read() if max_bytes is None else _read_at_most(fh, max_bytes + 1, st.st_size)
    except OSError as exc:
        raise ReadError(path, "unreadable", exc.strerror or str(exc)) from exc
    return read_bytes(data, path.name, str(path), max_bytes)


def _read_at_most(fh: BinaryIO, limit: int, size: int) -> bytes:
    """Up to `limit` bytes of fh, whose size was `size` when it was looked at.

    fh.read(limit) would allocate `limit` bytes up front (20 or 50 MB for every small file,
    which costs more than the read itself); this asks for the size seen, plus one byte to
    notice a file that grew meanwhile, and reads on up to the limit only if it did."""
    first = min(limit, size + 1)
    data = fh.read(first)
    if len(data) == first < limit:
        data += fh.read(limit - first)
    return data
