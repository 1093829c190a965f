"""Splitting a newspaper page into articles, and an article into paragraphs.

A page holds several articles; the place an article is about changes between them.
An article starts at its headline block: the short unpunctuated lines right above a
byline (本报讯(记者 …), □本报记者 …). Text without bylines is one article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..rulefiles import compile_rule, grouped
from .lines import Block, blocks, is_heading


@dataclass(frozen=True)
class Article:
    index: int
    start: int
    end: int
    title: str
    title_end: int  # offset where the headline block ends (the lead starts after it)
    title_spans: tuple[tuple[int, int], ...] = ()   # the headline lines, as offsets
    lines: tuple[Block, ...] = ()   # the article's non-empty lines (absolute offsets)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    """One alternation per kind of line: a single search per line instead of one per rule."""
    return {kind: compile_rule("|".join(f"(?:{p})" for p in ps)) for kind, ps in grouped("bylines.tsv").items()}


def is_photo_credit(line: str) -> bool:
    return _patterns()["photo_credit"].search(line) is not None


def is_section_marker(line: str) -> bool:
    return _patterns()["section_marker"].search(line) is not None


def split_articles(text: str) -> list[Article]:
    """Articles of a page, in order; together they cover the whole text."""
    bl = blocks(text)
    # each line classified once
    credit = [is_photo_credit(b.text) for b in bl]
    byline_re = _patterns()["byline"]       # a byline ending in 摄 is a photo credit instead
    byline = [not c and byline_re.search(b.text) is not None for b, c in zip(bl, credit)]
    heading = [is_heading(b.text) for b in bl]

    def photo_story(i: int) -> bool:
        """A photo credit right after a caption paragraph that has a heading of its own."""
        return i >= 2 and not heading[i - 1] and heading[i - 2] and not byline[i - 2] and not credit[i - 2]

    starts: list[int] = []  # block indexes where an article starts
    for i in range(len(bl)):
        if credit[i] and photo_story(i) and (not starts or i - 2 > starts[-1]):
            starts.append(i - 2)  # heading, caption, credit: a photo story of its own
            if i + 1 < len(bl) and not heading[i + 1]:
                starts.append(i + 1)
            continue
        if not byline[i]:
            continue
        j = i
        # walk up over the headline block (short unpunctuated lines, not photo credits)
        while j - 1 >= 0 and heading[j - 1] and (not starts or j - 1 > starts[-1]) \
                and i - (j - 1) <= 4:
            j -= 1
        starts.append(j)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    articles = []
    for k, first in enumerate(starts):
        if not bl:
            break
        last = (starts[k + 1] - 1) if k + 1 < len(starts) else len(bl) - 1
        start = 0 if k == 0 else bl[first].start
        end = len(text) if k + 1 == len(starts) else bl[starts[k + 1]].start
        title_blocks = []
        for n in range(first, last + 1):
            if byline[n] or not heading[n]:
                break
            if not credit[n] and not is_section_marker(bl[n].text):
                title_blocks.append(bl[n])
        title = " ".join(b.text for b in title_blocks)
        title_end = title_blocks[-1].end if title_blocks else start
        articles.append(Article(len(articles), start, end, title, title_end,
                                tuple((b.start, b.end) for b in title_blocks), tuple(bl[first:last + 1])))
    if not articles:
        articles.append(Article(0, 0, len(text), "", 0))
    return articles
