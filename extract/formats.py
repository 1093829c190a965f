"""One reader for every format a run or an upload takes: .txt (and other text), .html, .pdf, .docx.

`read_bytes(data, name)` gives a reading.Document whose `text` is what the rows' offsets
index and what the article view shows: decoded text (reading.decode_bytes: encodings, BOMs,
HTML reduced to its text), or the text layer of a PDF (pdf_text, pypdf) or the paragraphs of
a DOCX (docx_text, python-docx). The format is told by the file's signature, with the
name's suffix to tell a DOCX from another ZIP archive. Failures are reading.ReadError with
the same statuses as for text files.
"""
from __future__ import annotations

from pathlib import Path

from .reading import MAX_BYTES, Document, ReadError, _display_name, _read_at_most, _stat_regular, decode_bytes

TEXT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".xhtml", ".md")
DOCUMENT_SUFFIXES = (".pdf", ".docx")
SUFFIXES = TEXT_SUFFIXES + DOCUMENT_SUFFIXES


def document_format(name: str, head: bytes) -> str:
    """pdf, docx or text: a PDF by its signature; a DOCX by the ZIP signature and its name."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and name.lower().endswith(".docx"):
        return "docx"
    return "text"


def read_bytes(data: bytes, name: str = "upload.txt", path: str | None = None,
               max_bytes: int | None = MAX_BYTES) -> Document:
    """The Document for a file's bytes, in any supported format; ReadError saying why otherwise."""
    fmt = document_format(name, data[:8])
    if fmt == "text":
        return decode_bytes(data, name, path, max_bytes)
    where = path if path is not None else name
    if max_bytes is not None and len(data) > max_bytes:
        raise ReadError(where, "too_large", f"{len(data)} bytes, limit {max_bytes}")
    if fmt == "pdf":
        from .pdf_text import pdf_text
        text = pdf_text(data, where)
    else:
        from .docx_text import docx_text
        text = docx_text(data, where)
    return Document(where, _display_name(name), text, "", fmt, len(data))


def read_file(path: str | Path, max_bytes: int | None = MAX_BYTES) -> Document:
    """Read one file on disk in any supported format (reading.read_document for text)."""
    path = Path(path)
    st = _stat_regular(path)
    if max_bytes is not None and st.st_size > max_bytes:
        raise ReadError(path, "too_large", f"{st.st_size} bytes, limit {max_bytes}")
    try:
        with open(path, "rb") as fh:
            data = fh.read() if max_bytes is None else _read_at_most(fh, max_bytes + 1, st.st_size)
    except OSError as exc:
        raise ReadError(path, "unreadable", exc.strerror or str(exc)) from exc
    return read_bytes(data, path.name, str(path), max_bytes)
