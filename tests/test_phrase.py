"""indicators/phrase.py: what a claim counts (tests/cases/indicators.tsv), and the windows it is read from."""
from __future__ import annotations

import unicodedata

import pytest

from extract import extract_text
from extract.indicators.phrase import STOP_CHARS, _clip_left, _clip_patterns, _clip_right

from conftest import read_cases


@pytest.mark.parametrize("text,numeral,indicator", [pytest.param(*r, id=r[0][:20]) for r in read_cases("indicators.tsv")])
def test_indicator(text, numeral, indicator):
    assert [r["indicator"] for r in extract_text(text) if r["number_text"] == numeral] == [indicator]


# ---------------------------------------------------------------- indicator windows

def test_window_class_is_the_character_test_it_replaced():
    """The clip regex accepts exactly the characters the old loop accepted, over every character
    of Python's Unicode version; `regex` may know digits of a newer version (Garay, 0x10D40),
    which it rightly stops at."""
    window = _clip_patterns()[0]
    newer = []
    for code in range(0x110000):
        ch = chr(code)
        old = not (ch in STOP_CHARS or ch.isdigit() or ch <= " ")
        if bool(window.fullmatch(ch)) != old:
            assert old and unicodedata.category(ch) == "Cn", hex(code)
            newer.append(code)
    assert len(newer) < 200


@pytest.mark.parametrize("text,pos,right,left", [
    ("建成2610个党群服务中心，选派楼栋长", 7, "党群服务中心", "建成2610个"[-1:]),
    ("化解各类矛盾纠纷530余件", 8, "530余件"[:0], "化解各类矛盾纠纷"),
    ("①网格员836名②", 1, "网格员", ""),
    ("一二三四五六七八九十一二三四五六七八九十", 0, "一二三四五六七八九十一二三四", ""),
])
def test_window_clips(text, pos, right, left):
    assert _clip_right(text, pos, len(text)) == right
    assert _clip_left(text, pos, 0) == left
