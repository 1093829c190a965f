"""themes.py: themes of claims (tests/cases/themes.tsv), and keyword matching with stdlib re as with regex."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from extract import extract_text

from conftest import QUICK, SEED_TEXTS, mixed_text, read_cases


PIECES, TEXT = mixed_text()


@pytest.mark.parametrize("text,numeral,themes", [pytest.param(*r, id=r[0][:20]) for r in read_cases("themes.tsv")])
def test_theme(text, numeral, themes):
    assert [r["theme"] in themes.split("|") for r in extract_text(text) if r["number_text"] == numeral] == [True]


@pytest.mark.parametrize("text,numeral,themes", [
    # a paragraph that names one keyword once (问题) does not outweigh the article's subject
    ("各地企业加紧生产防护物资，企业复工复产，产能不断提升，订单持续增加。\n"
     "工信部紧急调用了防护服1.4万件。针对护目镜短缺问题，又调拨了一批。", "1.4万", "economy"),
    # one that names its subject several times still does
    ("各地企业加紧生产防护物资，企业复工复产，产能不断提升，订单持续增加。\n"
     "针对群众反映的问题，社区调解纠纷，化解矛盾。工信部紧急调用了防护服1.4万件。", "1.4万", "governance"),
])
def test_theme_of_a_story(text, numeral, themes):
    assert [r["theme"] in themes.split("|") for r in extract_text(text) if r["number_text"] == numeral] == [True]


# ---------------------------------------------------------------- theme keywords

def _theme_matches(pattern, text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


def _keywords() -> list[str]:
    from extract.themes import table

    return sorted(table().theme_of, key=len, reverse=True)


THEME_TEXT = st.lists(st.one_of(st.sampled_from(_keywords()), PIECES), max_size=25).map("".join)


def test_theme_keywords_match_as_with_regex_on_the_seeds():
    """The keyword alternation on stdlib re finds what it found on the `regex` module."""
    import regex

    from extract.themes import table

    old = regex.compile("|".join(map(regex.escape, _keywords())))
    for text in SEED_TEXTS:
        assert _theme_matches(table().pattern, text) == _theme_matches(old, text)


@QUICK
@given(THEME_TEXT)
def test_theme_keywords_match_as_with_regex(text):
    import regex

    from extract.themes import table

    old = regex.compile("|".join(map(regex.escape, _keywords())))
    assert _theme_matches(table().pattern, text) == _theme_matches(old, text)


@QUICK
@given(THEME_TEXT, st.integers(0, 400), st.integers(0, 400))
def test_story_keywords_of_a_span_are_those_of_the_span_alone(text, a, b):
    """Story.keywords reads a clause's keywords from the article's one scan: the scores are
    those of scanning the clause alone, wherever it starts and ends (inside a keyword too)."""
    from extract.themes import Story, keyword_scores

    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    story = Story(text, 0, len(text))
    assert story.keywords(lo, hi) == keyword_scores(text[lo:hi])


@pytest.mark.parametrize("text,lo,hi,shown", [
    ("网格员和网格长，党员干部", 0, 6, None),
    ("网格员和网格长，党员干部", 1, 6, None),          # starts inside 网格员
    ("网格员和网格长，党员干部", 8, 12, None),
    ("社区网\n格员和党员", 0, 10, "社区网格员和党员"),   # a sentence shown without its line break
])
def test_story_keywords_cases(text, lo, hi, shown):
    from extract.themes import Story, keyword_scores

    assert Story(text, 0, len(text)).keywords(lo, hi, shown) == keyword_scores(shown or text[lo:hi])
