"""Units: the measure words and units that make a numeral a claim (rules/units.tsv), longest
match first, and the words that make a money figure a price per unit (rules/per_units.tsv)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..rulefiles import grouped, rows


@dataclass(frozen=True)
class Units:
    at: dict[str, tuple[tuple[str, str, str], ...]]   # first char -> (written, unit, kind), longest first
    per_words: tuple[str, ...]                        # 一, 每: 30块钱一亩
    per_units: frozenset[str]                         # the units a price may be per


@lru_cache(maxsize=1)
def units() -> Units:
    written = {r[0]: (r[1], r[2]) for r in rows("units.tsv")}
    # grouped by their first character: one dictionary look-up tells that the character after
    # most numerals (年, 月, 是 …) starts no unit
    at: dict[str, list] = {}
    for w in sorted(written, key=len, reverse=True):
        at.setdefault(w[0], []).append((w, *written[w]))
    per = grouped("per_units.tsv")
    return Units({ch: tuple(v) for ch, v in at.items()}, per.get("per", ()), frozenset(per.get("unit", ())))


def unit_starts() -> frozenset[str]:
    """The characters a unit starts with."""
    return frozenset(units().at)


def match_unit(text: str, pos: int, hi: int | None = None) -> tuple[str, str, int] | None:
    """The longest unit written at text[pos:hi], as (unit, kind, end)."""
    hi = len(text) if hi is None else hi
    if pos >= hi:
        return None
    for written, unit, kind in units().at.get(text[pos], ()):
        end = pos + len(written)
        if end <= hi and text.startswith(written, pos):
            return unit, kind, end
    return None


def per_unit(text: str, end: int, hi: int, name: str) -> tuple[str, int]:
    """A money unit right before 一亩/每斤 makes a price per that unit: 30块钱一亩 is 元/亩."""
    u = units()
    for word in u.per_words:
        if text.startswith(word, end):
            m = match_unit(text, end + len(word), hi)
            if m is not None and m[0] in u.per_units:
                return f"{name}/{m[0]}", m[2]
    return name, end
