"""The rule files in extract/data/: tab-separated lines, '#' comments and blank lines skipped.

Every module that keeps its rules as data reads them through `rows`, so a domain expert
edits one format everywhere.
"""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"


def rows(name: str, folder: Path = DATA) -> list[list[str]]:
    """The fields of every rule line of <folder>/<name> (folder: extract/data)."""
    out = []
    for line in (Path(folder) / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out
