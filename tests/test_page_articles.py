"""Table-driven checks of article splitting on real page forms (tests/cases/page_articles.tsv),
of scope words (tests/cases/scopes.tsv) and of places named in another role (place_roles.tsv)."""
from __future__ import annotations

import re

import pytest

from extract import extract_text
from extract.text.articles import split_articles
from conftest import read_cases

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrt\\])")


def unescape(field: str) -> str:
    """A case file's text field: \\n, \\r, \\t, \\\\ and \\uXXXX written as escapes."""
    simple = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}
    return _ESCAPE.sub(lambda m: simple.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), field)


@pytest.mark.parametrize("case,text,count,titles",
                         [pytest.param(*r, id=r[0]) for r in read_cases("page_articles.tsv")])
def test_page_articles(case, text, count, titles):
    text = unescape(text)
    for variant in (text, text.replace("\r\n", "\n")):       # as given, and as read in text mode
        articles = split_articles(variant)
        assert [a.title for a in articles] == ["" if t == "-" else t for t in titles.split("|")]
        assert len(articles) == int(count)
        assert articles[0].start == 0 and articles[-1].end == len(variant)
        assert all(a.end == b.start for a, b in zip(articles, articles[1:]))


@pytest.mark.parametrize("case,text,numeral,scope,province,city,county",
                         [pytest.param(*r, id=r[0]) for r in read_cases("scopes.tsv")])
def test_scope(case, text, numeral, scope, province, city, county):
    rows = [r for r in extract_text(unescape(text)) if r["number_text"] == numeral]
    assert len(rows) == 1, rows
    row = rows[0]
    got = (row["scope"], row["province_code"], row["city_code"], row["county_code"])
    assert got == tuple("" if v == "-" else v for v in (scope, province, city, county))
