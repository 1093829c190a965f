"""claims/claims.py: which numerals are claims, with unit and qualifier (tests/cases/claims.tsv), and what is out of scope (tests/cases/exclusions.tsv)."""
from __future__ import annotations

import pytest

from extract import extract_text

from conftest import read_cases


def parse_expected(spec: str) -> list[tuple]:
    if spec.strip() == "-":
        return []
    out = []
    for item in spec.split(" ; "):
        number, value, unit, qualifier = item.strip().split("|")
        out.append((number, float(value), unit, qualifier))
    return out


@pytest.mark.parametrize("text,expected", [pytest.param(r[0], r[1], id=r[0][:20]) for r in read_cases("claims.tsv")])
def test_claims(text, expected):
    rows = extract_text(text)
    got = [(r["number_text"], r["value"], r["unit"], r["qualifier"]) for r in rows]
    assert got == parse_expected(expected)
    for r in rows:
        assert text[r["start"]:r["end"]].startswith(r["number_text"])


@pytest.mark.parametrize("text,reason", [pytest.param(r[0], r[1], id=r[1] + ":" + r[0][:12])
                                         for r in read_cases("exclusions.tsv")])
def test_out_of_scope(text, reason):
    assert [(r["number_text"], r["unit"]) for r in extract_text(text)] == []


def test_range_quick_check_passes_what_the_range_rules_could_read():
    """claims/ranges._MAYBE runs on re before the range rules run on regex: every blank that
    regex's \\s takes, re's takes too, so the quick check never drops a sentence regex would read."""
    import re
    import sys

    import regex

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert [hex(ord(c)) for c in regex.findall(r"\s", every) if not re.match(r"\s", c)] == []
