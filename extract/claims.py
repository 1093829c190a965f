"""Claims: a numeral with its unit and qualifier that reports how many or how much.

Which numerals count is data: units (data/units.tsv), qualifiers (data/qualifiers.tsv)
and out-of-scope patterns such as dates, ages, ordinals and slogans (data/exclusions.tsv).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .datafiles import compile_rule, rows
from .numbers import Numeral, find_numerals

WINDOW = 16
BEFORE_VERB = 4     # at most this many characters (a verb) between 至少 and the numeral
SPACES = " \u3000\xa0"     # blanks a number may be set apart by, as stored: 38037 名
PUNCT = set("，,。；;：:！!？?、）)”’】」 \n\t")


class RawClaim(NamedTuple):
    start: int          # numeral start (absolute offset)
    end: int            # end of the unit (absolute offset): text[start:end] is e.g. 530余件
    number_text: str
    value: float
    unit: str
    unit_kind: str
    qualifier: str      # exact, more_than, approx
    unit_start: int
    chinese: bool


@dataclass(frozen=True)
class Rules:
    before: tuple
    after: tuple
    chinese_before: tuple
    chinese_after: tuple
    chinese_units: frozenset
    chinese_numeral: tuple
    qual_before: tuple[tuple[str, str], ...]   # longest first
    qual_after: tuple[tuple[str, str], ...]
    qual_after_words: tuple[str, ...]        # qual_after's words, for one startswith call
    unit_starts: frozenset[str]   # units_at's keys and qual_between's words, for find_numerals' chinese_next
    units_at: dict[str, tuple[tuple[str, str, str], ...]]   # first char -> (written, unit, kind), longest first
    qual_before_words: dict[str, str]
    qual_before_lengths: tuple[int, ...]   # longest first
    unit_needs_before: dict[str, object]   # unit -> regex the text before the numeral must match
    qual_between: dict[str, str]   # one character between numeral and unit: 余/多 more_than, 来 approx
    qual_before_verb: tuple   # (regex, qualifier, longest match): a word before the numeral or a short verb before it (至少明确一名)


def _units_by_first(units: dict[str, tuple[str, str]]) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Units grouped by their first character, longest first: one dictionary look-up tells
    that the character after most numerals (年, 月, 是 …) starts no unit."""
    out: dict[str, list] = {}
    for written in sorted(units, key=len, reverse=True):
        out.setdefault(written[0], []).append((written, *units[written]))
    return {ch: tuple(v) for ch, v in out.items()}


@lru_cache(maxsize=1)
def rules() -> Rules:
    units = {r[0]: (r[1], r[2]) for r in rows("units.tsv")}
    by_side: dict[str, list] = {}
    needs: dict[str, list[str]] = {}
    for side, pattern, *rest in rows("exclusions.tsv"):
        if side == "unit_needs_before":       # unit, regex, reason
            needs.setdefault(pattern, []).append(rest[0])
        else:
            by_side.setdefault(side, []).append(pattern)
    # one alternation per side: a single regex call per numeral instead of one per rule
    comp = lambda side: tuple(compile_rule("|".join(f"(?:{p})" for p in by_side[side]))
                              for _ in [0] if by_side.get(side))
    units_at = _units_by_first(units)
    quals = rows("qualifiers.tsv")
    qb = tuple(sorted(((w, q) for w, where, q in quals if where == "before"), key=lambda x: -len(x[0])))
    qa = tuple(sorted(((w, q) for w, where, q in quals if where == "after"), key=lambda x: -len(x[0])))
    between = {w: q for w, where, q in quals if where == "between"}
    verb = tuple((compile_rule(rf"{w}[\u4e00-\u9fff]{{0,{BEFORE_VERB}}}$"), q, len(w) + BEFORE_VERB)
                 for w, where, q in quals if where == "before_verb")
    return Rules(comp("before"), comp("after"), comp("chinese_before"),
                 comp("chinese_after"), frozenset(by_side.get("chinese_unit", [])),
                 comp("chinese_numeral"), qb, qa, tuple(w for w, _ in qa),
                 frozenset(units_at) | frozenset(between), units_at, dict(qb), tuple(sorted({len(w) for w, _ in qb}, reverse=True)),
                 {u: compile_rule("|".join(f"(?:{p})" for p in ps)) for u, ps in needs.items()}, between, verb)


def match_unit(text: str, pos: int, hi: int | None = None) -> tuple[str, str, int] | None:
    """The longest unit written at text[pos:hi], as (unit, kind, end)."""
    hi = len(text) if hi is None else hi
    if pos >= hi:
        return None
    for written, unit, kind in rules().units_at.get(text[pos], ()):
        end = pos + len(written)
        if end <= hi and text.startswith(written, pos):
            return unit, kind, end
    return None


def _excluded(n: Numeral, text: str, lo: int, after_pos: int) -> bool:
    r = rules()
    before = text[max(lo, n.start - WINDOW):n.start]
    after = text[after_pos:after_pos + WINDOW]
    # plain loops over the (one-alternation) patterns: this runs for every numeral with a unit
    for p in r.before:
        if p.search(before):
            return True
    for p in r.after:
        if p.match(after):
            return True
    if n.chinese:
        for p in r.chinese_numeral:
            if p.search(n.text):
                return True
        for p in r.chinese_before:
            if p.search(before):
                return True
        follow = text[n.end:n.end + WINDOW]   # a slice: the rules are anchored with ^
        for p in r.chinese_after:
            if p.match(follow):
                return True
    return False


