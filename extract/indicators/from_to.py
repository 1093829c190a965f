"""What a rate that moves is (贫困发生率从5.7%下降至1.4%, 占比由两年前21%提高到48%,
贫困发生率降至0.23%): both figures are the rate named before 从/由 or before the change verb,
not the verb (下降) the phrase reader would take."""
from __future__ import annotations

import re

_CLAUSE_BREAK = re.compile(r"[，,；;。：:！？!?、“”\n]")
_CHANGE = r"(?:下降|降低|降|提高|提升|增加|增长|减少|上升|升|减)(?:至|到)"
_FIRST = re.compile(r"^(?P<noun>.{2,16}?)(?:从|由)[^从由]{0,8}$")             # 贫困发生率从 | 占比由两年前
_SECOND = re.compile(r"^(?P<noun>.{2,16}?)(?:从|由)[^从由]{0,24}?" + _CHANGE + "$")   # …从5.7%下降至
_ALONE = re.compile(r"^(?P<noun>.{2,16}?)" + _CHANGE + "$")                    # 贫困发生率降至
_LEADING = re.compile(r"^(?:截至目前|目前|如今|现在|其中|同时|[0-9]{4}年(?:底|末)?(?:的)?)")
_NOUN = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9.]+$")


def from_to_indicator(text: str, num_start: int, lo: int) -> str | None:
    """The rate a percent figure at num_start belongs to when it is the start or end of a change
    (read in the clause before it, from lo); None when it is not."""
    clause = text[lo:num_start]
    breaks = list(_CLAUSE_BREAK.finditer(clause))
    # the first figure of the change may sit in the clause before: 从5.7%下降至1.4% has no break
    clause = clause[breaks[-1].end():] if breaks else clause
    for pattern in (_SECOND, _FIRST, _ALONE):
        m = pattern.match(clause)
        if m:
            noun = _LEADING.sub("", m.group("noun"))
            return noun if len(noun) >= 2 and _NOUN.match(noun) else None
    return None


# a count's change names its date, if anything, between 从/由 and the figure: 从2015年底的200万人
_FIRST_COUNT = re.compile(r"^(?P<noun>.{2,16}?)(?:从|由)(?:[0-9]{4}年(?:底|末|初)?|[今去前]年(?:底|末|初)?)?的?$")


def from_to_count(text: str, num_start: int, lo: int) -> str | None:
    """The thing a count at num_start is the start of a change of (全省未脱贫人口从2015年底的200万人,
    街道职责事项由222项): the noun before 从/由 in its clause; None when it is not one."""
    clause = text[lo:num_start]
    breaks = list(_CLAUSE_BREAK.finditer(clause))
    clause = clause[breaks[-1].end():] if breaks else clause
    m = _FIRST_COUNT.match(clause)
    if not m:
        return None
    noun = _LEADING.sub("", m.group("noun"))
    return noun if len(noun) >= 2 and _NOUN.match(noun) else None
