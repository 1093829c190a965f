"""What kind of figure a claim is: stock, flow, change, target or forecast.

The words that decide are data (rules/kind_words.tsv, with its decision order). Targets
and forecasts are kept as rows; the dashboard leaves them out of sums by default.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from ..rulefiles import compile_rule
from ..ruleschema import DATA, Field, read_rules
from ..text.sentences import clause_start
from ..text.wordset import alternation

KINDS = ("stock", "flow", "change", "target", "forecast")
NEAR_CHARS = 24


@dataclass(frozen=True)
class KindRules:
    near: tuple          # (kind, compiled, where) for where in near/after/around, file order
    any_near: tuple      # all of them over before + "#" + after, one pattern per engine (re, regex): most claims match none
    plans: tuple         # (kind, compiled, clause only): target and forecast words
    actual: object       # compiled: words that make what follows them achieved
    verbs: object        # compiled alternation with one named group per kind (stock, flow)
    verb_kind: dict      # word -> kind
    nouns: object        # compiled: nouns a verb word may sit in (服务中心): no verb there
    units: dict          # unit or "kind:<unit kind>" -> kind


@lru_cache(maxsize=1)
def kind_rules(name: str = "kind_words.tsv", folder: Path | None = None) -> KindRules:
    """rules/kind_words.tsv (or folder/name), checked (RuleError with the file and line) and compiled."""
    rows = read_rules(name, (Field("kind", KINDS + ("actual", "noun")),
                             Field("where", ("sentence", "clause", "near", "after", "around", "verb", "unit")),
                             Field("pattern"), Field("note", optional=True)),
                      folder or DATA, check=_check)
    near, plans, actual, verb_kind, units, nouns = [], [], [], {}, {}, []
    for r in rows:
        kind, where, pattern = r["kind"], r["where"], r["pattern"]
        if where in ("near", "after", "around"):
            near.append((kind, compile_rule(pattern), where))
        elif where in ("sentence", "clause"):
            if kind == "actual":
                actual.append((kind, compile_rule(pattern)))
            else:
                plans.append((kind, compile_rule(pattern), where == "clause"))
        elif kind == "noun":
            nouns.append(pattern)
        elif where == "verb":
            for word in pattern.split("|"):
                verb_kind.setdefault(word, kind)
        else:
            units[pattern] = kind
    verbs = compile_rule(alternation(verb_kind)) if verb_kind else None
    act = compile_rule("|".join(f"(?:{p.pattern})" for _, p in actual)) if actual else None
    noun = compile_rule("|".join(f"(?:{p})" for p in nouns)) if nouns else None
    return KindRules(tuple(near), _any_near(near), tuple(plans), act, verbs, verb_kind, noun, units)


def _any_near(near) -> tuple:
    """Patterns that match before + "#" + after wherever some near/after/around rule would (a
    quick check: the rules are then tried in file order). A near rule ends at the claim, an
    after rule starts right after it. The rules that re compiles are joined into one pattern for
    re, the others (\\p{Han}) into one for regex: re runs its share several times faster, and
    the regex pattern is left with only the rules that need it."""
    parts: dict[bool, list[str]] = {True: [], False: []}
    for _, pattern, where in near:
        body = pattern.pattern
        if where == "near":
            part = f"(?:{body[:-1] if body.endswith('$') else body})#" if body.endswith("$") else f"(?:{body})"
        elif where == "after":
            part = f"#(?:{body[1:] if body.startswith('^') else body})"
        else:
            part = f"(?:{body})"
        parts[isinstance(pattern, re.Pattern)].append(part)
    return tuple(compile_rule("|".join(ps)) for ps in (parts[True], parts[False]) if ps)


def _check(row: dict) -> str | None:
    if row["kind"] == "noun" and row["where"] != "verb":
        return "noun rules go with where = verb"
    if row["kind"] == "actual" and row["where"] != "sentence":
        return "actual words are read in the sentence only"
    if row["where"] in ("sentence", "clause") and row["kind"] not in ("target", "forecast", "actual"):
        return "sentence and clause rules are for target, forecast or actual words"
    if row["where"] != "unit":
        try:
            regex.compile(row["pattern"])
        except regex.error as exc:
            return f"pattern does not compile: {exc}"
    return None


def kind_of(text: str, sentence_start: int, start: int, end: int, unit: str, unit_kind: str,
            future: bool = False) -> str:
    """The kind of the claim text[start:end] (numeral at start) in the sentence starting at
    sentence_start; `future`: its period starts after the date published (a target)."""
    r = kind_rules()
    before = text[max(sentence_start, start - NEAR_CHARS):start]
    after = text[end:end + NEAR_CHARS]
    clause = clause_start(text, sentence_start, start)
    plan = _plan(text, sentence_start, start, r, clause)
    if plan:
        return plan
    around = before + "#" + after
    for kind, pattern, where in (r.near if any(p.search(around) for p in r.any_near) else ()):
        if where == "near":
            hit = pattern.search(before)
        elif where == "after":
            hit = pattern.match(after)
        else:
            hit = pattern.search(around)
        if hit:
            return kind
    if future:
        return "target"
    if unit in r.units:               # a unit of its own kind (人次, 个百分点) decides before any verb
        return r.units[unit]
    if r.verbs is not None:
        masked = [(m.start(), m.end()) for m in r.nouns.finditer(text, clause, start)] if r.nouns else []
        last = None
        for m in r.verbs.finditer(text, clause, start):
            if not any(a <= m.start() < b for a, b in masked):
                last = m
        if last is not None:
            return r.verb_kind[last.group()]
    if "/" in unit and "kind:price" in r.units:
        return r.units["kind:price"]
    return r.units.get(f"kind:{unit_kind}", "stock")


def _plan(text: str, lo: int, start: int, r: KindRules, clause: int) -> str:
    """target or forecast when such a word stands before the numeral in its sentence with no
    word of achievement (已, 目前 …) after it; else empty."""
    best, at = "", -1
    for kind, pattern, clause_only in r.plans:
        for m in pattern.finditer(text, clause if clause_only else lo, start):
            if m.start() > at:
                best, at = kind, m.end()
    if not best:
        return ""
    if r.actual is not None and r.actual.search(text, at, start):
        return ""
    return best
