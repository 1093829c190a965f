"""The rule files in extract/data/: tab-separated lines, '#' comments and blank lines skipped.

Every module that keeps its rules as data reads them through `rows`, so a domain expert
edits one format everywhere.
"""
from __future__ import annotations

import re
from pathlib import Path

import regex

DATA = Path(__file__).parent / "data"


def rows(name: str, folder: Path = DATA) -> list[list[str]]:
    """The fields of every rule line of <folder>/<name> (folder: extract/data)."""
    out = []
    for line in (Path(folder) / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


def compile_rule(pattern: str):
    """A rule's regular expression, compiled with the standard library's re, which runs these
    short patterns several times faster than `regex`; with `regex` when the rule needs its
    syntax (\\p{Han} and the like)."""
    try:
        return re.compile(pattern)
    except re.error:
        return regex.compile(pattern)
