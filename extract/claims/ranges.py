"""Ranges as one claim (5至7个, 三到四元, 3%—5%, 两三千元) and each claim's value bounds.

A range's value is its midpoint, its qualifier `range`, and `value_low`/`value_high` its
ends. Other claims get bounds from their qualifier: exact gives both, more_than (530余件)
a lower one, approx one written as 近/将近 (近80万元) an upper one, other approx none.
The words are data (rules/ranges.tsv).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from .claims import RawClaim, exclusions as claim_rules
from .units import match_unit
from .numbers import MULTIPLIERS, find_numerals
from ..ruleschema import Field, read_rules

NAN = math.nan
#: Where a range may be: a digit or numeral word before a connector, or two digit words side by side.
#: A quick test before the range rules (regex) are read: with re, whose \s takes every blank that
#: regex's does (and a few control characters more), so it passes every sentence regex would.
_MAYBE = re.compile(r"[0-9０-９%％一二两三四五六七八九十百千万]\s*(?:[-—–~～－]|至|到)|[一二两三四五六七八九][二三四五六七八九]")
_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MULT = {"十": 10, "百": 100, "千": 1000, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8}


@dataclass(frozen=True)
class RangeRules:
    connector: object
    pair: object
    below: tuple
    joins: tuple = ()


@lru_cache(maxsize=1)
def range_rules(name: str = "ranges.tsv") -> RangeRules:
    rows = read_rules(name, (Field("kind", ("connector", "pair", "below", "list")), Field("pattern", pattern=True),
                             Field("note", optional=True)),
                      check=lambda r: ("a pair pattern needs the groups a, b and mult"
                                       if r["kind"] == "pair" and not {"a", "b", "mult"} <= set(r["pattern_re"].groupindex)
                                       else None))
    get = lambda kind: [r["pattern_re"] for r in rows if r["kind"] == kind]
    below = tuple(w for r in rows if r["kind"] == "below" for w in r["pattern"].split("|"))
    joins = tuple(w for r in rows if r["kind"] == "list" for w in r["pattern"].split("|"))
    return RangeRules(get("connector")[0], get("pair")[0], tuple(sorted(below, key=len, reverse=True)), joins)


def share_list_units(text: str, claims: list[RawClaim]) -> list[RawClaim]:
    """Figures of a list that share the last one's unit: in 4个和3.2个百分点 the first figure's
    个 only starts 个百分点, so both are 个百分点 (the list words: ranges.tsv, kind list)."""
    joins = range_rules().joins
    out = list(claims)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        written, later = text[a.unit_start:a.end], text[b.unit_start:b.end]
        if written and len(later) > len(written) and later.startswith(written) \
                and text[a.end:b.start] in joins and a.unit_kind != b.unit_kind:
            out[i] = a._replace(unit=b.unit, unit_kind=b.unit_kind)
    return out


def _unit_after(text: str, pos: int, hi: int):
    """(unit, kind, end, between-qualifier) written at pos (after an optional 余/多), or None."""
    if pos < hi and text[pos] in "余多":
        pos += 1
    return match_unit(text, pos, hi)


def _excluded_after(text: str, pos: int) -> bool:
    after = text[pos:pos + 16]
    return any(p.match(after) for p in claim_rules().after)


def _excluded_before(text: str, lo: int, start: int) -> bool:
    before = text[max(lo, start - 16):start]
    return any(p.search(before) for p in claim_rules().before)


def find_ranges(text: str, lo: int, hi: int) -> list[RawClaim]:
    """The ranges in text[lo:hi] (a sentence) that end in a unit, as claims."""
    r = range_rules()
    out: list[RawClaim] = []
    nums = [n for n in find_numerals(text, lo, hi)]
    for a, b in zip(nums, nums[1:]):
        if a.chinese != b.chinese or (a.text.startswith("0") and len(a.text) > 1) or _excluded_before(text, lo, a.start):
            continue
        pos = a.end
        first_unit = match_unit(text, pos, hi)
        if first_unit is not None and not first_unit[0] == "%":
            first_unit = None if text[pos] not in "%％" else first_unit
        if first_unit is not None:
            pos = first_unit[2]
        m = r.connector.match(text, pos, hi)
        if m is None or m.end() != b.start:
            continue
        unit = _unit_after(text, b.end, hi)
        if unit is None or (first_unit is not None and first_unit[0] != unit[0]) or _excluded_after(text, b.end):
            continue
        low, high = a.value, b.value
        mult = _multiplier(b.text)
        if mult and not _multiplier(a.text) and low * mult <= high:
            low *= mult               # 10到15万元: 10万
        if not low < high:
            continue
        out.append(_range_claim(text, a.start, b.end, low, high, unit))
    for m in r.pair.finditer(text, lo, hi):
        a, b = _DIGIT[m["a"]], _DIGIT[m["b"]]
        if not a < b:
            continue
        unit = _unit_after(text, m.end(), hi)
        if unit is None or _excluded_after(text, m.end()):
            continue
        mult = _CN_MULT.get(m["mult"] or "", 1)
        out.append(_range_claim(text, m.start(), m.end(), a * mult, b * mult, unit))
    out.sort()
    return out


def _multiplier(numeral: str) -> float:
    for word in ("万亿", "千万", "百万", "万", "亿"):
        if numeral.endswith(word):
            return MULTIPLIERS[word]
    return 0.0


def _range_claim(text: str, start: int, end: int, low: float, high: float, unit) -> RawClaim:
    name, kind, unit_end = unit
    return RawClaim(start, unit_end, text[start:end], float(low + high) / 2, name, kind, "range", end,
                    not text[start].isdigit())


def merge_ranges(text: str, lo: int, hi: int, claims: list[RawClaim]) -> list[RawClaim]:
    """The claims of text[lo:hi] with each range made one claim (the claims inside it dropped)."""
    if not _MAYBE.search(text, lo, hi):         # most sentences: one C scan, no numeral read
        return claims
    ranges = find_ranges(text, lo, hi)
    if not ranges:
        return claims
    kept = [c for c in claims if not any(c.start < g.end and g.start < c.end for g in ranges)]
    return sorted(kept + ranges)


def range_ends(number_text: str) -> tuple[float, float] | None:
    """The two ends of a range claim's numeral as written (5至7 -> (5, 7)), or None."""
    found = list(find_numerals(number_text))
    if len(found) >= 2:
        low, high = found[0].value, found[-1].value
        mult = _multiplier(found[-1].text)
        if mult and not _multiplier(found[0].text) and low * mult <= high:
            low *= mult
        return float(low), float(high)
    m = range_rules().pair.match(number_text)
    if m:
        mult = _CN_MULT.get(m["mult"] or "", 1)
        return float(_DIGIT[m["a"]] * mult), float(_DIGIT[m["b"]] * mult)
    return None


def value_bounds(text: str, start: int, value: float, qualifier: str, number_text: str) -> tuple[float, float]:
    """(value_low, value_high) of a claim whose numeral starts at `start` (NaN: open or unknown)."""
    if qualifier == "exact":
        return value, value
    if qualifier == "more_than":
        return value, NAN
    if qualifier == "range":
        ends = range_ends(number_text)
        return ends if ends else (NAN, NAN)
    before = text[max(0, start - 4):start]
    if any(before.endswith(w) for w in range_rules().below):
        return NAN, value
    return NAN, NAN
