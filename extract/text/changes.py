"""What a figure that changes is about (贫困发生率从5.7%下降至1.4%, 占比由两年前21%提高到48%,
贫困发生率降至0.23%, 全省未脱贫人口从2015年底的200万人): the thing named before the from-word
(从, 由) or before the change verb, not the verb (下降) a phrase reader would take. The words
are rules/changes.tsv; used by the claims (the unit of a changed count) and the indicators."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..rulefiles import rows
from .sentences import clause_start
from .wordset import alternation

_CLAUSE_BREAKS = "，,；;。：:！？!?、“”\n"     # where the clause read before a figure starts
_NOUN = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9.]+$")
NOUN_CHARS = (2, 16)        # how long the thing named before the change may be
FIRST_GAP = 8               # characters between the from-word and the first figure (两年前)
SECOND_GAP = 24             # characters between the from-word and the change verb (5.7%)


class _Patterns(NamedTuple):
    first: re.Pattern       # 贫困发生率从 | 占比由两年前: the first figure of a change
    second: re.Pattern      # …从5.7%下降至: the second
    alone: re.Pattern       # 贫困发生率降至: a change with no first figure
    first_count: re.Pattern  # 全省未脱贫人口从2015年底的: a count that changes
    leading: re.Pattern     # 目前, 2019年底的: no part of the thing


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    words: dict[str, list[str]] = {}
    for kind, word, *_ in rows("changes.tsv"):
        words.setdefault(kind, []).append(word)
    lo, hi = NOUN_CHARS
    noun = f"^(?P<noun>.{{{lo},{hi}}}?)"
    opens = f"(?:{alternation(words.get('from', ()))})"
    other = f"(?:(?!{opens}).)"                       # a character that opens no from-word
    change = f"(?:{alternation(words.get('verb', ()))})(?:{alternation(words.get('to', ()))})"
    dates = "|".join(f"(?:{p})" for p in words.get("count_date", ()))
    return _Patterns(
        re.compile(f"{noun}{opens}{other}{{0,{FIRST_GAP}}}$", re.S),
        re.compile(f"{noun}{opens}{other}{{0,{SECOND_GAP}}}?{change}$", re.S),
        re.compile(f"{noun}{change}$"),
        re.compile(f"{noun}{opens}(?:{dates})?的?$"),
        re.compile("^(?:" + "|".join(f"(?:{p})" for p in words.get("leading", ())) + ")"),
    )


def _last_clause(text: str, num_start: int, lo: int) -> str:
    """The text from the last clause break before num_start (not before lo) to it."""
    return text[clause_start(text, lo, num_start, _CLAUSE_BREAKS):num_start]


def _noun(m: re.Match) -> str | None:
    noun = _patterns().leading.sub("", m.group("noun"))
    return noun if len(noun) >= 2 and _NOUN.match(noun) else None


def from_to_indicator(text: str, num_start: int, lo: int) -> str | None:
    """The rate a percent figure at num_start belongs to when it is the start or end of a change
    (read in the clause before it, from lo); None when it is not."""
    # the first figure of the change may sit in the clause before: 从5.7%下降至1.4% has no break
    clause = _last_clause(text, num_start, lo)
    p = _patterns()
    for pattern in (p.second, p.first, p.alone):
        m = pattern.match(clause)
        if m:
            return _noun(m)
    return None


def from_to_count(text: str, num_start: int, lo: int) -> str | None:
    """The thing a count at num_start is the start of a change of (全省未脱贫人口从2015年底的200万人,
    街道职责事项由222项): the noun before the from-word in its clause; None when it is not one."""
    m = _patterns().first_count.match(_last_clause(text, num_start, lo))
    return _noun(m) if m else None
