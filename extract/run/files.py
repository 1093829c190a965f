"""Running the extractor over files and folders: one FileResult per input file, none lost."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..pipeline import extract_text
from ..reading import CHUNK_CHARS, DOCUMENT_SUFFIXES, MAX_BYTES, Document, ReadError, open_stream, read_document
from ..reading.metadata import SidecarError, document_meta, meta_for, sidecar_for
from ..rulefiles import RuleError

TEXT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".md")
#: Files read in a folder: text, and the documents reading/ reads whole (.pdf, .docx).
INPUT_SUFFIXES = TEXT_SUFFIXES + DOCUMENT_SUFFIXES
#: Status of a file found in a folder that the extractor does not read (not a failure).
SKIPPED = "skipped"
#: Files larger than this are decoded and extracted piece by piece (reading.open_stream), each
#: piece's rows handed on as they come, so a single huge file (or line) is processed in
#: bounded memory: the rows of a whole file this size are the most ever held at once.
STREAM_BYTES = 4 * 1024 * 1024

#: Receives each batch of rows as soon as it is extracted (see process_file's `sink`).
RowSink = Callable[[list], None]


def extract_document(document: Document, meta: dict | None = None) -> list[dict]:
    """The rows of a document that was read (reading.read_document, reading.decode_bytes);
    `meta`: its metadata columns (reading.metadata.meta_for(document).as_row())."""
    return extract_text(document.text, doc=document.name, meta=meta)


def extract_file(path: str | Path, meta_file: str | Path | None = None) -> list[dict]:
    """Read one file and extract it, with its metadata (a sidecar file beside it or `meta_file`,
    its HTML, dateline and path); raises reading.ReadError when it cannot be read."""
    document = read_document(path)
    return extract_document(document, meta_for(document, meta_file).as_row())


class OutputError(Exception):
    """The output (a sink) could not be written: never the input file's fault, so it stops the
    run instead of being recorded against the file."""

    def __init__(self, path, exc: OSError):
        super().__init__(f"cannot write {path}: {exc.strerror or exc}")
        self.path, self.error = str(path), exc


class InputPath(type(Path())):
    """An input file as found, with what the run knows about it: `doc`, its path relative to the
    root it was found under (the bare name for a file given directly); `key`, what its claim ids
    are made from (unique across the run); `supported`, whether the extractor reads its kind.
    Pickles with these (it crosses to pool workers)."""

    doc: str | None = None
    key: str | None = None
    supported: bool = True

    @classmethod
    def of(cls, path, doc: str | None = None, key: str | None = None, supported: bool = True) -> "InputPath":
        p = cls(path)
        p.doc, p.key, p.supported = doc, key, supported
        return p

    def __reduce__(self):
        return (InputPath.of, (str(self), self.doc, self.key, self.supported))


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
    replaced: int = 0             # invalid bytes read as U+FFFD (the file was decoded with errors="replace")

    def __post_init__(self):
        if not self.claims:
            self.claims = len(self.rows)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def failed(self) -> bool:
        """Whether the file counts as failed (for the exit status): neither ok nor skipped."""
        return self.status not in ("ok", SKIPPED)


def _doc_name(rel: str) -> str:
    """A path for the table's doc column: bytes that were not UTF-8 become \\x escapes."""
    return rel.encode("utf-8", "backslashreplace").decode("utf-8")


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[InputPath]:
    """Files named directly, and every file found (recursively, sorted) in folders, each once.

    Each is an InputPath: `doc` is its path relative to the folder (argument) it was found
    under, or its name when given directly; `supported` is False for a file in a folder whose
    kind the extractor does not read (process_file lists it as skipped, unsupported). A file
    reached twice (named twice, or under two overlapping folders) is yielded the first time
    only. A folder that cannot be listed is yielded itself, so that process_file reports
    it (as unreadable) instead of its files going missing without a word.
    """
    seen: set[str] = set()

    def once(path: Path, doc: str, index: int, supported: bool = True) -> Iterator[InputPath]:
        if isinstance(path, InputPath):
            yield path
            return
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        doc = _doc_name(doc)
        yield InputPath.of(path, doc, doc if index == 0 else f"{doc}\x1f{index}", supported)

    for index, p in enumerate(paths):
        if isinstance(p, InputPath):
            yield from once(p, p.doc or p.name, index)
            continue
        p = Path(p)
        if p.is_dir():
            unlisted: list[OSError] = []
            for root, dirs, files in os.walk(p, onerror=unlisted.append):
                dirs.sort()
                for name in sorted(files):
                    path = Path(root) / name
                    yield from once(path, path.relative_to(p).as_posix(), index,
                                    name.lower().endswith(INPUT_SUFFIXES))
            for exc in unlisted:
                yield from once(Path(exc.filename), Path(exc.filename).name, index)
        else:
            yield from once(p, p.name, index)