def _qualifier_before(text: str, lo: int, start: int) -> str | None:
    """The qualifier written right before the numeral (longest word first)."""
    r = rules()
    for length in r.qual_before_lengths:
        s = start - length
        if s >= lo:
            qual = r.qual_before_words.get(text[s:start])
            if qual is not None:
                if length == 1 and text[s] == "近" and s > lo and text[s - 1] in "最附邻亲将接":
                    return None       # 最近, 附近, 将近 …: not a qualifier
                return qual
    for pattern, qual, span in r.qual_before_verb:
        if pattern.search(text, max(lo, start - span), start):
            return qual
    return None


def claims_in_sentences(text: str, bounds: list[tuple[int, int]]) -> list[list[RawClaim]]:
    """find_claims of each sentence text[lo:hi] of `bounds` (in order, not overlapping), from
    one numeral scan over them all instead of one per sentence: most sentences hold none."""
    if not bounds:
        return []
    groups: list[list[Numeral] | None] = [[] for _ in bounds]
    starts = [lo for lo, _ in bounds]
    for n in find_numerals(text, bounds[0][0], bounds[-1][1], rules().unit_starts):
        k = bisect_right(starts, n.start) - 1
        if k < 0 or groups[k] is None:
            continue
        if n.end <= bounds[k][1]:
            groups[k].append(n)
        else:       # across a sentence end (sentences end at punctuation, so never seen): rescan
            groups[k] = None
    return [find_claims(text, lo, hi, found) if found is None or found else []
            for (lo, hi), found in zip(bounds, groups)]


def find_claims(text: str, lo: int = 0, hi: int | None = None,
                numerals: list[Numeral] | None = None) -> list[RawClaim]:
    """Claims whose numeral lies in text[lo:hi] (a sentence), with absolute offsets
    (`numerals`: that sentence's find_numerals, when the caller has them)."""
    hi = len(text) if hi is None else hi
    r = rules()
    out: list[RawClaim] = []
    if numerals is None:
        numerals = find_numerals(text, lo, hi, r.unit_starts)
    for n in numerals:
        pos = n.end
        qual = "more_than" if n.inner_more else None
        if pos < hi and text[pos] in r.qual_between:      # 530余件, 三十多人, 100来亩
            qual = qual or r.qual_between[text[pos]]
            pos += 1
        # the unit first: most numerals have none (dates, 一 in 进一步), and the dictionary
        # look-up is far cheaper than the exclusion patterns
        if n.percent_word:
            unit = ("%", "percent", pos)
        else:
            unit = match_unit(text, pos, hi)
        if unit is None and pos + 1 < hi and text[pos] in SPACES and not n.chinese:
            unit = match_unit(text, pos + 1, hi)      # 38037 名: one space as stored
        if unit is None:
            unit = _inherited_unit(out, n, text, hi)
            if unit is None:
                continue
        name, kind, unit_end = unit
        if kind == "money" and "/" not in name:
            name, unit_end = _per_unit(text, unit_end, hi, name)
        if n.chinese:
            if text[pos:unit_end] in r.chinese_units or (n.value < 2 and kind == "count"):
                continue
        if _excluded(n, text, lo, pos):
            continue
        need = r.unit_needs_before.get(name)
        if need is not None and not need.search(text[max(lo, n.start - WINDOW):n.start]):
            continue
        if text.startswith(r.qual_after_words, unit_end):      # one C call rules most out
            after = text[unit_end:unit_end + 3]
            for word, q in r.qual_after:
                if after.startswith(word):
                    qual = qual or q
                    break
        qual = _qualifier_before(text, lo, n.start) or qual or "exact"
        out.append(RawClaim(n.start, max(unit_end, n.end), n.text, n.value, name, kind, qual, pos, n.chinese))
    return out


@lru_cache(maxsize=1)
def _per_units() -> tuple[tuple[str, ...], frozenset[str]]:
    """Words and units that make a money figure a price per unit (data/per_units.tsv)."""
    lines = rows("per_units.tsv")
    return (tuple(w for side, w, *_ in lines if side == "per"),
            frozenset(w for side, w, *_ in lines if side == "unit"))


def _per_unit(text: str, end: int, hi: int, name: str) -> tuple[str, int]:
    """A money unit right before 一亩/每斤 makes a price per that unit: 30块钱一亩 is 元/亩."""
    words, units = _per_units()
    for word in words:
        if text.startswith(word, end):
            u = match_unit(text, end + len(word), hi)
            if u is not None and u[0] in units:
                return f"{name}/{u[0]}", u[2]
    return name, end


def _inherited_unit(prev: list[RawClaim], n: Numeral, text: str, hi: int):
    """A bare 万/decimal numeral right after a claim takes its unit: 3.66万头只,其中大畜3.3万."""
    if not prev or n.chinese or not any(c in n.text for c in ".万亿"):
        return None
    last = prev[-1]
    if n.start - last.end > WINDOW:
        return None
    nxt = text[n.end:n.end + 1]
    if nxt and nxt not in PUNCT:
        return None
    return last.unit, last.unit_kind, n.end
