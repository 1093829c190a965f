"""Scope words (rules/scopes.tsv): 全国/我国 make a figure national, 全省/全自治区 provincial,
全市/全盟 city-wide, 全旗/全县 county-wide; 全区 is the autonomous region or a district, by the
article. A 级 word followed by a grade (市级龙头企业) is a rank, no scope."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..rulefiles import rows

SCOPES = ("national", "province", "city", "county", "town", "region_or_district")
ALWAYS, NO_LOCAL_HOME = "always", "no_local_home"


class Scope(NamedTuple):
    start: int
    end: int
    scope: str          # one of SCOPES
    condition: str      # always | no_local_home


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """One pattern for every scope word (longest first; a 级 word not followed by a grade),
    and each word's scope and condition."""
    words: dict[str, tuple[str, str]] = {}
    grades: list[str] = []
    for scope, word, *rest in rows("scopes.tsv"):
        if scope == "grade":
            grades.append(word)
        else:
            words[word] = (scope, rest[0] if rest else ALWAYS)
    alt = lambda ws: "|".join(map(re.escape, sorted(ws, key=len, reverse=True)))  # noqa: E731
    # a grade after a 级 word, or after a national or provincial word, makes a rank (市级龙头企业,
    # 全国文明村); after 全市/全旗 a grade stays a scope as it always did (全市先进典型)
    graded = [w for w in words if w.endswith("级") or words[w][0] in ("national", "province")]
    plain = [w for w in words if w not in graded]
    parts = []
    no_grade = f"(?!{alt(grades)})" if grades else ""
    if graded:
        parts.append(f"(?:{alt(graded)})(?!级){no_grade}")   # 国家 in 国家级示范社 is no scope either
    if plain:
        parts.append(f"(?:{alt(plain)})(?!级)")
    return re.compile("|".join(f"(?:{p})" for p in parts)), words


def find_scopes(text: str, start: int, end: int) -> list[Scope]:
    """Scope words in text[start:end], in order."""
    pattern, words = _table()
    return [Scope(m.start(), m.end(), *words[m.group()]) for m in pattern.finditer(text, start, end)]
