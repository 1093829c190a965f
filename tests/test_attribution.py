"""places/attribution.py: which place a claim is about (tests/cases/places.tsv), and the place moving between articles."""
from __future__ import annotations

import pytest

from extract import extract_text

from conftest import read_cases


@pytest.mark.parametrize("text,numeral,county,city,note",
                         [pytest.param(*r, id=r[0][:14]) for r in read_cases("places.tsv")])
def test_place(text, numeral, county, city, note):
    rows = [r for r in extract_text(text) if r["number_text"] == numeral]
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["county_code"] == ("" if county == "-" else county)
    assert row["city_code"] == ("" if city == "-" else city)
    if note == "-":
        assert row["place_note"] == ""
    else:
        assert note in row["place_note"]


def test_place_moves_between_articles():
    text = ("赛罕区建设幸福院\n\n本报讯(记者 甲)赛罕区建成12间房。\n\n"
            "库伦旗学党史\n\n本报讯(记者 乙)库伦旗抽调10名骨干。")
    rows = extract_text(text)
    assert [(r["number_text"], r["county_code"], r["article_index"]) for r in rows] == [
        ("12", "150105", 0), ("10", "150524", 1)]
