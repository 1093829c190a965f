"""Which place a claim is about.

A claim belongs to the nearest place named before it in its own clause, or to a place-like
scope word there if that is nearer (全国/我国: national, no codes; 全省/全自治区, and 全区 in a
story about the autonomous region: the province only; rules/scopes.tsv), else to the last
place or scope word read before it in the story, else to the story's place (its headline's,
else its lead's, else the one 旗县区 or 盟市 all its names lie in), else to none. Names in a
role other than the subject (neighbours, destinations, origins, helpers' targets, datelines:
rules/place_roles.tsv, places/roles.py) are dropped before; a name that only says where
something happened (在广东、长沙等地…; rules/place_locatives.tsv) counts in its own clause only.
In a story about a 盟市 or 旗县区, places of other provinces and province names do not carry
forward (a name of another province that opens a clause stays the subject to the end of its
sentence: 大兴区开展消费扶贫…；开通51个线上平台), scope words count in their own clause only, 全区 is no region and 国家 no scope; a
place outside the story's own is left behind at the end of its paragraph. 全市/全盟 words make
a claim about the whole 盟市, except that in an article about a county-level city 全市 is that
city. The distances are in rules/attribution.tsv.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Sequence

import regex

from ..claims.numbers import find_numerals
from ..rulefiles import compile_rule, grouped, rows, settings
from ..text.sentences import CLAUSE_MARKS, clause_start
from ..text.wordset import alternation
from .gazetteer import gazetteer
from .mentions import Mention
from .resolve import Place, resolve
from .scopes import NO_LOCAL_HOME, find_scopes


def _setting(name: str) -> int:
    return int(settings("attribution.tsv")[name])


FULL_STOPS = "。！？!?…"     # what ends the sentence a name of another province counts in
LIST_GAPS = ("、", "，", ",", "和", "与", "及")   # between the places of a headline that lists several


# ---------------------------------------------------------------- the article's place

def home_place(text: str, mentions: list[Mention], title_end: int, lead_end: int) -> Place | None:
    """The place the article is about: the place of its headline, else of its lead; else, when
    every place the article names lies in one 旗县区 or one 盟市, that one. A headline naming
    places in several 盟市 (沈阳、呼和浩特、福州、长沙…) gives no one place: their common
    province, if any."""
    for limit, in_title in ((title_end, True), (lead_end, False)):
        first, last_end = None, None
        for m in mentions:
            if m.start >= limit:
                break
            p = resolve(m, None)     # 沈阳、呼和浩特: a headline's names are read on their own
            if p.empty:
                p = resolve(m, first)
            if p.empty:
                continue
            listed = last_end is not None and text[last_end:m.start] in LIST_GAPS
            last_end = m.end
            if first is None:
                first = p
            elif _within(p, first) and (p.county_code or p.city_code) and \
                    (p.county_code != first.county_code or p.city_code != first.city_code):
                first = p          # 赤峰市松山区: the county refines the city
            elif _within(first, p):
                continue           # 松山区 … 赤峰市: the city holds the county already read
            elif in_title and listed and p.city_code != first.city_code:
                same = p.province_code == first.province_code
                return Place(first.province_code) if same else None
            elif p.county_code and first.county_code and p.county_code != first.county_code:
                break
        if first is not None:
            return Place(first.province_code, first.city_code, first.county_code)
    places = {(p.city_code, p.county_code) for p in (resolve(m, None) for m in mentions)
              if not p.empty and p.city_code}
    cities = {c for c, _ in places}
    counties = {k for _, k in places if k}
    if len(cities) == 1 and len(counties) <= 1:
        city, county = next(iter(cities)), next(iter(counties), None)
        d = gazetteer().divisions[city]
        return Place(d.province_code, city, county)
    return None


def lead_end(sentences: Sequence, end: int) -> int:
    """Where an article's lead ends: after its first sentences that are not headings
    (rules/attribution.tsv lead_sentences); `end` when it has none."""
    body = [s for s in sentences if not s.heading]
    return body[min(_setting("lead_sentences"), len(body)) - 1].end if body else end


def _within(inner: Place, outer: Place) -> bool:
    """Whether `inner` lies inside `outer` (or is it): same province, and city, and county where
    `outer` has them."""
    return inner.province_code == outer.province_code and \
        (outer.city_code is None or inner.city_code == outer.city_code) and \
        (outer.county_code is None or inner.county_code == outer.county_code)


def _local(home: Place | None) -> bool:
    """Whether the article is about a 盟市 or 旗县区 (not a province, the country or nothing)."""
    return home is not None and home.city_code is not None


def resolve_all(mentions: list[Mention], home: Place | None) -> list[tuple[int, int, Place]]:
    """Mentions resolved in reading order, each narrowed by the place read before it."""
    out, context = [], home
    for m in mentions:
        p = resolve(m, context)
        if p.empty and not p.note and context is not home:
            p = resolve(m, home)     # 沈阳… then 呼和浩特: a short form of another province's city
        if p.empty and not p.note:
            continue
        if out and _is_province(p) and m.start - out[-1][1] <= _setting("wider_gap") and _within(out[-1][2], p) \
                and not out[-1][2].empty:
            continue                 # 位于南通市的江苏大生集团: the province adds nothing to the city
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



NAME, NATIONAL, PROVINCE = "name", "national", "province"   # kinds of PlaceIndex entries


def scope_entries(text: str, start: int, end: int, placed: list[tuple[int, int, Place]],
                  home: Place | None) -> list[tuple[int, int, Place, str]]:
    """Scope words that act as places (the whole country, a whole province): the entries they
    add to the article's places. 全区 is the autonomous region in an article that is about no
    district; a province scope takes the province of the last place read, else the article's."""
    out = []
    starts = [s for s, _, _ in placed]
    for sc in find_scopes(text, start, end):
        if sc.condition == NO_LOCAL_HOME and _local(home):
            continue
        if sc.scope == NATIONAL:
            out.append((sc.start, sc.end, Place(), NATIONAL))
            continue
        k = bisect_left(starts, sc.start) - 1
        context = placed[k][2] if k >= 0 else home
        if sc.scope == "region_or_district":
            if _local(home) or _district(context) or not _autonomous_region(context or home):
                continue       # in an article about a 盟市 or 旗县区, 全区 is no region-wide figure
        elif sc.scope != PROVINCE:
            continue
        province = (context or home or Place()).province_code
        if province:
            out.append((sc.start, sc.end, Place(province), PROVINCE))
    return out


