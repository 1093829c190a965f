"""Places named in a role other than the subject (rules/place_roles.tsv): a neighbour (西与…相连),
a destination (发往…), an origin (来自…), a helper's target (对口帮扶…), the city of a dateline
(本报呼和浩特1月10日电). Such a name is no figure's place: attribution drops it."""
from __future__ import annotations

import re
from functools import lru_cache

from ..rulefiles import rows, settings

PLACE = "〈地〉"
_CHAIN_GAP = ("", "、", "和", "及", "与")   # names joined like this share one role


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern | None, re.Pattern | None, tuple[tuple[re.Pattern, re.Pattern], ...]]:
    """The role patterns, split at 〈地〉: those with only a text before the name and those with
    only a text after it joined into one alternation each; those with both kept as pairs."""
    before_only, after_only, pairs = [], [], []
    for role, pattern, *_ in rows("place_roles.tsv"):
        before, _, after = pattern.partition(PLACE)
        if before and after:
            pairs.append((re.compile(f"(?:{before})$", re.M), re.compile(after)))
        elif before:
            before_only.append(before)
        else:
            after_only.append(after)
    b = re.compile("(?:" + "|".join(f"(?:{p})" for p in before_only) + ")$", re.M) if before_only else None
    a = re.compile("|".join(f"(?:{p})" for p in after_only)) if after_only else None
    return b, a, tuple(pairs)


def not_subject(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] stands in a role that is not the subject."""
    before, after, pairs = _patterns()
    reach = settings("attribution.tsv")
    lo = max(0, start - int(reach["role_before_chars"]))
    hi = min(len(text), end + int(reach["role_after_chars"]))
    if before is not None and before.search(text, lo, start):
        return True
    if after is not None and after.match(text, end, hi):
        return True
    return any(a.match(text, end, hi) and b.search(text, lo, start) for b, a in pairs)   # after: anchored, cheap


def subject_mentions(text: str, mentions: list) -> list:
    """The mentions (with .start, .end) that may be a figure's place, in order: those in a role
    pattern are dropped, and so are the names chained right after a dropped one (发往山东潍坊、
    日照: 潍坊 and 日照 too) or right before it (西与阿拉善右旗阿拉腾敖包镇相连: both)."""
    drop = [not_subject(text, m.start, m.end) for m in mentions]
    for k in range(1, len(mentions)):          # forward along a chain
        if drop[k - 1] and text[mentions[k - 1].end:mentions[k].start] in _CHAIN_GAP:
            drop[k] = True
    for k in range(len(mentions) - 2, -1, -1):  # backward along a chain whose last name ends a pattern
        if drop[k + 1] and not drop[k] and text[mentions[k].end:mentions[k + 1].start] in _CHAIN_GAP \
                and not_subject(text, mentions[k].start, _chain_end(text, mentions, k + 1)):
            drop[k] = True
    return [m for m, d in zip(mentions, drop) if not d]


def _chain_end(text: str, mentions: list, k: int) -> int:
    """Where the chain of names that starts at mention k ends."""
    while k + 1 < len(mentions) and text[mentions[k].end:mentions[k + 1].start] in _CHAIN_GAP:
        k += 1
    return mentions[k].end
