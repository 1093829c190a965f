"""Themes (GOLD.md's list) for a claim, from keywords in rules/themes.tsv, weighted by
rules/theme_weights.tsv, with hints from units (rules/theme_unit_hints.tsv)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .memo import short_text_cache
from .rulefiles import rows, settings


@dataclass(frozen=True)
class ThemeTable:
    order: tuple[str, ...]
    labels: dict[str, str]
    pattern: re.Pattern
    theme_of: dict[str, tuple[str, ...]]


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
    # longest first, so a longer keyword wins where two start at the same place
    words = sorted(theme_of, key=len, reverse=True)
    return ThemeTable(tuple(order), labels, re.compile("|".join(map(re.escape, words))), theme_of)


@short_text_cache(maxsize=4096)
def keyword_scores(text: str) -> tuple[tuple[str, float], ...]:
    """Theme scores of a text from its keywords; a longer keyword weighs more.

    Cached: the sentence and clause of neighbouring claims are the same text."""
    return _keyword_scores(text)


def main_theme(text: str) -> str:
    """The theme whose keywords weigh most in a whole article; service when it has none.
    Not through keyword_scores' cache: each article is read once, and would only crowd out
    the sentences and clauses that recur."""
    return (_ranked(dict(_keyword_scores(text))) or ("service",))[0]


def _ranked(scores: dict[str, float]) -> tuple[str, ...]:
    """Theme keys by score, highest first; ties in the order of themes.tsv."""
    order = table().order
    return tuple(sorted(scores, key=lambda k: (-scores[k], order.index(k))))


def _keyword_scores(text: str) -> tuple[tuple[str, float], ...]:
    t = table()
    weights = settings("theme_weights.tsv")
    base, per_char = weights["keyword"], weights["keyword_char"]
    out: dict[str, float] = {}
    for m in t.pattern.finditer(text):
        for key in t.theme_of[m.group()]:
            out[key] = out.get(key, 0.0) + base + per_char * (len(m.group()) - 1)
    return tuple(out.items())


def _score(scores: dict[str, float], text: str, weight: float) -> None:
    for key, value in keyword_scores(text):
        scores[key] = scores.get(key, 0.0) + weight * value


@lru_cache(maxsize=1)
def unit_hints() -> dict[str, tuple[str, float]]:
    return {unit: (theme, float(weight)) for unit, theme, weight, *_ in rows("theme_unit_hints.tsv")}


def themes_for(indicator: str, clause: str, sentence: str, unit_kind: str, unit: str = "",
               fallback: Callable[[], str] = lambda: "service") -> list[str]:
    """Theme keys that fit a claim, best first (at most two); fallback() (the article's
    main_theme, asked only then) when nothing around the claim names one."""
    return list(_themes(indicator, clause, sentence, unit_kind, unit) or (fallback(),))


@short_text_cache(maxsize=16384)
def _themes(indicator: str, clause: str, sentence: str, unit_kind: str, unit: str) -> tuple[str, ...]:
    scores: dict[str, float] = {}
    weights = settings("theme_weights.tsv")
    _score(scores, indicator, weights["indicator"])
    _score(scores, clause, weights["clause"])
    _score(scores, sentence, weights["sentence"])
    for key in (unit_kind, unit):
        hint = unit_hints().get(key)
        if hint:
            scores[hint[0]] = scores.get(hint[0], 0.0) + hint[1]
    return _ranked(scores)[:2]


def label(key: str) -> str:
    return table().labels.get(key, key)
