"""Themes (GOLD.md's list) for a claim, from keywords in rules/themes.tsv, weighted by
rules/theme_weights.tsv, with hints from units (rules/theme_unit_hints.tsv) and the subject
of the claim's paragraph and article (each theme's share of their keywords)."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .memo import short_text_cache
from .rulefiles import rows, settings
from .text.wordset import alternation

#: theme scores of a text: (theme key, score), in the order the themes first occur
Scores = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ThemeTable:
    order: tuple[str, ...]
    labels: dict[str, str]
    pattern: re.Pattern
    theme_of: dict[str, tuple[str, ...]]
    chars: frozenset[str]               # every character of a keyword


@lru_cache(maxsize=1)
def table() -> ThemeTable:
    order, labels, theme_of = [], {}, {}
    for key, label, words, *_ in rows("themes.tsv"):
        order.append(key)
        labels[key] = label
        for w in words.split(","):
            w = w.strip()
            if w:
                theme_of[w] = theme_of.get(w, ()) + (key,)
    # a longer keyword wins where two start at the same place
    return ThemeTable(tuple(order), labels, re.compile(alternation(theme_of)), theme_of,
                      frozenset("".join(theme_of)))


@short_text_cache(maxsize=4096)
def keyword_scores(text: str) -> Scores:
    """Theme scores of a text from its keywords; a longer keyword weighs more.

    Cached: the sentence and clause of neighbouring claims are the same text."""
    return _keyword_scores(text)


def _ranked(scores: dict[str, float]) -> tuple[str, ...]:
    """Theme keys by score, highest first; ties in the order of themes.tsv."""
    order = table().order
    return tuple(sorted(scores, key=lambda k: (-scores[k], order.index(k))))


def _keyword_scores(text: str) -> Scores:
    return _scores_of(table().pattern.findall(text))


def _scores_of(found: list[str]) -> Scores:
    """Theme scores of the keywords found in a text, in the order they first occur."""
    if not found:
        return ()
    theme_of, weight_of = table().theme_of, _keyword_weights()
    out: dict[str, float] = {}
    # counted first: an article names its few keywords many times
    for word, n in (Counter(found).items() if len(found) > 1 else ((found[0], 1),)):
        weight = n * weight_of[word]
        for key in theme_of[word]:
            out[key] = out.get(key, 0.0) + weight
    return tuple(out.items())


@lru_cache(maxsize=1)
def _keyword_weights() -> dict[str, float]:
    """The weight of one occurrence of each keyword: a longer keyword weighs more."""
    weights = settings("theme_weights.tsv")
    base, per_char = weights["keyword"], weights["keyword_char"]
    return {word: base + per_char * (len(word) - 1) for word in table().theme_of}


def _score(scores: dict[str, float], found: Scores, weight: float) -> None:
    for key, value in found:
        scores[key] = scores.get(key, 0.0) + weight * value


@lru_cache(maxsize=1)
def unit_hints() -> dict[str, tuple[str, float]]:
    return {unit: (theme, float(weight)) for unit, theme, weight, *_ in rows("theme_unit_hints.tsv")}


@lru_cache(maxsize=1)
def carry_words() -> tuple[str, ...]:
    return tuple(word for word, *_ in rows("theme_carry.tsv"))


def carries(clause_head: str) -> bool:
    """Whether a clause, from its start up to a figure, opens with a word of theme_carry.tsv (涉及):
    the figure then measures what the figure before the clause counts, and takes its themes."""
    return clause_head.lstrip().startswith(carry_words())


def carry_themes(done: list, heads: list[tuple[int, bool]]) -> None:
    """A figure in a clause that opens with a carry word (carries: 问题171个，涉及住宅面积1778万平方米)
    takes the themes of the last figure of its sentence before that clause. `done`: (claim, row)
    pairs of a sentence in order; `heads`: where each one's clause starts and whether it carries,
    as (start, carries). The rows are changed in place."""
    for i, ((claim, row), (start, carry)) in enumerate(zip(done, heads)):
        if not carry:
            continue
        before = [r for c, r in done[:i] if c.end <= start]
        if before:
            row["theme"], row["themes"] = before[-1]["theme"], before[-1]["themes"]


def profile(text: str) -> Scores:
    """Each theme's share of the keyword weight in a longer text (a paragraph, an article): the
    story's subject, which tips a claim whose own words are even or silent. A text whose keywords
    weigh less than theme_weights.tsv's profile_full says less: its shares are scaled down in
    proportion (a paragraph that names 问题 once is no story about problems)."""
    return _shares(_keyword_scores(text))


def _shares(scores: Scores) -> Scores:
    """Each theme's share of the weight of `scores`, scaled down below profile_full (see profile)."""
    total = sum(v for _, v in scores)
    full = settings("theme_weights.tsv").get("profile_full", 0.0)
    scale = min(1.0, total / full) if full else 1.0
    return tuple((k, scale * v / total) for k, v in scores) if total else ()


