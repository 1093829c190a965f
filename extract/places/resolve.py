"""Resolving a mention to a Place: the 旗县区 and 盟市 (with codes) a name stands for, narrowed
by the place read before it; an ambiguous name the context does not settle is flagged."""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .gazetteer import HOME_PROVINCE, LEVELS, Candidate, gazetteer
from .mentions import Mention

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
        return Place(d.code, None, None)
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
