"""The extractor, top to bottom: text -> articles -> sentences -> claims -> places and themes -> rows."""
from __future__ import annotations

from pathlib import Path

from .reading import Document, read_document


def extract_text(text: str, doc: str = "text", offset: int = 0) -> list[dict]:
    """Every quantitative claim in `text` as table rows (see extract.table.COLUMNS).

    `offset` is added to every position, for a chunk taken from a larger file.
    """
    return []


def extract_document(document: Document) -> list[dict]:
    return extract_text(document.text, doc=document.name)


def extract_file(path: str | Path) -> list[dict]:
    """Read one file and extract it; raises reading.ReadError when it cannot be read."""
    return extract_document(read_document(path))
