"""Running the extractor over files and folders: one FileResult per input file, none lost."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..pipeline import extract_text
from ..reading import CHUNK_CHARS, DOCUMENT_SUFFIXES, MAX_BYTES, Document, ReadError, open_stream, read_document
from ..rulefiles import RuleError

TEXT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".md")
#: Files read in a folder: text, and the documents reading/ reads whole (.pdf, .docx).
INPUT_SUFFIXES = TEXT_SUFFIXES + DOCUMENT_SUFFIXES
#: Files larger than this are decoded and extracted piece by piece (reading.stream),
#: so a single huge file is processed in bounded memory.
STREAM_BYTES = 20 * 1024 * 1024

#: Receives each batch of rows as soon as it is extracted (see process_file's `sink`).
RowSink = Callable[[list], None]


def extract_document(document: Document) -> list[dict]:
    """The rows of a document that was read (reading.read_document, reading.decode_bytes)."""
    return extract_text(document.text, doc=document.name)


def extract_file(path: str | Path) -> list[dict]:
    """Read one file and extract it; raises reading.ReadError when it cannot be read."""
    return extract_document(read_document(path))


@dataclass
class FileResult:
    """What happened to one input file: its rows, or why it failed."""
    path: str
    status: str = "ok"            # ok, or the ReadError status (undecodable, binary, empty, too_large, ...)
    reason: str = ""
    encoding: str = ""
    rows: list[dict] = field(default_factory=list)
    claims: int = 0               # rows extracted: len(rows), or how many went to a sink
    format: str = ""              # text or html
    size: int = 0                 # bytes of the input file

    def __post_init__(self):
        if not self.claims:
            self.claims = len(self.rows)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and text-like files found (recursively, sorted) in folders.

    A folder that cannot be listed is yielded itself, so that process_file reports
    it (as unreadable) instead of its files going missing without a word.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            unlisted: list[OSError] = []
            for root, dirs, files in os.walk(p, onerror=unlisted.append):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(INPUT_SUFFIXES):
                        yield Path(root) / name
            for exc in unlisted:
                yield Path(exc.filename)
        else:
            yield p


def process_file(path: str | Path, sink: RowSink | None = None, *, max_bytes: int | None = None,
                 stream_bytes: int = STREAM_BYTES, chunk_chars: int = CHUNK_CHARS) -> FileResult:
    """Read and extract one file; never raises for a bad file, the result says what went wrong.

    Without `sink` the rows are kept in the result. With `sink`, they are handed to
    sink(rows) instead (result.rows stays empty, result.claims counts them): for a
    file over `stream_bytes`, piece by piece as they come, so memory stays bounded
    however large the file; for a smaller one, all at once after it succeeded.
    A file over `max_bytes` (no limit by default) fails as too_large.
    """
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0                      # read_document says why it cannot be read
    if max_bytes is not None and size > max_bytes:
        return FileResult(str(path), "too_large", f"{size} bytes, limit {max_bytes}", size=size)
    whole = str(path).lower().endswith(DOCUMENT_SUFFIXES)   # a PDF or DOCX is read whole, never streamed
    if size > stream_bytes and not whole:
        return _process_stream(path, size, sink, chunk_chars)
    try:
        document = read_document(path, max_bytes=max(stream_bytes, MAX_BYTES) if whole else stream_bytes)
    except ReadError as exc:
        return FileResult(str(path), exc.status, exc.reason, size=size)
    try:
        rows = extract_document(document)
    except RuleError:
        raise                 # a broken rule file breaks every file: stop, do not report each
    except Exception as exc:  # a bug on one file must not lose the rest of the corpus
        return FileResult(str(path), "error", f"{type(exc).__name__}: {exc}", document.encoding,
                          format=document.format, size=document.size)
    result = FileResult(str(path), "ok", "", document.encoding, rows,
                        format=document.format, size=document.size)
    if sink is not None and rows:
        sink(rows)
        result.rows = []
    return result


def _process_stream(path: str | Path, size: int, sink: RowSink | None, chunk_chars: int) -> FileResult:
    """process_file for a big file: extract_text on each piece, with the piece's global offset.

    Pieces end at paragraph boundaries (reading.stream.TextStream), so no claim is cut in
    two; but each piece is read on its own: an article running across two pieces
    is read as two (the second half does not know the headline's place), and
    duplicate_of only finds reprints within a piece.
    """
    try:
        stream = open_stream(path, chunk_chars)
    except ReadError as exc:
        return FileResult(str(path), exc.status, exc.reason, size=size)
    result = FileResult(str(path), "ok", "", stream.encoding, format=stream.format, size=stream.size)
    offset = 0
    try:
        for offset, piece in stream:
            rows = extract_text(piece, doc=stream.name, offset=offset)
            result.claims += len(rows)
            if sink is None:
                result.rows.extend(rows)
            elif rows:
                sink(rows)
    except ReadError as exc:
        result.status, result.reason = exc.status, exc.reason
    except RuleError:
        raise
    except Exception as exc:  # a bug on one piece: report it, keep the rest of the corpus going
        result.status = "error"
        result.reason = f"{type(exc).__name__} at offset {offset}: {exc}"
    if not result.ok:
        if sink is None:                # like a small file that fails: no rows at all
            result.rows, result.claims = [], 0
        elif result.claims:
            result.reason += f" ({result.claims} claims before it were already written)"
    return result


def run_files(paths: Iterable[str | Path], sink: RowSink | None = None) -> Iterator[FileResult]:
    """process_file over every input file, in order, in this process (rows to `sink` if given)."""
    for path in iter_input_files(paths):
        yield process_file(path, sink)
