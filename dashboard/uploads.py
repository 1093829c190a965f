"""Uploaded .txt files: decode the bytes, refuse binary or oversized files, extract their claims.

Decoding uses extract.reading.decode_bytes (same rules as files on disk) when available.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from extract.table import to_frame

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class UploadResult:
    """One uploaded file: status ok/binary/too_large/empty/undecodable/error, its text and rows."""
    name: str
    status: str
    size: int = 0
    encoding: str = ""
    text: str = ""
    error: str = ""
    rows: list[dict] = field(default_factory=list)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean a binary file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) with newlines normalised as extract.reading does; None if undecodable."""
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), enc.replace("-sig", "")
    return None


def _decode(name: str, data: bytes, limit: int) -> tuple[str, str, str, str]:
    """(status, text, encoding, reason): extract.reading.decode_bytes when the extractor has it
    (the same decoding as files on disk), else UTF-8 / GB18030 with a binary check."""
    try:
        from extract.reading import ReadError, decode_bytes
    except ImportError:
        if len(data) > limit:
            return "too_large", "", "", ""
        if not data.strip():
            return "empty", "", "", ""
        if looks_binary(data):
            return "binary", "", "", ""
        decoded = decode(data)
        return ("ok", *decoded, "") if decoded else ("undecodable", "", "", "")
    try:
        document = decode_bytes(data, name=name, max_bytes=limit)
    except ReadError as exc:
        return exc.status, "", "", exc.reason
    if looks_binary(data[:8192]) and not document.text.strip():
        return "binary", "", "", ""
    return "ok", document.text, document.encoding, ""


def process_upload(name: str, data: bytes, limit: int = MAX_UPLOAD_BYTES) -> UploadResult:
    """Check, decode and extract one uploaded file; never raises."""
    res = UploadResult(name, "ok", len(data))
    try:
        res.status, res.text, res.encoding, res.error = _decode(name, data, limit)
    except Exception as exc:  # a decoding bug must not take the page down
        res.status, res.error = "error", f"{type(exc).__name__}: {exc}"
    if res.status != "ok":
        return res
    try:
        from extract import extract_text
        res.rows = extract_text(res.text, doc=name)
    except Exception as exc:  # the extractor is being developed; keep the app alive
        res.status, res.error = "error", f"{type(exc).__name__}: {exc}"
    return res


def rows_frame(rows: list[dict]) -> pd.DataFrame:
    """Extractor rows as a table frame (extract.table.COLUMNS), missing fields filled in."""
    from extract.table import COLUMNS, INT_COLUMNS
    full = [{c: r.get(c, 0 if c in INT_COLUMNS else (None if c == "value" else "")) for c in COLUMNS}
            for r in rows]
    return to_frame(full)
