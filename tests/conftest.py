"""Shared fixtures: the repository layout, the gold sets beside it, and table-driven case files."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.rulefiles import read_rows

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CASES = Path(__file__).parent / "cases"


def read_cases(name: str) -> list[list[str]]:
    """Rows of a tab-separated case file in tests/cases, in the rule files' own format."""
    return read_rows(CASES / name)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "tools" / "score.py").exists():
        pytest.skip(f"the gold sets and scorer are not beside the repository ({SHARED})")
    return SHARED
