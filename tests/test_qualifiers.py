"""claims/qualifiers.py: the qualifier written before or after a figure, from qualifiers.tsv."""
from __future__ import annotations

import pytest

from extract.claims.qualifiers import (after_words, before_words, is_round, qualifier_after, qualifier_before,
                                      trailing_words)


@pytest.mark.parametrize("text,qualifier", [
    ("约100", "approx"), ("超过100", "more_than"), ("不少于100", "more_than"), ("将近100", "approx"),
    ("近100", "approx"), ("最近100", None), ("附近100", None), ("至少明确100", "more_than"), ("共100", None),
    ("不到100", "approx"), ("不足100", "approx"), ("跨上100", "more_than"), ("迈上100", "more_than"),
    ("补贴过100", "more_than"), ("参加过100", None), ("培训过100", None), ("通过100", None), ("经过100", None),
])
def test_qualifier_before(text, qualifier):
    assert qualifier_before(text, 0, text.index("1")) == qualifier


@pytest.mark.parametrize("text,value,qualifier", [
    ("小二十万", 200000, "approx"), ("小一千", 1000, "approx"), ("小15万", 150000, "approx"),
    ("小3", 3, None), ("小2345", 2345, None), ("大小30", 30, None), ("老小12", 12, None), ("缩小20", 20, None),
])
def test_qualifier_before_a_round_numeral(text, value, qualifier):
    start = next(i for i, c in enumerate(text) if c in "0123456789一二两三四五六七八九十")
    assert qualifier_before(text, 0, start, value=value) == qualifier


@pytest.mark.parametrize("value,round_", [(10, True), (20, True), (15, True), (200000, True), (150000, True),
                                          (3, False), (2345, False), (125, False), (10.5, False), (None, False)])
def test_is_round(value, round_):
    assert is_round(value) is round_


def test_a_word_cut_off_by_the_clause_start_is_not_read():
    text = "最近100"
    assert qualifier_before(text, 1, 2) == "approx"         # the clause starts after 最: 近 alone


@pytest.mark.parametrize("text,qualifier", [("100人以上", "more_than"), ("100人左右", "approx"), ("100人参加", None)])
def test_qualifier_after(text, qualifier):
    assert qualifier_after(text, text.index("人") + 1) == qualifier


def test_word_lists():
    assert "约" in before_words() and "最近" not in before_words()      # none is no qualifier word
    assert "小" in before_words() and "过" in before_words() and "大小" not in before_words()
    assert set(after_words()) == {"以上", "之上", "左右", "上下"}
    assert trailing_words() == after_words() + ("余", "多")              # not 来: a verb after a unit
