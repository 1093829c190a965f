"""One uploaded file → its text and claims: read with the CLI's reader (extract.reading.read_bytes:
.txt, .html, .pdf, .docx), refuse what cannot be read with the reader's reason, extract.

Runs in the extraction process (dashboard.upload_jobs), never on the page's thread.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from extract.table import to_frame

MAX_UPLOAD_MB = 5                  # also .streamlit/config.toml server.maxUploadSize and `indicators dashboard`
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
TYPES = ("txt", "text", "md", "htm", "html", "xhtml", "pdf", "docx")


@dataclass
class UploadResult:
    """One uploaded file: status ok or a reader status (binary, too_large, empty, undecodable,
    unreadable) or error; its text (what the rows' offsets index), format and rows."""
    name: str
    status: str
    size: int = 0
    encoding: str = ""
    format: str = ""
    text: str = ""
    error: str = ""
    rows: list[dict] = field(default_factory=list)


def process_upload(name: str, data: bytes, limit: int = MAX_UPLOAD_BYTES) -> UploadResult:
    """Read and extract one uploaded file; never raises (the reason goes into the result)."""
    from extract.reading import ReadError, read_bytes

    res = UploadResult(name, "ok", len(data))
    try:
        doc = read_bytes(data, name, max_bytes=limit)
    except ReadError as exc:
        res.status, res.error = exc.status, exc.reason
        return res
    except Exception as exc:  # noqa: BLE001 - a reader bug must not lose the file without a word
        res.status, res.error = "error", f"{type(exc).__name__}: {exc}"
        return res
    res.text, res.encoding, res.format = doc.text, doc.encoding, doc.format
    try:
        from extract import extract_text
        res.rows = extract_text(res.text, doc=name)
    except Exception as exc:  # noqa: BLE001
        res.status, res.error = "error", f"{type(exc).__name__}: {exc}"
    return res


def rows_frame(rows: list[dict]) -> pd.DataFrame:
    """Extractor rows as a table frame (extract.table.COLUMNS), missing fields filled in."""
    from extract.table import COLUMNS, INT_COLUMNS
    full = [{c: r.get(c, 0 if c in INT_COLUMNS else (None if c == "value" else "")) for c in COLUMNS}
            for r in rows]
    return to_frame(full)
