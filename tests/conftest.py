"""Shared fixtures: the repository layout, the gold sets beside it, and table-driven case files."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.rulefiles import read_rows

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the repository (a git worktree under wt/ has it two levels up)
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared")
               if (p / "tools" / "score.py").exists()), ROOT.parent / "shared")
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
