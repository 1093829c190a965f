"""Which place a claim is about.

A claim belongs to the nearest place named in its own clause, else to the last place named
before it in the article (unless that place was only where something happened: 在广东、长沙
等地…), else to the article's place (its headline or lead). 全市/全盟 words make it about the
whole 盟市, except that in an article about a county-level city 全市 is that city. The words
are in rules/place_locatives.tsv, the distances in rules/attribution.tsv.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Sequence

import regex

from ..rulefiles import grouped, settings
from .mentions import Mention
from .resolve import Place, resolve


def _setting(name: str) -> int:
    return int(settings("attribution.tsv")[name])


# ---------------------------------------------------------------- the article's place

def home_place(mentions: list[Mention], title_end: int, lead_end: int, end: int) -> Place | None:
    """The place an article is about: the first place in its headline (mentions before
    title_end), else in its lead (before lead_end), else anywhere before `end`."""
    for limit in (title_end, lead_end, end):
        first = None
        for m in mentions:
            if m.start >= limit:
                break
            p = resolve(m, first)
            if p.empty:
                continue
            if first is None:
                first = p
            elif p.county_code and (first.county_code is None) and p.city_code == first.city_code:
                first = p          # 赤峰市松山区: the county refines the city
            elif p.county_code and first.county_code and p.county_code != first.county_code:
                break
        if first is not None:
            return Place(first.province_code, first.city_code, first.county_code)
    return None


def lead_end(sentences: Sequence, end: int) -> int:
    """Where an article's lead ends: after its first sentences that are not headings
    (rules/attribution.tsv lead_sentences); `end` when it has none."""
    body = [s for s in sentences if not s.heading]
    return body[min(_setting("lead_sentences"), len(body)) - 1].end if body else end


def resolve_all(mentions: list[Mention], home: Place | None) -> list[tuple[int, int, Place]]:
    """Mentions resolved in reading order, each narrowed by the place read before it."""
    out, context = [], home
    for m in mentions:
        p = resolve(m, context)
        if p.empty and not p.note:
            continue
        out.append((m.start, m.end, p))
        if not p.empty and (home is None or p.province_code == home.province_code):
            context = p
    return out


# ---------------------------------------------------------------- locatives and scope words

_NAME_CHAIN = regex.compile(r"[\p{Han}]{2,12}、$")
_CHAIN_AFTER = regex.compile(r"、[\p{Han}]{2,12}?(?=等|、)")


def is_locative(text: str, start: int, end: int) -> bool:
    """Whether the place named at text[start:end] is where something happened, not the subject."""
    words = grouped("place_locatives.tsv")
    before, after = words.get("before", ()), words.get("after", ())
    lo = start
    while True:   # walk back over a list of names: 在广东、长沙
        m = _NAME_CHAIN.search(text, max(0, lo - 14), lo)
        if not m:
            break
        lo = m.start()
        if text.endswith(before, 0, lo):
            return True
    if text.endswith(before, 0, start):
        return True
    hi = end
    while True:   # 长沙、深圳等地
        m = _CHAIN_AFTER.match(text, hi, hi + 14)
        if not m:
            break
        hi = m.end()
    return text.startswith(after, hi)


@lru_cache(maxsize=1)
def city_scope() -> re.Pattern:
    """Words that make a figure about a whole 盟市 (全市, 盟级), unless a grade follows the
    级 word (市级龙头企业): from place_locatives.tsv."""
    words = grouped("place_locatives.tsv")
    scopes, grades = words.get("city_scope", ()), words.get("grade", ())
    alt = lambda words: "|".join(map(re.escape, sorted(words, key=len, reverse=True)))  # noqa: E731
    ranked = "|".join(re.escape(w) for w in scopes if w.endswith("级"))
    plain = alt([w for w in scopes if not w.endswith("级")])
    parts = [p for p in (plain, f"(?:{ranked})(?!{alt(grades)})" if ranked and grades else ranked) if p]
    return re.compile("|".join(parts))


def city_wide(words: Sequence[str], place: Place, home: Place | None) -> bool:
    """Whether 全市/全盟/市级 words before a claim make it about the whole 盟市 (no 旗县区).
    In an article about a county-level city (玉门市, 满洲里市) 全市 is that city: it keeps
    its county code, unless the article is about the 盟市 that holds it."""
    if not words:
        return False
    county_city = place.county_code is not None and place.names()[2].endswith("市") \
        and all("市" in w for w in words)
    about_prefecture = home is not None and home.county_code is None and home.city_code == place.city_code
    return not county_city or about_prefecture


# ---------------------------------------------------------------- a claim's place

def _is_province(p: Place) -> bool:
    return bool(p.province_code) and not p.city_code and not p.county_code


class PlaceIndex:
    """An article's resolved mentions, in reading order, with bisect look-ups so that each
    claim costs a logarithm, not a pass over every mention (a page of 16,000 figures)."""

    def __init__(self, text: str, placed: list[tuple[int, int, Place]], home: Place | None):
        self.text = text
        self.home = home
        self.placed = placed
        self.starts = [s for s, _, _ in placed]
        # places that may carry forward: not a province, in the article's province
        self.carry = [(s, e, p) for s, e, p in placed if not p.empty and not _is_province(p)
                      and (home is None or p.province_code == home.province_code)]
        self.carry_ends = [e for _, e, _ in self.carry]
        self._locative: dict[int, bool] = {}
        self.province_reach = _setting("province_before_chars")

    def within(self, lo: int, hi: int) -> list[tuple[int, int, Place]]:
        """Mentions that lie wholly inside text[lo:hi]."""
        i, j = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        return [m for m in self.placed[i:j] if m[1] <= hi]

    def carried_to(self, pos: int) -> Place | None:
        """The last place that carries forward and ends at or before pos: one that only says
        where something happened (is_locative, asked only when needed) does not."""
        k = bisect_right(self.carry_ends, pos) - 1
        while k >= 0:
            s, e, p = self.carry[k]
            locative = self._locative.get(k)
            if locative is None:
                locative = self._locative[k] = is_locative(self.text, s, e)
            if not locative:
                return p
            k -= 1
        return None

    def place_for(self, clause: tuple[int, int], start: int, end: int) -> tuple[Place, str]:
        """The place of a claim at text[start:end] in `clause` (lo, hi), and how it was found:
        the nearest in its clause, else the last one read, else the article's.

        A province name counts only right before the numeral (内蒙古共有…); a place named after
        the numeral counts only inside the article's province (…发往山东潍坊 is a destination).
        """
        lo, hi = clause
        home = self.home
        before = [p for s, e, p in self.within(lo, start)
                  if not _is_province(p) or start - e <= self.province_reach]
        after = [p for s, e, p in self.within(end, hi)
                 if not _is_province(p) and (home is None or p.province_code == home.province_code)]
        if before:
            place, source = before[-1], "clause"
        elif after:
            place, source = after[0], "clause"
        else:
            # carry forward the last place read in the article's province, unless it was only
            # where something happened (在广东、长沙等地成立…)
            earlier = self.carried_to(start)
            if earlier is not None:
                place, source = earlier, "article"
                if home is not None and home.county_code and not place.county_code \
                        and place.city_code == home.city_code:
                    place = home      # 兴安盟 named again in an article about 突泉县
            elif home is not None:
                place, source = home, "article"
            else:
                return Place(), "none"
        if place.empty and home is not None:
            place = Place(home.province_code, home.city_code, home.county_code, note=place.note)
        if place.city_code and city_wide(city_scope().findall(self.text, lo, start), place, home):
            place = Place(place.province_code, place.city_code, None, None, place.note)
        return place, source
