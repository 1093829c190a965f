"""The run manifest: one line per input file, saying what became of it.

Every file a run was given (named, or found in a folder) gets a record:

| column   | meaning |
| -------- | ------- |
| path     | the file as found (a name that is not valid UTF-8 shown with \\x escapes) |
| status   | ok, or why it failed: unreadable, empty, too_large, binary, undecodable, error |
| claims   | rows extracted from it (0 for a failed file) |
| encoding | the codec that decoded it (utf-8, utf-8-sig, gb18030, utf-16, ...), empty if none |
| format   | text, or html when the text was reduced from a page |
| bytes    | size of the file |
| reason   | for a failed file, what went wrong, in words |

The manifest is CSV or JSON Lines, chosen by the extension (.csv, .jsonl,
.ndjson); by default it is `<output stem>.manifest.csv` beside the table.
Records are written (and flushed) as files finish, so a run that is killed
still leaves the manifest of the files done so far.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable

from ..table import formula_safe
from ..tableio import file_format

COLUMNS = ("path", "status", "claims", "encoding", "format", "bytes", "reason")


def manifest_format(path: str | Path) -> str:
    """csv or jsonl, from the extension; ValueError for anything else."""
    return file_format(path, ("csv", "jsonl"), "manifest")


def default_manifest_path(output: str | Path) -> Path:
    """`<output stem>.manifest.csv` beside the output table."""
    output = Path(output)
    return output.with_name(f"{output.stem}.manifest.csv")


def _clean(text: str) -> str:
    """text that can be written as UTF-8: undecodable file-name bytes become \\x escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def manifest_record(result) -> dict:
    """The manifest record of a run.files.FileResult (or anything with the same attributes)."""
    return {
        "path": _clean(str(result.path)),
        "status": result.status,
        "claims": int(getattr(result, "claims", 0) or len(getattr(result, "rows", ()) or ())),
        "encoding": result.encoding or "",
        "format": getattr(result, "format", "") or "",
        "bytes": int(getattr(result, "size", 0) or 0),
        "reason": _clean(result.reason or ""),
    }


class ManifestWriter:
    """with ManifestWriter(path) as m: m.write(result) for each file; m.total, m.failed count them."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.format = manifest_format(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.total = self.failed = 0
        if self.format == "csv":
            self._fh = open(self.path, "w", encoding="utf-8-sig", newline="")
            self._csv = csv.DictWriter(self._fh, fieldnames=COLUMNS)
            self._csv.writeheader()
        else:
            self._fh = open(self.path, "w", encoding="utf-8")

    def write(self, result) -> dict:
        """Write the record of a FileResult (or a record dict) and flush it to disk."""
        if isinstance(result, dict):   # a record already (from a Dask worker): complete it, in order
            record = {k: result.get(k, 0 if k in ("claims", "bytes") else "") for k in COLUMNS}
        else:
            record = manifest_record(result)
        self.total += 1
        self.failed += record["status"] != "ok"
        if self.format == "csv":
            # A spreadsheet must not run a cell as a formula (as in the table's CSV).
            self._csv.writerow({k: formula_safe(v) for k, v in record.items()})
        else:
            self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._fh.flush()
        return record

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "ManifestWriter":
        return self

    def __exit__(self, *exc) -> bool:
        self.close()
        return False


def write_manifest(results: Iterable, path: str | Path) -> Path:
    """Write the manifest of FileResults (or records) to path; the format follows the extension."""
    with ManifestWriter(path) as out:
        for result in results:
            out.write(result)
    return Path(path)


def read_manifest(path: str | Path) -> list[dict]:
    """The records of a manifest written by ManifestWriter, claims and bytes as ints."""
    path = Path(path)
    if manifest_format(path) == "csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            records = list(csv.DictReader(fh))
    else:
        with open(path, encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
    for rec in records:
        rec["claims"], rec["bytes"] = int(rec["claims"] or 0), int(rec["bytes"] or 0)
    return records
