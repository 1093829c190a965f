"""places/mentions.py: the vectorised scan finds the names a full scan finds."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from extract.places.gazetteer import MAX_NAME, gazetteer
from extract.places.mentions import find_mentions, foreign_short_form, name_ends, stands_as_name
from extract.rulefiles import grouped

from conftest import QUICK, SEED_TEXTS, mixed_text


PIECES, TEXT = mixed_text()


# ---------------------------------------------------------------- place names

def reference_mentions(text: str) -> list[tuple[int, int, str]]:
    """Division names found by looking at every end offset and every length."""
    names = gazetteer().names
    roads = grouped("place_locatives.tsv")["road"]
    found = []
    for p in range(2, len(text) + 1):
        for length in range(min(MAX_NAME, p), 1, -1):
            if text[p - length:p] in names:
                if foreign_short_form(text[p - length:p], names[text[p - length:p]]) and \
                        not stands_as_name(text, p - length, p):
                    break       # 天水 in 露天水果
                if not text.startswith(roads, p):
                    found.append((p - length, p, text[p - length:p]))
                break
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out = []
    for m in found:
        if out and m[0] < out[-1][1]:
            if m[1] - m[0] > out[-1][1] - out[-1][0]:
                out[-1] = m
            continue
        out.append(m)
    return out


def test_name_ends_holds_every_name_end_in_the_seeds():
    names = gazetteer().names
    for text in SEED_TEXTS:
        ends = set(name_ends(text))
        for p in range(2, len(text) + 1):
            if any(text[p - n:p] in names for n in range(2, min(MAX_NAME, p) + 1)):
                assert p in ends, text[max(0, p - 14):p]


@pytest.mark.parametrize("index", range(len(SEED_TEXTS)))
def test_mentions_match_a_full_scan_on_the_seeds(index):
    text = SEED_TEXTS[index]
    assert [(m.start, m.end, m.text) for m in find_mentions(text)] == reference_mentions(text)


@QUICK
@given(TEXT, st.integers(0, 10))
def test_mentions_match_a_full_scan(text, cut):
    assert [(m.start, m.end, m.text) for m in find_mentions(text)] == reference_mentions(text)
    start = min(cut, len(text))     # a range of the text, with the page's ends passed in
    sub = [(m.start - start, m.end - start, m.text) for m in
           find_mentions(text, start, len(text), [p for p in name_ends(text) if p >= start + 2])]
    assert sub == reference_mentions(text[start:])
