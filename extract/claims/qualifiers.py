"""Qualifiers: the words around a numeral that say its value is more than or about the figure.

They are read from rules/qualifiers.tsv by where they are written: right before the numeral
(约, 超过), before it or a short verb before it (至少明确一名), between the numeral and its
unit (530余件, 100来亩) and right after the unit (以上, 左右). A word written before a
numeral with the qualifier `none` (最近, 附近) is no qualifier, though it ends in one (近).
Claims read the qualifier of each figure here; the indicator stage reads the same words to
keep them out of what is counted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..rulefiles import compile_rule, rows

BEFORE_VERB = 4     # at most this many characters (a verb) between 至少 and the numeral


@dataclass(frozen=True)
class Qualifiers:
    before: dict[str, str]                      # word -> qualifier ("none": no qualifier)
    before_lengths: tuple[int, ...]             # lengths of the before words, longest first
    before_verb: tuple[tuple[re.Pattern, str, int], ...]   # (pattern, qualifier, longest match)
    between: dict[str, str]                     # one character between numeral and unit
    after: tuple[tuple[str, str], ...]          # (word, qualifier), longest first
    after_words: tuple[str, ...]                # after's words, for one startswith call
    bare: dict[str, str]                        # word -> qualifier of a bare magnitude after it: 上千


@lru_cache(maxsize=1)
def qualifiers() -> Qualifiers:
    lines = rows("qualifiers.tsv")
    before = sorted(((w, q) for w, where, q in lines if where == "before"), key=lambda x: -len(x[0]))
    after = tuple(sorted(((w, q) for w, where, q in lines if where == "after"), key=lambda x: -len(x[0])))
    verb = tuple((compile_rule(rf"{w}[\u4e00-\u9fff]{{0,{BEFORE_VERB}}}$"), q, len(w) + BEFORE_VERB)
                 for w, where, q in lines if where == "before_verb")
    return Qualifiers(dict(before), tuple(sorted({len(w) for w, _ in before}, reverse=True)), verb,
                      {w: q for w, where, q in lines if where == "between"}, after, tuple(w for w, _ in after),
                      {w: q for w, where, q in lines if where == "bare"})


@lru_cache(maxsize=1)
def bare_words() -> tuple[str, ...]:
    """The words that make a bare magnitude after them a numeral (近千次, 上千亩), longest first."""
    return tuple(sorted(qualifiers().bare, key=len, reverse=True))


@lru_cache(maxsize=1)
def before_words() -> tuple[str, ...]:
    """The words that qualify a numeral written right before it (约, 接近, 超过 …)."""
    return tuple(w for w, q in qualifiers().before.items() if q != "none")


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


def qualifier_before(text: str, lo: int, start: int, bare: bool = False) -> str | None:
    """The qualifier written right before the numeral at `start` (longest word first), not
    before lo; None when there is none. `bare`: the numeral is a bare magnitude (上千), whose
    word is read from the bare words."""
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
