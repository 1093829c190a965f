"""claims/qualifiers.py: the qualifier written before or after a figure, from qualifiers.tsv."""
from __future__ import annotations

import pytest

from extract.claims.qualifiers import after_words, before_words, qualifier_after, qualifier_before, trailing_words


@pytest.mark.parametrize("text,qualifier", [
    ("约100", "approx"), ("超过100", "more_than"), ("不少于100", "more_than"), ("将近100", "approx"),
    ("近100", "approx"), ("最近100", None), ("附近100", None), ("至少明确100", "more_than"), ("共100", None),
])
def test_qualifier_before(text, qualifier):
    assert qualifier_before(text, 0, text.index("1")) == qualifier


def test_a_word_cut_off_by_the_clause_start_is_not_read():
    text = "最近100"
    assert qualifier_before(text, 1, 2) == "approx"         # the clause starts after 最: 近 alone


@pytest.mark.parametrize("text,qualifier", [("100人以上", "more_than"), ("100人左右", "approx"), ("100人参加", None)])
def test_qualifier_after(text, qualifier):
    assert qualifier_after(text, text.index("人") + 1) == qualifier


def test_word_lists():
    assert "约" in before_words() and "最近" not in before_words()      # none is no qualifier word
    assert set(after_words()) == {"以上", "之上", "左右", "上下"}
    assert trailing_words() == after_words() + ("余", "多")              # not 来: a verb after a unit
