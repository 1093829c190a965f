"""claims/numbers.py: the numeral scan finds what a full scan finds."""
from __future__ import annotations

import re

import pytest
from hypothesis import given

from extract.claims.claims import numeral_follow
from extract.claims.numbers import NUMERAL_RE, _ARABIC, _CN, find_numerals

from conftest import QUICK, SEED_TEXTS, mixed_text


PIECES, TEXT = mixed_text()


# ---------------------------------------------------------------- numerals

def reference_numerals(text: str, chinese_next: frozenset[str] | None) -> list[tuple[int, str]]:
    """Spans of the numeral regex tried at every position, with a look-ahead for the
    character after a Chinese numeral (the way find_numerals worked before)."""
    first = "一二两三四五六七八九十〇零"
    follow = f"(?=[余多]?[{re.escape(''.join(chinese_next))}])" if chinese_next else ""
    pattern = re.compile(rf"{_ARABIC}|(?P<cn>百分之[{first}][{_CN}]*|[{first}][{_CN}]*+{follow})")
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


def numeral_starts(text: str, chinese_next) -> list[int]:
    return [n.start for n in find_numerals(text, 0, len(text), chinese_next)]


def readable(written: str) -> bool:
    """What find_numerals keeps of a reference match: cn2an reads it, at most 15 digits."""
    return any(n.start == 0 for n in find_numerals(written))


@pytest.mark.parametrize("chinese_next", [None, "units"])
def test_numerals_match_a_full_scan_on_the_seeds(chinese_next):
    nxt = numeral_follow() if chinese_next else None
    for text in SEED_TEXTS:
        want = [start for start, written in reference_numerals(text, nxt) if readable(written)]
        assert numeral_starts(text, nxt) == want


@QUICK
@given(TEXT)
def test_numerals_match_a_full_scan(text):
    for nxt in (None, numeral_follow()):
        want = [start for start, written in reference_numerals(text, nxt) if readable(written)]
        assert numeral_starts(text, nxt) == want


def test_plain_numeral_pattern_is_unchanged():
    assert [m.start() for m in NUMERAL_RE.finditer("第3.5.2版，2610个，三千名，进一步")] == \
        [start for start, _ in reference_numerals("第3.5.2版，2610个，三千名，进一步", None)]