class Story:
    """The subject of one article and of each of its paragraphs. The article's keywords are
    found in one scan; a paragraph's are those of the scan between its line ends (a keyword,
    one field of a rule line, never holds a line break, so none crosses one, and the scan finds
    in a paragraph what a scan of the paragraph alone would). Not through keyword_scores'
    cache: an article is read once, and would only crowd out the sentences and clauses that
    recur."""

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self._at: list[int] = []
        self._found: list[str] = []
        for m in table().pattern.finditer(text, start, end):
            self._at.append(m.start())
            self._found.append(m.group())
        self.article = _shares(_scores_of(self._found))
        self._paragraphs: dict[int, Scores] = {}
        self._spans: dict[tuple[int, int], Scores] = {}

    def keywords(self, lo: int, hi: int, shown: str | None = None) -> Scores:
        """keyword_scores of text[lo:hi], or of `shown` (a sentence as shown: without its line
        breaks) when it differs, read from the article's scan where no keyword can cross lo or
        hi (the scan then finds there what a scan of text[lo:hi] alone would)."""
        if shown is not None and len(shown) != hi - lo:
            return keyword_scores(shown)          # line breaks were taken out: scan it as shown
        if lo < self.start or hi > self.end or self._crossed(lo) or self._crossed(hi):
            return keyword_scores(self.text[lo:hi])
        found = self._spans.get((lo, hi))
        if found is None:
            found = self._spans[(lo, hi)] = _scores_of(
                self._found[bisect_left(self._at, lo):bisect_left(self._at, hi)])
        return found

    def _crossed(self, pos: int) -> bool:
        """Whether a keyword of the article's scan may run across pos (both characters around it
        occur in keywords)."""
        chars = table().chars
        return self.start < pos < self.end and self.text[pos - 1] in chars and self.text[pos] in chars

    def around(self, paragraph_start: int, sentence_end: int) -> tuple[tuple, tuple]:
        """The profiles of the paragraph that starts at paragraph_start and of the article."""
        if paragraph_start not in self._paragraphs:
            end = self.text.find("\n", sentence_end, self.end)
            self._paragraphs[paragraph_start] = _shares(self.keywords(paragraph_start,
                                                                      end if end >= 0 else self.end))
        return self._paragraphs[paragraph_start], self.article

    def main_theme(self) -> str:
        """The theme whose keywords weigh most in the whole article; service when it has none."""
        return (_ranked(dict(self.article)) or ("service",))[0]


NO_STORY: tuple[tuple, tuple] = ((), ())


def themes_for(indicator: str, clause: Scores, sentence: Scores, unit_kind: str, unit: str = "",
               story: tuple[tuple, tuple] = NO_STORY, fallback: Callable[[], str] = lambda: "service") -> list[str]:
    """Theme keys that fit a claim, best first (at most two), from its indicator and the
    keyword_scores of its clause and sentence (Story.keywords). `story`: the profiles of the
    claim's paragraph and article (Story.around); fallback() (the article's main theme) when
    nothing around the claim names one."""
    return list(_themes(indicator, clause, sentence, unit_kind, unit, *story) or (fallback(),))


@short_text_cache(maxsize=16384)
def _themes(indicator: str, clause: Scores, sentence: Scores, unit_kind: str, unit: str,
            paragraph: tuple = (), article: tuple = ()) -> tuple[str, ...]:
    scores: dict[str, float] = {}
    weights = settings("theme_weights.tsv")
    _score(scores, keyword_scores(indicator), weights["indicator"])
    _score(scores, clause, weights["clause"])
    _score(scores, sentence, weights["sentence"])
    # the story's subject adds at most its weight, shared by its themes
    for part, weight in ((paragraph, weights["paragraph"]), (article, weights["article"])):
        for key, share in part if weight else ():
            scores[key] = scores.get(key, 0.0) + weight * share
    for key in (unit_kind, unit):
        hint = unit_hints().get(key)
        if hint:
            scores[hint[0]] = scores.get(hint[0], 0.0) + hint[1]
    return _ranked(scores)[:2]


def label(key: str) -> str:
    return table().labels.get(key, key)
