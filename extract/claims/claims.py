"""Claims: a numeral with its unit and qualifier that reports how many or how much.

Which numerals count is data: units (rules/units.tsv), qualifiers (rules/qualifiers.tsv)
and out-of-scope patterns such as dates, ages, ordinals and slogans (rules/exclusions.tsv).
"""
from __future__ import annotations

from bisect import bisect_right
from heapq import merge
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..text.changes import from_to_count
from ..rulefiles import compile_rule, grouped, rows
from .numbers import BARE, Numeral, bare_numerals, find_numerals
from .qualifiers import bare_words, noun_tags, qualifier_after, qualifier_before, qualifiers
from .units import (holds_noun, implied, implied_clause_end, implied_verb_ends, implied_verb_spans, match_unit,
                    people_noun, per_unit, per_unit_before, scale_of, spoken_money, spoken_starts, unit_starts)

WINDOW = 16
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
class Exclusions:
    """Out-of-scope patterns (rules/exclusions.tsv), one alternation per side: a single regex
    call per numeral instead of one per rule."""
    before: tuple
    after: tuple
    chinese_before: tuple
    chinese_after: tuple
    chinese_numeral: tuple
    chinese_numeral_unless: tuple              # what after the numeral lifts chinese_numeral: 一块钱
    chinese_units: frozenset[str]              # units that never follow a Chinese numeral as a count
    chinese_count_below: float                 # a Chinese numeral below this is no count (一名)
    unit_needs_before: dict[str, object]       # unit -> regex the text before the numeral must match
    unit_refuses_before: dict[str, object]     # unit -> regex the text before the numeral must not match
    quoted: tuple = ()                         # a short quotation that holds the numeral: a slogan


@lru_cache(maxsize=1)
def exclusions() -> Exclusions:
    by_side = grouped("exclusions.tsv")
    needs: dict[str, list[str]] = {}
    refuses: dict[str, list[str]] = {}
    for side, unit, pattern, *_ in (r for r in rows("exclusions.tsv") if r[0] in ("unit_needs_before",
                                                                               "unit_refuses_before")):
        (needs if side == "unit_needs_before" else refuses).setdefault(unit, []).append(pattern)
    joined = lambda by_unit: {u: compile_rule("|".join(f"(?:{p})" for p in ps))  # noqa: E731
                              for u, ps in by_unit.items()}
    comp = lambda side: tuple(compile_rule("|".join(f"(?:{p})" for p in by_side[side]))  # noqa: E731
                              for _ in [0] if by_side.get(side))
    below = by_side.get("chinese_count_below", ())
    return Exclusions(comp("before"), comp("after"), comp("chinese_before"), comp("chinese_after"),
                      comp("chinese_numeral"), comp("chinese_numeral_unless"),
                      frozenset(by_side.get("chinese_unit", ())),
                      float(below[-1]) if below else float("-inf"),
                      joined(needs), joined(refuses), comp("quoted"))


@lru_cache(maxsize=1)
def numeral_follow() -> frozenset[str]:
    """What a Chinese numeral of a claim is followed by: a unit, a spoken money word (五毛钱), or
    a qualifier between the numeral and its unit (find_numerals' chinese_next)."""
    return unit_starts() | spoken_starts() | frozenset(qualifiers().between)


def numerals_in(text: str, lo: int, hi: int):
    """The numerals of text[lo:hi] that may have a unit, in order: find_numerals' and the bare
    magnitudes after a bare word (近千次, 上千亩)."""
    follow = numeral_follow()
    bare = bare_numerals(text, lo, hi, bare_words(), follow)
    found = find_numerals(text, lo, hi, follow)
    return merge(found, bare, key=lambda n: n.start) if bare else found


#: the longest quotation whose figures exclusions.tsv's "quoted" rules read as a slogan's
QUOTED_MAX = 20
QUOTES = {"“": "”", "「": "」"}


def quoted_phrase(text: str, lo: int, start: int, end: int, hi: int | None = None) -> str | None:
    """The short quotation text[start:end] stands in (“1名党员联系5户群众”, opened after lo, on
    one line, at most QUOTED_MAX characters), or None."""
    hi = len(text) if hi is None else hi
    for opening, closing in QUOTES.items():
        o = text.rfind(opening, max(lo, start - QUOTED_MAX), start)
        if o < 0 or text.find(closing, o + 1, start) >= 0:
            continue
        c = text.find(closing, end, min(hi, o + 1 + QUOTED_MAX + 1))
        if c < 0:
            continue
        phrase = text[o + 1:c]
        if "\n" not in phrase and opening not in phrase:
            return phrase
    return None


