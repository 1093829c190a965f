"""Running the extractor over files and folders: one FileResult per input file, none lost."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .pipeline import extract_document
from .reading import ReadError, read_document

TEXT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".md")


@dataclass
class FileResult:
    """What happened to one input file: its rows, or why it failed."""
    path: str
    status: str = "ok"            # ok, or the ReadError status (undecodable, binary, empty, too_large, ...)
    reason: str = ""
    encoding: str = ""
    rows: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and text-like files found (recursively, sorted) in folders."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(TEXT_SUFFIXES):
                        yield Path(root) / name
        else:
            yield p


def process_file(path: str | Path) -> FileResult:
    """Read and extract one file; never raises for a bad file, the result says what went wrong."""
    try:
        document = read_document(path)
    except ReadError as exc:
        return FileResult(str(path), exc.status, exc.reason)
    try:
        rows = extract_document(document)
    except Exception as exc:  # a bug on one file must not lose the rest of the corpus
        return FileResult(str(path), "error", f"{type(exc).__name__}: {exc}", document.encoding)
    return FileResult(str(path), "ok", "", document.encoding, rows)


def run_files(paths: Iterable[str | Path]) -> Iterator[FileResult]:
    """process_file over every input file, in order, in this process."""
    for path in iter_input_files(paths):
        yield process_file(path)
