"""Reading input files into text: decoding, and clear errors for files that cannot be read.

Offsets in the table refer to the text returned here (newlines normalised to \\n,
as Python's open() does by default, and a UTF-8 BOM removed).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be turned into text; `status` is a short machine-readable reason."""

    def __init__(self, path, status: str, reason: str):
        super().__init__(f"{path}: {status}: {reason}")
        self.path, self.status, self.reason = str(path), status, reason


@dataclass(frozen=True)
class Document:
    path: str
    name: str
    text: str
    encoding: str


def read_document(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read and decode one file; raise ReadError saying why when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, "unreadable", exc.strerror or str(exc)) from exc
    if len(data) > max_bytes:
        raise ReadError(path, "too_large", f"{len(data)} bytes, limit {max_bytes}")
    if not data.strip():
        raise ReadError(path, "empty", "no text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(path, "undecodable", str(exc)) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Document(str(path), path.name, text, "utf-8")