def _district(p: Place | None) -> bool:
    return p is not None and p.county_code is not None and p.names()[2].endswith("区")


def _autonomous_region(p: Place | None) -> bool:
    return p is not None and p.province_code is not None and p.names()[0].endswith("自治区")


class PlaceIndex:
    """An article's resolved mentions and place-like scope words, in reading order, with bisect
    look-ups so that each claim costs a logarithm, not a pass over every mention (a page of
    16,000 figures)."""

    def __init__(self, text: str, placed: list[tuple[int, int, Place]], home: Place | None,
                 scoped: list[tuple[int, int, Place, str]] = ()):
        self.text = text
        self.home = home
        self.placed = sorted([(s, e, p, NAME) for s, e, p in placed] + list(scoped))
        self.starts = [m[0] for m in self.placed]
        # what may carry forward: no province named in an article about a 盟市 or 旗县区, nothing
        # outside such an article's province; scope words always
        # (not in an article about a 盟市 or 旗县区: there 全国 counts in its own clause only)
        self.carry = [m for m in self.placed if m[3] != NAME and not _local(home)
                      or m[3] == NAME and not m[2].empty and _carries(m[2], home)]
        self.carry_ends = [m[1] for m in self.carry]
        # a name of another province in an article about a 盟市 or 旗县区 does not carry forward,
        # but within its own sentence it stays the subject when it opens a clause
        # (大兴区开展消费扶贫…；开通51个线上平台)
        self.near = _clause_subjects(text, self.placed, home) if _local(home) else []
        self.near_ends = [m[1] for m in self.near]
        self._locative: dict[tuple[int, int], bool] = {}

    def place_for(self, clause: tuple[int, int], start: int, end: int, paragraph: int = 0) -> tuple[Place, str, str]:
        """The place of a claim at text[start:end] in `clause`, how it was found and its scope
        (see place_for)."""
        return place_for(self.text, clause, start, end, self, self.home, paragraph)

    def within(self, lo: int, hi: int) -> list[tuple[int, int, Place, str]]:
        """Entries that lie wholly inside text[lo:hi]."""
        i, j = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        return [m for m in self.placed[i:j] if m[1] <= hi]

    def carried_to(self, pos: int, paragraph: int = 0) -> tuple[Place, str] | None:
        """The last entry that carries forward and ends at or before pos: a name that only says
        where something happened (is_locative, asked only when needed) does not. A place
        outside the story's own, named in an earlier paragraph, is left behind there: the
        story is back at its own place (None) until the text names another. A name of another
        province (self.near) counts when it is read later in the claim's sentence (from the
        full stop before pos on: ； ends no sentence here)."""
        near = self._near(pos, clause_start(self.text, paragraph, pos, FULL_STOPS)) if self.near else None
        k = bisect_right(self.carry_ends, pos) - 1
        while k >= 0:
            s, e, p, kind = self.carry[k]
            if near is not None and near[0] >= e:
                break
            if e <= paragraph and self.home is not None and kind == NAME and not _within(p, self.home):
                return None
            if kind != NAME or not self._is_locative(s, e):
                return p, kind
            k -= 1
        return (near[1], NAME) if near is not None else None

    def _near(self, pos: int, sentence: int) -> tuple[int, Place] | None:
        """The last name of another province read in text[sentence:pos] that is not a locative:
        its end and place."""
        k = bisect_right(self.near_ends, pos) - 1
        while k >= 0 and self.near[k][0] >= sentence:
            s, e, p, _ = self.near[k]
            if not self._is_locative(s, e):
                return e, p
            k -= 1
        return None

    def _is_locative(self, s: int, e: int) -> bool:
        """is_locative, asked once per name."""
        locative = self._locative.get((s, e))
        if locative is None:
            locative = self._locative[(s, e)] = is_locative(self.text, s, e)
        return locative


