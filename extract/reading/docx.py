"""The text of a Word document (.docx bytes → text), with python-docx.

Paragraphs and tables in document order, one paragraph per line; a table row is one line
with its cells separated by tabs (a merged cell once). Headers, footers and comments are
left out: they are page furniture, not the article. The archive's unpacked size is checked
before anything is parsed, so a small file cannot unpack into gigabytes.
"""
from __future__ import annotations

import io
import zipfile

from .errors import ReadError

#: Unpacked bytes allowed for one .docx (all its parts together).
MAX_UNPACKED = 200 * 1024 * 1024


def _check_archive(data: bytes, where: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            unpacked = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError(where, "undecodable", f"not a readable DOCX (a broken ZIP archive: {exc})") from exc
    if "word/document.xml" not in names:
        raise ReadError(where, "undecodable", "a ZIP archive without word/document.xml: not a DOCX")
    if unpacked > MAX_UNPACKED:
        raise ReadError(where, "too_large", f"unpacks to {unpacked} bytes, limit {MAX_UNPACKED}")


def _row_text(row) -> str:
    cells, seen = [], set()
    for cell in row.cells:          # a merged cell is listed once per grid column it spans
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(p.text for p in cell.paragraphs).strip())
    return "\t".join(cells)


def docx_text(data: bytes, where: str = "document.docx") -> str:
    """The document's paragraphs and table rows, one per line; ReadError otherwise."""
    _check_archive(data, where)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_row_text(row) for row in block.rows)
            else:
                lines.append(block.text)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises lxml, KeyError, ValueError … on broken parts
        raise ReadError(where, "undecodable", f"not a readable DOCX ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError(where, "empty", "no text in the document")
    return text
