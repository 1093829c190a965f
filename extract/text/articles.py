"""Splitting a newspaper page into articles, and an article into paragraphs.

A page holds several articles; the place an article is about changes between them.
An article starts at its headline block: the short unpunctuated lines right above a
byline or dateline (本报讯(记者 …), □本报记者 …, 本报北京2月11日电, 新华社呼和浩特…电).
On a page whose paragraphs are indented (U+3000 or spaces, as newspaper archives print
them) a headline is not: there an article also starts at an unindented short line after a
blank line (a kicker, headline or photo title). A credit line (版式设计：…, 本版制图：…) or an
editor's signature (——编 者) ends an article. Text without any of these is one article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..rulefiles import compile_rule, grouped, settings
from .lines import HEADING_MAX, Block, blocks, is_heading

LONG_LINE = HEADING_MAX  # a line this long or longer is a paragraph, not a heading
_SENTENCE_INSIDE = re.compile("[。！？!?；;]")


def _setting(name: str) -> float:
    """A threshold of rules/articles.tsv (indented_share, headline_max, title_lines)."""
    return settings("articles.tsv")[name]


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


def _is(kind: str, line: str) -> bool:
    pattern = _patterns().get(kind)
    return pattern is not None and pattern.search(line) is not None


def is_photo_credit(line: str) -> bool:
    return _is("photo_credit", line)


def is_headline(line: str) -> bool:
    """An unindented line on an indented page that may be a headline: commas allowed
    (看，爸爸的军功章), no sentence end inside, not a salutation ending in a colon (同志们，朋友们：)."""
    return len(line) <= _setting("headline_max") and not _SENTENCE_INSIDE.search(line) and not line.endswith(("：", ":"))


def is_section_marker(line: str) -> bool:
    return _is("section_marker", line)


def _indented(text: str, block: Block) -> bool:
    """Whether the line holding `block` starts with blanks (U+3000, spaces, no-break spaces)."""
    return block.start > 0 and text[block.start - 1] not in "\n"


def _blank_before(text: str, bl: list[Block], i: int) -> bool:
    """Whether an empty (or blank-only) line comes right before block i, or it opens the text."""
    lo = bl[i - 1].end if i else 0
    return i == 0 or text.count("\n", lo, bl[i].start) >= 2


def indented_layout(text: str, bl: list[Block]) -> bool:
    """Whether the text's paragraphs are indented: most of its lines that hold a sentence or are
    of paragraph length start with blanks."""
    paragraphs = [b for b in bl if len(b.text) >= LONG_LINE or _SENTENCE_INSIDE.search(b.text)]
    share = _setting("indented_share")
    return bool(paragraphs) and sum(_indented(text, b) for b in paragraphs) >= share * len(paragraphs)


def split_articles(text: str) -> list[Article]:
    """Articles of a page, in order; together they cover the whole text."""
    bl = blocks(text)
    # each line classified once
    credit = [is_photo_credit(b.text) for b in bl]
    byline_re = _patterns()["byline"]       # a byline ending in 摄 is a photo credit instead
    byline = [not c and byline_re.search(b.text) is not None for b, c in zip(bl, credit)]
    heading = [is_heading(b.text) for b in bl]
    ends = [_is("article_end", b.text) for b in bl]
    indented = indented_layout(text, bl)
    kicker = [indented and not _indented(text, b) and not c and _blank_before(text, bl, i) and is_headline(b.text)
              for i, (b, c) in enumerate(zip(bl, credit))]
    body = [not (h or c or k) for h, c, k in zip(heading, credit, kicker)]

    def photo_story(i: int) -> bool:
        """A photo credit right after a caption paragraph that has a heading of its own."""
        return i >= 2 and not heading[i - 1] and heading[i - 2] and not byline[i - 2] and not credit[i - 2]

    title_lines = _setting("title_lines")
    starts: list[int] = []  # block indexes where an article starts
    text_since = [False]    # whether a body paragraph came since the last start

    def start(i: int) -> None:
        if not starts or i > starts[-1]:
            starts.append(i)
            text_since[0] = False

    for i in range(len(bl)):
        if kicker[i]:
            if starts and kicker[starts[-1]] and not text_since[0] and i - starts[-1] <= title_lines \
                    and all(heading[n] for n in range(starts[-1], i)):
                continue       # a kicker set apart from its headline (内蒙古科右前旗, blank, headline)
            start(i)
        elif i and ends[i - 1] and not ends[i] and heading[i]:
            start(i)           # after 版式设计：… or ——编 者, the next heading opens an article
        elif credit[i] and not indented and photo_story(i) and (not starts or i - 2 > starts[-1]):
            start(i - 2)       # heading, caption, credit: a photo story of its own
            text_since[0] = True
            if i + 1 < len(bl) and not heading[i + 1]:
                start(i + 1)
            continue
        elif byline[i] and (text_since[0] or not starts) and not (heading[i] and i and byline[i - 1]):
            j = i
            # walk up over the headline block (short unpunctuated lines, not photo credits)
            while j - 1 >= 0 and heading[j - 1] and not credit[j - 1] and (not starts or j - 1 > starts[-1]) \
                    and i - (j - 1) <= title_lines:
                j -= 1
            if starts and j == starts[-1] + 1 and all(heading[n] for n in range(starts[-1], i)) \
                    and not kicker[starts[-1]]:
                j = starts[-1]   # the headline block reaches back to the last start: the same article
            start(j)
        if body[i]:
            text_since[0] = True
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    articles = []
    for k, first in enumerate(starts):
        if not bl:
            break
        last = (starts[k + 1] - 1) if k + 1 < len(starts) else len(bl) - 1
        start_at = 0 if k == 0 else bl[first].start
        end = len(text) if k + 1 == len(starts) else bl[starts[k + 1]].start
        title_blocks = []
        for n in range(first, last + 1):
            if kicker[first]:      # an indented page: the unindented lines are the headline
                head = n == first or not _indented(text, bl[n]) and is_headline(bl[n].text)
            else:
                head = heading[n]
            if byline[n] or not head:
                break
            if not credit[n] and not is_section_marker(bl[n].text):
                title_blocks.append(bl[n])
        title = " ".join(b.text for b in title_blocks)
        title_end = title_blocks[-1].end if title_blocks else start_at
        articles.append(Article(len(articles), start_at, end, title, title_end,
                                tuple((b.start, b.end) for b in title_blocks), tuple(bl[first:last + 1])))
    if not articles:
        articles.append(Article(0, 0, len(text), "", 0))
    return articles
