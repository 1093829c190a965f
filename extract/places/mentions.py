"""Mentions: where division names are written in a text, longest first, not overlapping.

A name followed by a road word (海拉尔路) is a street, not a place; a two-character short
form of a place outside the home region (天水) counts only where it stands as a name
(rules/place_locatives.tsv: road, suffix). A two-character form of a county (兰考) is a name
right after the province or city that holds it (天津武清), or in a list that a count of counties
ends (兰考、巩义、鄢陵等6个县市: rules/division_counts.tsv).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..diskcache import load_or_build
from ..rulefiles import compile_rule, grouped, rows
from .gazetteer import HOME_PROVINCE, Candidate, gazetteer
from .gazetteer import sources as gazetteer_sources

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
    if text.startswith(grouped("place_locatives.tsv").get("suffix", ()), end):
        return True
    return start <= lo or end >= hi or not _han(text[start - 1]) or not _han(text[end])


@lru_cache(maxsize=1)
def _tail_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """_build_tail_table, kept in the disk cache with the gazetteer it is made from."""
    return load_or_build("name_tails", gazetteer_sources(), _build_tail_table)


def _build_tail_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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


_COUNT = re.compile(r"等[0-9０-９一二三四五六七八九十两]+个")


@lru_cache(maxsize=1)
def _county_count():
    """The county-level pattern of rules/division_counts.tsv (6个县市, 3个旗县)."""
    return tuple(compile_rule(pattern) for level, pattern, *_ in rows("division_counts.tsv") if level == "county")


def _han2(text: str, at: int) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text[at:at + 2])


def _list_start(text: str, lo: int, at: int) -> int:
    """Where a list of two or more two-character items (兰考、巩义、鄢陵) that ends at `at` starts,
    not before lo; -1 when there is none. Read backwards from the count that ends it, which is
    rare, instead of trying a list at every character of the article."""
    first = at - 2
    if first < lo or not _han2(text, first):
        return -1
    while first - 3 >= lo and text[first - 1] == "、" and _han2(text, first - 3):
        first -= 3
    return first if first < at - 2 else -1


def _listed_counties(text: str, start: int, end: int, found: list[Mention]) -> list[Mention]:
    """Two-character forms of counties (兰考, 巩义) in a list that a count of counties ends
    (兰考、巩义、鄢陵等6个县市): there each is a county's name, as right after its city. Every
    item of the list must be such a form; names already found are left as they are."""
    out = []
    taken = {(m.start, m.end) for m in found}
    inside = gazetteer().inside
    for count in _COUNT.finditer(text, start, end):
        first = _list_start(text, start, count.start())
        after = text[count.end():count.end() + 8]
        if first < 0 or not any(p.match(after) for p in _county_count()):
            continue
        items = text[first:count.start()].split("、")
        if not all(item in inside for item in items):
            continue
        at = first
        for item in items:
            if (at, at + 2) not in taken:
                out.append(Mention(at, at + 2, item, inside[item]))
            at += 3
    return out


def find_mentions(text: str, start: int = 0, end: int | None = None,
                  ends: list[int] | None = None) -> list[Mention]:
    """Division names in text[start:end], longest first, not overlapping, left to right.

    `ends`: name_ends of that range, when the caller has them (one pass for a whole page)."""
    gz = gazetteer()
    end = len(text) if end is None else end
    found: list[Mention] = []
    roads = grouped("place_locatives.tsv").get("road", ())
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
    found.extend(_listed_counties(text, start, end, found))
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
