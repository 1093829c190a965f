"""text/articles.py: a newspaper page split into articles (tests/cases/articles.tsv)."""
from __future__ import annotations

import pytest

from extract.text.articles import split_articles

from conftest import ROOT, read_cases


@pytest.mark.parametrize("name,count,titles", [pytest.param(*r, id=r[0][:3]) for r in read_cases("articles.tsv")])
def test_articles(name, count, titles):
    text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
    articles = split_articles(text)
    assert len(articles) == int(count)
    assert [a.title for a in articles[:2]] == titles.split("|")
    assert articles[0].start == 0 and articles[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(articles, articles[1:]))