def _excluded(n: Numeral, text: str, lo: int, after_pos: int) -> bool:
    r = exclusions()
    before = text[max(lo, n.start - WINDOW):n.start]
    after = text[after_pos:after_pos + WINDOW]
    # plain loops over the (one-alternation) patterns: this runs for every numeral with a unit
    for p in r.before:
        if p.search(before):
            return True
    for p in r.after:
        if p.match(after):
            return True
    if r.quoted and any(q in text[max(lo, n.start - QUOTED_MAX):n.start] for q in QUOTES):
        phrase = quoted_phrase(text, lo, n.start, after_pos)
        if phrase is not None and any(p.fullmatch(phrase) for p in r.quoted):
            return True
    if n.chinese:
        for p in r.chinese_numeral:
            if p.search(n.text) and not any(u.match(after) for u in r.chinese_numeral_unless):
                return True
        for p in r.chinese_before:
            if p.search(before):
                return True
        follow = text[n.end:n.end + WINDOW]   # a slice: the rules are anchored with ^
        for p in r.chinese_after:
            if p.match(follow):
                return True
    return False


def claims_in_sentences(text: str, bounds: list[tuple[int, int]]) -> list[list[RawClaim]]:
    """find_claims of each sentence text[lo:hi] of `bounds` (in order, not overlapping), from
    one numeral scan over them all instead of one per sentence: most sentences hold none."""
    if not bounds:
        return []
    groups: list[list[Numeral] | None] = [[] for _ in bounds]
    starts = [lo for lo, _ in bounds]
    for n in numerals_in(text, bounds[0][0], bounds[-1][1]):
        k = bisect_right(starts, n.start) - 1
        if k < 0 or groups[k] is None:
            continue
        if n.end <= bounds[k][1]:
            groups[k].append(n)
        else:       # across a sentence end (sentences end at punctuation, so never seen): rescan
            groups[k] = None
    # a sentence with a money verb before a numeral may hold money with no unit (挣了一万多哩),
    # whose numeral numerals_in does not find
    # (a verb across a sentence's start, as a line cut at its length limit may leave, makes that
    # sentence look for its own: None)
    money_at: list[list[int] | None] = [[] for _ in bounds]
    for start, at in implied_verb_spans(text, bounds[0][0], bounds[-1][1]):
        k = bisect_right(starts, at) - 1
        if k < 0 or money_at[k] is None:
            continue
        if start < bounds[k][0]:
            money_at[k] = None
        elif at < bounds[k][1]:
            money_at[k].append(at)
    return [find_claims(text, lo, hi, found, money) if found is None or found or money is None or money else []
            for (lo, hi), found, money in zip(bounds, groups, money_at)]


def find_claims(text: str, lo: int = 0, hi: int | None = None,
                numerals: list[Numeral] | None = None, money_at: list[int] | None = None) -> list[RawClaim]:
    """Claims whose numeral lies in text[lo:hi] (a sentence), with absolute offsets
    (`numerals`: that sentence's find_numerals, `money_at`: its implied_verb_ends, when the
    caller has them)."""
    hi = len(text) if hi is None else hi
    x, between = exclusions(), qualifiers().between
    out: list[RawClaim] = []
    if numerals is None:
        numerals = numerals_in(text, lo, hi)
    read_to = lo          # the end of the last spoken money read: 两块五毛钱 holds 五 as no numeral of its own
    for n in numerals:
        if n.start < read_to:
            continue
        pos, qual = _past_between(n, text, hi, between)
        # the unit first: most numerals have none (dates, 一 in 进一步), and the dictionary
        # look-up is far cheaper than the exclusion patterns
        spoken = None if n.percent_word else spoken_money(text, lo, n.start, n.value, pos, hi)
        if n.percent_word:
            unit = ("%", "percent", pos)
        elif spoken is not None:       # 一块三, 五毛钱: one numeral of money (rules/spoken_money.tsv)
            value, numeral_end, unit_end, name = spoken
            if numeral_end > pos:     # a bare digit read: 一块三 is the numeral
                n = n._replace(end=numeral_end, text=text[n.start:numeral_end])
                pos = numeral_end
            n = n._replace(value=value)
            unit = (name, "money", unit_end)
            read_to = unit_end
        else:
            unit = match_unit(text, pos, hi)
        if unit is None and pos + 1 < hi and text[pos] in SPACES and not n.chinese:
            unit = match_unit(text, pos + 1, hi)      # 38037 名: one space as stored
        if unit is None:
            unit = _inherited_unit(out, n, text, hi) or _changed_count_unit(text, lo, n)
        if unit is None:     # 40多万群众, 146万新型职业农民: people written as the noun
            people = people_noun(text, pos, hi, _multiplied(n))
            if people is None:
                continue
            unit = (people[0], "count", people[1])
        name, kind, unit_end = unit
        if kind == "money" and "/" not in name:
            name, unit_end = per_unit(text, unit_end, hi, name)
            if "/" not in name:
                name = per_unit_before(text, lo, n.start, name)
            if "/" not in name:
                name = _listed_price(out, n, text, hi, unit_end, name)
        if n.chinese:
            if text[pos:unit_end] in x.chinese_units or (n.value < x.chinese_count_below and kind == "count"):
                continue
        if _excluded(n, text, lo, pos):
            continue
        need, refuse = x.unit_needs_before.get(name), x.unit_refuses_before.get(name)
        if need is not None and not need.search(text[max(lo, n.start - WINDOW):n.start]):
            continue
        if refuse is not None and refuse.search(text[max(lo, n.start - WINDOW):n.start]):
            continue
        qual = qual or qualifier_after(text, unit_end)
        qual = qualifier_before(text, lo, n.start, n.chinese and n.text in BARE, n.value) or qual or "exact"
        scale = scale_of(text[pos:unit_end])      # 九成 is 90 %
        out.append(RawClaim(n.start, max(unit_end, n.end), n.text, n.value * scale, name, kind, qual, pos,
                            n.chinese))
    return _with_implied_money(out, text, lo, hi, implied_verb_ends(text, lo, hi) if money_at is None else money_at)


