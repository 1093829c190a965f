"""Qualifiers: the words around a numeral that say its value is more than or about the figure.

They are read from rules/qualifiers.tsv by where they are written: right before the numeral
(约, 超过), before it or a short verb before it (至少明确一名), right before a round numeral
only (小二十万), right before the numeral and right after a noun (补贴过10亿元, not the
aspect 过 of 参加过3次), between the numeral and its unit (530余件, 100来亩) and right after
the unit (以上, 左右). A word written before a numeral with the qualifier `none` (最近,
附近) is no qualifier, though it ends in one (近).
Claims read the qualifier of each figure here; the indicator stage reads the same words to
keep them out of what is counted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..rulefiles import compile_rule, grouped, rows

BEFORE_VERB = 4     # at most this many characters (a verb) between 至少 and the numeral
NOUN_SPAN = 8       # characters before an after_noun word that are tagged to find the noun


@dataclass(frozen=True)
class Qualifiers:
    before: dict[str, str]                      # word -> qualifier ("none": no qualifier)
    before_lengths: tuple[int, ...]             # lengths of the before words, longest first
    before_verb: tuple[tuple[re.Pattern, str, int], ...]   # (pattern, qualifier, longest match)
    between: dict[str, str]                     # one character between numeral and unit
    after: tuple[tuple[str, str], ...]          # (word, qualifier), longest first
    after_words: tuple[str, ...]                # after's words, for one startswith call
    bare: dict[str, str]                        # word -> qualifier of a bare magnitude after it: 上千
    before_round: dict[str, str]                # word -> qualifier right before a round numeral: 小二十万
    after_noun: dict[str, str]                  # word -> qualifier between a noun and the numeral: 补贴过


@lru_cache(maxsize=1)
def qualifiers() -> Qualifiers:
    lines = rows("qualifiers.tsv")
    before = sorted(((w, q) for w, where, q in lines if where == "before"), key=lambda x: -len(x[0]))
    after = tuple(sorted(((w, q) for w, where, q in lines if where == "after"), key=lambda x: -len(x[0])))
    verb = tuple((compile_rule(rf"{w}[\u4e00-\u9fff]{{0,{BEFORE_VERB}}}$"), q, len(w) + BEFORE_VERB)
                 for w, where, q in lines if where == "before_verb")
    return Qualifiers(dict(before), tuple(sorted({len(w) for w, _ in before}, reverse=True)), verb,
                      {w: q for w, where, q in lines if where == "between"}, after, tuple(w for w, _ in after),
                      {w: q for w, where, q in lines if where == "bare"},
                      {w: q for w, where, q in lines if where == "before_round"},
                      {w: q for w, where, q in lines if where == "after_noun"})


@lru_cache(maxsize=1)
def bare_words() -> tuple[str, ...]:
    """The words that make a bare magnitude after them a numeral (近千次, 上千亩), longest first."""
    return tuple(sorted(qualifiers().bare, key=len, reverse=True))


@lru_cache(maxsize=1)
def before_words() -> tuple[str, ...]:
    """The words that qualify a numeral written right before it (约, 接近, 超过, 小二十万的小,
    补贴过10亿元的过 …)."""
    q = qualifiers()
    return tuple(w for w, qual in q.before.items() if qual != "none") + tuple(q.before_round) + tuple(q.after_noun)


def after_words() -> tuple[str, ...]:
    """The words that qualify a figure written right after its unit (以上, 左右 …), longest first."""
    return qualifiers().after_words


@lru_cache(maxsize=1)
def trailing_words() -> tuple[str, ...]:
    """Qualifier words that may stand right after a unit, and so are never the start of what is
    counted: the after words (以上, 左右) and the more_than words otherwise written between the
    numeral and its unit (余, 多: 十斤多). Not 来: after a unit it is a verb (200人来参加)."""
    q = qualifiers()
    return q.after_words + tuple(w for w, qual in q.between.items() if qual == "more_than")


def is_round(value: float | None) -> bool:
    """A round numeral: a whole number of at least 10 with one or two significant digits
    (二十万, 一千, 15万), as 小 takes it (小二十万元); not 3 (大小3个) nor 2345."""
    if value is None or value < 10 or value != int(value):
        return False
    n = int(value)
    while n % 10 == 0:
        n //= 10
    return n < 100


def after_noun(text: str, lo: int, start: int, word: str) -> bool:
    """text[:start] ends in `word` as a word of its own, right after a noun (part-of-speech tags:
    rules/pos_tags.tsv's noun set less its modifier set): 补贴过 (补贴 n, 过); not 参加过
    (参加 v), 培训过 (培训 vn: a verbal noun is a verb here) nor 通过 (one word)."""
    from ..indicators.tagger import tag       # the tagger loads only when such a word is there
    tokens = tag(text[max(lo, start - len(word) - NOUN_SPAN):start])
    return len(tokens) >= 2 and tokens[-1][0] == word and tokens[-2][1] in noun_tags()


@lru_cache(maxsize=1)
def noun_tags() -> frozenset[str]:
    sets = grouped("pos_tags.tsv")
    return frozenset(sets.get("noun", ())) - frozenset(sets.get("modifier", ()))


def qualifier_before(text: str, lo: int, start: int, bare: bool = False,
                     value: float | None = None) -> str | None:
    """The qualifier written right before the numeral at `start` (longest word first), not
    before lo; None when there is none. `bare`: the numeral is a bare magnitude (上千), whose
    word is read from the bare words. `value`: the numeral's value, for the words that qualify
    a round numeral only (小二十万)."""
    q = qualifiers()
    if bare:
        for word in bare_words():
            if start - len(word) >= lo and text.startswith(word, start - len(word)):
                return q.bare[word]
    for length in q.before_lengths:
        s = start - length
        if s >= lo:
            qual = q.before.get(text[s:start])
            if qual is not None:
                return None if qual == "none" else qual
    if is_round(value):
        for word, qual in q.before_round.items():
            if start - len(word) >= lo and text.startswith(word, start - len(word)):
                return qual
    for word, qual in q.after_noun.items():
        s = start - len(word)
        if s >= lo and text.startswith(word, s) and after_noun(text, lo, start, word):
            return qual
    for pattern, qual, span in q.before_verb:
        if pattern.search(text, max(lo, start - span), start):
            return qual
    return None


def qualifier_after(text: str, pos: int) -> str | None:
    """The qualifier written right after a unit that ends at `pos`, or None."""
    q = qualifiers()
    if not text.startswith(q.after_words, pos):      # one C call rules most out
        return None
    for word, qual in q.after:
        if text.startswith(word, pos):
            return qual
    return None