def _clause_subjects(text: str, placed: list, home: Place) -> list:
    """The names of another province (no province name) that open a clause: nothing but other
    names or a province's (北京大兴区) stands between them and a clause mark or the line's indent,
    and no title word follows (大兴区委书记周立云介绍: the speaker's place;
    rules/place_locatives.tsv title)."""
    titles = grouped("place_locatives.tsv").get("title", ())
    province_before = _province_before()
    out, opener_end = [], -1
    for m in placed:
        s, e, p, kind = m
        if kind != NAME:
            continue
        named = province_before.search(text, max(0, s - MAX_PROVINCE), s)
        at = named.start() if named else s        # 北京 before 大兴区 (no entry: resolve drops it)
        opens = at in (0, opener_end) or text[at - 1] in CLAUSE_MARKS or text[at - 1].isspace()
        opener_end = e if opens else -1
        if opens and not p.empty and not _is_province(p) and p.province_code != home.province_code \
                and not text.startswith(titles, e):
            out.append(m)
    return out


def _carries(p: Place, home: Place | None) -> bool:
    if not _local(home):
        return True
    return not _is_province(p) and p.province_code == home.province_code


def _is_province(p: Place) -> bool:
    return bool(p.province_code) and not p.city_code and not p.county_code


def place_for(text: str, clause: tuple[int, int], start: int, end: int, placed: "PlaceIndex",
              home: Place | None, paragraph: int = 0) -> tuple[Place, str, str]:
    """The place a claim is about, where it was found, and its scope: the nearest place or
    place-like scope word (全国, 全省) in its clause, else the last one read, else the article's.

    A province name counts only right before the numeral (内蒙古共有…) in an article about a
    盟市 or 旗县区; a place named after the numeral counts only inside the article's province
    (…发往山东潍坊 is a destination).
    """
    lo, hi = clause
    local = _local(home)
    same_province = lambda p: home is None or p.province_code == home.province_code
    entries = placed.within(lo, start)
    before = [(p, kind) for s, e, p, kind in entries
              if kind != NAME or not local or not _is_province(p)
              or start - e <= _setting("province_before_chars")]
    after = [(p, kind) for s, e, p, kind in placed.within(end, hi)
             if kind == NAME and not _is_province(p) and same_province(p)]
    if before and before[-1][1] == NATIONAL and local and after and _arrival(text, placed, after[0][0], end, hi):
        (place, kind), source = after[0], "clause"      # 全国各地…2.6万余人到井冈山考察: visitors there
    elif before:
        (place, kind), source = before[-1], "clause"
        listed = listed_place(text, entries, start)
        if listed is not None:
            place = listed
    elif after:
        (place, kind), source = after[0], "clause"
    else:
        # carry forward the last place read, unless it was only where something happened
        # (在广东、长沙等地成立…)
        earlier = placed.carried_to(start, paragraph)
        if earlier is not None:
            (place, kind), source = earlier, "article"
            if home is not None and home.county_code and not place.county_code \
                    and place.city_code == home.city_code and kind == NAME:
                place = home      # 兴安盟 named again in an article about 突泉县
        elif home is not None:
            place, kind, source = home, NAME, "article"
        else:
            return Place(), "none", "none"
    if kind == NATIONAL:
        return Place(), source, "national"
    if place.empty and home is not None:
        place = Place(home.province_code, home.city_code, home.county_code, note=place.note)
    words = [sc for sc in find_scopes(text, lo, start) if sc.scope == "city"]
    if place.city_code and city_wide([text[sc.start:sc.end] for sc in words], place, home):
        place = Place(place.province_code, place.city_code, None, None, place.note)
    place = holder_of_counted(text, lo, end, place)
    return place, source, _scope_of(place)