def _past_between(n: Numeral, text: str, hi: int, between: dict[str, str]) -> tuple[int, str | None]:
    """Where a numeral's unit may start, past a qualifier between the two (530余件, 三十多人,
    100来亩), and the qualifier so far: more_than for 余/多 inside the numeral (26万多)."""
    pos, qual = n.end, "more_than" if n.inner_more else None
    if pos < hi and text[pos] in between:
        qual = qual or between[text[pos]]
        pos += 1
    return pos, qual


def _with_implied_money(out: list[RawClaim], text: str, lo: int, hi: int, ends: list[int]) -> list[RawClaim]:
    """`out` with the money written with no unit after a money verb (rules/implied_money.tsv):
    去年挣了一万多哩 is 10000 元 more_than. The numeral comes right after the verb, is worth at
    least min_value, may have 多/余/来 after it, and then nothing but sentence-final particles
    and the clause's end: not 挣了一万多元 (a unit, read as usual), 卖了五万多斤, 赚了3次.
    `ends`: where a numeral may start right after a money verb (implied_verb_ends)."""
    if not ends:
        return out
    rule, between = implied(), qualifiers().between
    taken = {c.start for c in out}
    added = []
    for at in ends:
        n = next(find_numerals(text, at, hi), None)
        if n is None or n.start != at or at in taken or n.percent_word or n.value < rule.min_value:
            continue
        pos, qual = _past_between(n, text, hi, between)
        if not implied_clause_end(text, pos, hi) or _excluded(n, text, lo, pos):
            continue
        name = per_unit_before(text, lo, n.start, rule.unit)        # 每亩收入两千多: 元/亩
        qual = qualifier_before(text, lo, n.start, False, n.value) or qual or "exact"
        added.append(RawClaim(n.start, pos, n.text, n.value, name, "money", qual, pos, n.chinese))
    return sorted(out + added, key=lambda c: c.start) if added else out


#: a price of a list takes the per unit of the price before it only within this factor of it
LISTED_PRICE_FACTOR = 10
#: at most this many characters name the goods of a listed price (小麦…每斤一块钱,莜麦一块三)
LISTED_PRICE_NOUN = 4
CLAUSE_ENDS = "，,；;、。！!？?"


def _listed_price(prev: list[RawClaim], n: Numeral, text: str, hi: int, unit_end: int, name: str) -> str:
    """A money figure that is the next item of a list of prices takes the per unit of the price
    before it: in 小麦收购每斤涨到一块钱,莜麦一块三 the 一块三 is 元/斤 too. An item is a clause
    of a noun (the goods: rules/pos_tags.tsv's noun set, at most LISTED_PRICE_NOUN characters, no
    fund word such as 收入) and the figure alone, right after a clause that ends with the price,
    and of the same order (within LISTED_PRICE_FACTOR): not 每斤一块钱,收入5万元."""
    if not prev:
        return name
    last = prev[-1]
    if last.unit_kind != "money" or "/" not in last.unit or last.unit.split("/")[0] != name:
        return name
    if last.end >= n.start or text[last.end] not in CLAUSE_ENDS:
        return name
    noun = text[last.end + 1:n.start]
    if not 0 < len(noun) <= LISTED_PRICE_NOUN or (unit_end < hi and text[unit_end] not in CLAUSE_ENDS):
        return name
    if not (last.value / LISTED_PRICE_FACTOR <= n.value <= last.value * LISTED_PRICE_FACTOR):
        return name
    if any(w in noun for w in grouped("indicator_words.tsv").get("fund", ())):
        return name
    from ..indicators.tagger import tag       # the tagger loads only when such a list is there
    tokens = tag(noun)
    if not tokens or any(t not in noun_tags() for _, t in tokens):
        return name
    return last.unit


def _multiplied(n: Numeral) -> bool:
    """An Arabic numeral written with 万 or 亿 (157万, 1.6亿)."""
    return not n.chinese and any(c in n.text for c in "万亿")


def _changed_count_unit(text: str, lo: int, n: Numeral):
    """A bare 万/亿 numeral that starts the change of a count named by a noun holding its unit
    takes that unit: 贫困人口由2013年的157万减少至… is 人 (the noun read by from_to_count)."""
    if not _multiplied(n):
        return None
    noun = from_to_count(text, n.start, lo)
    if not noun:
        return None
    for k in range(len(noun) - 1):       # the longest tail of the noun that is a unit: 贫困人口
        m = match_unit(noun, k)
        if m is not None and m[2] == len(noun) and holds_noun(noun[k:], m[0], m[1]):
            return m[0], m[1], n.end
    return None


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