def process_file(path: str | Path, sink: RowSink | None = None, *, max_bytes: int | None = None,
                 stream_bytes: int = STREAM_BYTES, chunk_chars: int = CHUNK_CHARS,
                 meta_file: str | None = None) -> FileResult:
    """Read and extract one file; never raises for a bad file, the result says what went wrong.

    Without `sink` the rows are kept in the result. With `sink`, they are handed to
    sink(rows) instead (result.rows stays empty, result.claims counts them): for a
    file over `stream_bytes`, piece by piece as they come, so memory stays bounded
    however large the file; for a smaller one, all at once after it succeeded.
    A file over `max_bytes` (no limit by default) fails as too_large; a file found in a folder
    whose kind is not read (InputPath.supported) is skipped, unsupported. `meta_file`: a sidecar
    metadata file for every input (--meta); else one found beside the file (reading.metadata). An error of the sink
    (OutputError) is raised, not recorded against the file.
    """
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0                      # read_document says why it cannot be read
    if not getattr(path, "supported", True):
        kind = Path(path).suffix.lower() or "no extension"
        return FileResult(str(path), SKIPPED, f"unsupported: {kind} files are not read", size=size)
    if max_bytes is not None and size > max_bytes:
        return FileResult(str(path), "too_large", f"{size} bytes, limit {max_bytes}", size=size)
    doc, key = getattr(path, "doc", None), getattr(path, "key", None)
    whole = str(path).lower().endswith(DOCUMENT_SUFFIXES)   # a PDF or DOCX is read whole, never streamed
    if size > stream_bytes and not whole:
        return _process_stream(path, size, sink, chunk_chars, meta_file, doc, key)
    try:
        document = read_document(path, max_bytes=max(stream_bytes, MAX_BYTES) if whole else stream_bytes)
    except ReadError as exc:
        return FileResult(str(path), exc.status, exc.reason, size=size)
    note = ""
    try:
        meta = meta_for(document, meta_file)
    except SidecarError as exc:      # the text is still read: its metadata from the HTML, text and path
        meta, note = meta_for(document, None, sidecar=False), f"metadata: {exc}"
    try:
        rows = extract_text(document.text, doc=doc or document.name, meta=meta.as_row(),
                            **_id_key(key, doc or document.name))
    except RuleError:
        raise                 # a broken rule file breaks every file: stop, do not report each
    except Exception as exc:  # a bug on one file must not lose the rest of the corpus
        return FileResult(str(path), "error", f"{type(exc).__name__}: {exc}", document.encoding,
                          format=document.format, size=document.size)
    result = FileResult(str(path), "ok", "; ".join(r for r in (note, _replaced_note(document.replaced, document.encoding)) if r),
                        document.encoding, rows, format=document.format, size=document.size,
                        replaced=document.replaced)
    if sink is not None and rows:
        sink(rows)
        result.rows = []
    return result


def _id_key(key: str | None, doc: str) -> dict:
    """extract_text's id_key argument, when the claim ids must be made from more than doc."""
    return {"id_key": key} if key and key != doc else {}


def _replaced_note(replaced: int, encoding: str) -> str:
    """The manifest's reason for a file read with replacement (empty for a strict read)."""
    if not replaced:
        return ""
    return (f"replaced {replaced} invalid byte{'s' if replaced > 1 else ''} with U+FFFD "
            f"(read it with open(path, encoding={encoding!r}, errors='replace'))")


def _process_stream(path: str | Path, size: int, sink: RowSink | None, chunk_chars: int,
                    meta_file: str | None = None, doc: str | None = None,
                    key: str | None = None) -> FileResult:
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
    result = FileResult(str(path), "ok", _replaced_note(stream.replaced, stream.encoding), stream.encoding,
                        format=stream.format, size=stream.size, replaced=stream.replaced)
    offset, meta = 0, None
    try:
        for offset, piece in stream:
            if meta is None:     # sidecar, dateline (in the first piece) and path; no HTML metadata here
                try:
                    sidecar = sidecar_for(path, meta_file)
                except SidecarError as exc:
                    sidecar = None
                    result.reason = "; ".join(r for r in (result.reason, f"metadata: {exc}") if r)
                meta = document_meta(path, piece, sidecar=sidecar).as_row()
            rows = extract_text(piece, doc=doc or stream.name, offset=offset, meta=meta,
                                **_id_key(key, doc or stream.name))
            result.claims += len(rows)
            if sink is None:
                result.rows.extend(rows)
            elif rows:
                sink(rows)
    except OutputError:
        raise
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