def _arrival(text: str, placed: "PlaceIndex", place: Place, end: int, hi: int) -> bool:
    """Whether `place`, the first place of the article's province named after a figure in its
    clause, is where the people counted go (rules/place_locatives.tsv arrival: 到井冈山, 赴…):
    after a national scope word (全国各地…) they are its visitors, and the figure is its."""
    words = grouped("place_locatives.tsv").get("arrival", ())
    for s, e, p, kind in placed.within(end, hi):
        if kind == NAME and p == place:
            return text.endswith(words, 0, s)
    return False


@lru_cache(maxsize=1)
def _division_counts() -> tuple[tuple[str, object], ...]:
    return tuple((level, compile_rule(pattern)) for level, pattern, *_ in rows("division_counts.tsv"))


@lru_cache(maxsize=1)
def _province_names() -> regex.Pattern:
    """Every name and short form that reads only as a province (贵州省, 贵州, 内蒙古)."""
    names = [n for n, cands in gazetteer().names.items()
             if cands[0].level == "province" and all(c.level == "province" for c in cands)]
    return regex.compile(alternation(names))


MAX_PROVINCE = 8     # the longest province name _province_before looks for (黑龙江省, 内蒙古自治区)


@lru_cache(maxsize=1)
def _province_before() -> regex.Pattern:
    """A province name (as _province_names) that ends where the search ends."""
    return regex.compile(f"(?:{_province_names().pattern})$")


def holder_of_counted(text: str, lo: int, end: int, place: Place) -> Place:
    """The place of a figure that counts divisions (rules/division_counts.tsv): 9个县 is no one
    county's, so a county's claim keeps its 盟市 (a count of 盟市 keeps its province), unless the
    clause names a province before the figure (是贵州省…9个县之一), which is taken then. (The
    province is read from the clause's text: the place index holds no province named in an
    article about a 盟市 or 旗县区.)"""
    after = text[end:end + 8]
    for level, pattern in _division_counts():
        if pattern.match(after):
            break
    else:
        return place
    if not (place.county_code if level == "county" else place.city_code):
        return place            # 赤峰市12个旗县区: the place already holds what is counted
    named = [m.group() for m in _province_names().finditer(text, lo, end)]
    if named:
        province = gazetteer().names[named[-1]][0].code
        return Place(province, note=place.note)
    if level == "county":
        return Place(place.province_code, place.city_code, None, None, place.note)
    return Place(place.province_code, None, None, None, place.note)


def listed_place(text: str, entries: list, start: int) -> Place | None:
    """The place of a claim whose nearest place ends a list of names (rules/place_lists.tsv):
    the i-th name for the i-th figure after a respective word (分别), else the place that holds
    them all (赤峰市 for 克什克腾旗、巴林左旗、林西县等3个旗县). None when no list ends there."""
    if not entries or entries[-1][3] != NAME:
        return None
    words = grouped("place_lists.tsv")
    joins = set(words.get("join", ()))
    run = [entries[-1]]
    for prev in reversed(entries[:-1]):
        if prev[3] != NAME or text[prev[1]:run[0][0]] not in joins:
            break
        run.insert(0, prev)
    if len(run) < 2:
        return None
    if any(w in text[run[-1][1]:start] for w in words.get("respective", ())):
        k = sum(1 for _ in find_numerals(text, run[-1][1], start))    # the figures before this one
        if k < len(run):
            return run[k][2]
    return holder([p for _, _, p, _ in run])


def holder(places: list[Place]) -> Place:
    """The smallest division that holds every one of `places` (a county, 盟市, province or none)."""
    first = places[0]
    for level, cut in ((2, 3), (1, 2), (0, 1)):
        code = first[level]
        if code and all(p[level] == code for p in places):
            return Place(*first[:cut], note=first.note)
    return Place(note=first.note)


def _scope_of(place: Place) -> str:
    """How far down a place goes: town, county, city, province or none."""
    if place.town:
        return "town"
    if place.county_code:
        return "county"
    if place.city_code:
        return "city"
    return "province" if place.province_code else "none"


def city_wide(words: list[str], place: Place, home: Place | None) -> bool:
    """Whether 全市/全盟/市级 words before a claim make it about the whole 盟市 (no 旗县区).
    In an article about a county-level city (玉门市, 满洲里市) 全市 is that city: it keeps
    its county code, unless the article is about the 盟市 that holds it."""
    if not words:
        return False
    county_city = place.county_code is not None and place.names()[2].endswith("市") \
        and all("市" in w for w in words)
    about_prefecture = home is not None and home.county_code is None and home.city_code == place.city_code
    return not county_city or about_prefecture


