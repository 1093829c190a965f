"""Table-driven checks of place resolution (tests/cases/places.tsv) and article splitting."""
from __future__ import annotations

import pytest

from extract import extract_text
from extract.text.articles import split_articles
from extract.places.gazetteer import autonomous_short_forms, gazetteer
from tests.conftest import ROOT, read_cases


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


@pytest.mark.parametrize("name,form", [pytest.param(*r, id=r[0]) for r in read_cases("autonomous_forms.tsv")])
def test_autonomous_short_form(name, form):
    assert autonomous_short_forms(name) == ([] if form == "-" else [form])


def test_autonomous_short_forms_name_their_county_or_are_flagged():
    gz = gazetteer()
    for d in gz.divisions.values():
        for form in autonomous_short_forms(d.name) if d.level == "county" else ():
            codes = {c.code for c in gz.names[form]}
            assert d.code in codes
            assert len(codes) == 1 or form in gz.ambiguous_aliases, form


@pytest.mark.parametrize("name,count,titles", [pytest.param(*r, id=r[0][:3]) for r in read_cases("articles.tsv")])
def test_articles(name, count, titles):
    text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
    articles = split_articles(text)
    assert len(articles) == int(count)
    assert [a.title for a in articles[:2]] == titles.split("|")
    assert articles[0].start == 0 and articles[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(articles, articles[1:]))


def test_place_moves_between_articles():
    text = ("赛罕区建设幸福院\n\n本报讯(记者 甲)赛罕区建成12间房。\n\n"
            "库伦旗学党史\n\n本报讯(记者 乙)库伦旗抽调10名骨干。")
    rows = extract_text(text)
    assert [(r["number_text"], r["county_code"], r["article_index"]) for r in rows] == [
        ("12", "150105", 0), ("10", "150524", 1)]
