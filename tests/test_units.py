"""claims/units.py: the longest unit at a position, and prices per unit."""
from __future__ import annotations

import pytest

from extract.claims.units import match_unit, per_unit, unit_starts


@pytest.mark.parametrize("text,unit,kind,end", [
    ("12平方公里", "平方公里", "area", 6), ("12平方米", "平方米", "area", 5), ("12个", "个", "count", 3),
    ("12％", "%", "percent", 3), ("12年", None, None, None),
])
def test_match_unit(text, unit, kind, end):
    assert match_unit(text, 2) == (None if unit is None else (unit, kind, end))


def test_unit_stops_at_the_bound():
    assert match_unit("12平方公里", 2, 4) is None           # 平方 alone is no unit
    assert match_unit("12平方公里", 2, 6) == ("平方公里", "area", 6)


def test_per_unit():
    text = "30块钱一亩"
    unit, kind, end = match_unit(text, 2)
    assert kind == "money"
    assert per_unit(text, end, len(text), unit) == (f"{unit}/亩", len(text))
    assert per_unit("30元左右", 3, 5, "元") == ("元", 3)


def test_unit_starts():
    assert {"个", "平", "%"} <= unit_starts() and "年" not in unit_starts()
