"""What a claim counts: a short noun phrase taken from the text around the numeral.

`2610个党群服务中心` counts what follows the unit; `党员先锋岗83个` and
`化解各类矛盾纠纷530余件` count what precedes the numeral. Part-of-speech tags come
from jiojio, the segmenter that jionlp uses.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
NOUNISH = {"n", "ns", "nr", "nt", "nz", "nx", "vn", "an", "j", "l", "i", "nrf", "nrj"}
QUOTES = "“”\"‘’「」《》"
STOP_CHARS = set("，,。；;：:！!？?、\n")
SPAN = 20


@lru_cache(maxsize=1)
def _words() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in (DATA / "indicator_words.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, word = line.split("\t")[:2]
            out.setdefault(kind, set()).add(word)
    return out


@lru_cache(maxsize=1)
def _cutter():
    import jiojio

    jiojio.init(pos=True)
    return jiojio.cut


@lru_cache(maxsize=65536)
def tag(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((w, t) for w, t in _cutter()(text)) if text else ()


def _clip_right(text: str, start: int, hi: int) -> str:
    end = start
    while end < hi and end - start < SPAN and text[end] not in STOP_CHARS and not text[end].isdigit():
        end += 1
    return text[start:end]


def _clip_left(text: str, end: int, lo: int) -> str:
    start = end
    while start > lo and end - start < SPAN and text[start - 1] not in STOP_CHARS \
            and not text[start - 1].isdigit():
        start -= 1
    return text[start:end]


def _strip_quotes(s: str) -> str:
    s = s.strip()
    if len(s) > 2 and s[0] in QUOTES and s[-1] in QUOTES and not any(q in s[1:-1] for q in QUOTES):
        return s[1:-1]
    return s


def after_phrase(text: str, unit_end: int, hi: int) -> str:
    """The noun phrase right after the unit (skipping 的 and opening quotes)."""
    window = _clip_right(text, unit_end, hi)
    tokens = list(tag(window))
    out = []
    i = 0
    while i < len(tokens) and (tokens[i][0] in ("的", "之") or tokens[i][0] in QUOTES):
        if tokens[i][0] in QUOTES:
            out.append(tokens[i][0])
        i += 1
    for word, pos in tokens[i:]:
        if pos in NOUNISH or word in QUOTES or (word in "()（）" and out) or \
                (out and pos in ("a", "b", "m", "q", "v") and len(word) == 1 and word not in "的和与及等在到为是把被"):
            out.append(word)
            continue
        break
    phrase = "".join(out).rstrip("(（")
    return _strip_quotes(_balance(phrase))


def before_phrase(text: str, num_start: int, lo: int) -> str:
    """The noun phrase right before the numeral, without leading scope words or verbs."""
    window = _clip_left(text, num_start, lo)
    tokens = list(tag(window))
    lead = _words().get("lead", set())
    while tokens and tokens[-1][0] in lead:
        tokens.pop()
    out: list[str] = []
    for word, pos in reversed(tokens):
        if word in lead:
            break
        if pos in NOUNISH or word in QUOTES or word in "()（）" or (pos in ("a", "b", "q") and out):
            out.append(word)
            continue
        if pos in ("v",) and not out:
            out.append(word)
            continue
        break
    phrase = "".join(reversed(out)).lstrip(")）")
    return _strip_quotes(_balance(phrase))


def _balance(s: str) -> str:
    """Drop an unmatched bracket or quote at either end."""
    pairs = {"(": ")", "（": "）", "“": "”"}
    for o, c in pairs.items():
        if s.count(o) > s.count(c) and s.endswith(o):
            s = s[:-1]
        if s.count(c) > s.count(o) and s.startswith(c):
            s = s[1:]
        if s.count(o) > s.count(c) and s.startswith(o):
            s = s[1:]
        if s.count(c) > s.count(o) and s.endswith(c):
            s = s[:-1]
    return s


def indicator_for(text: str, num_start: int, unit_end: int, unit_kind: str, lo: int, hi: int) -> str:
    """The indicator of a claim whose numeral starts at num_start and unit ends at unit_end."""
    after = after_phrase(text, unit_end, hi)
    prefer_before = unit_kind in ("percent", "money", "area", "weight", "length", "points")
    before = before_phrase(text, num_start, lo) if (prefer_before or len(after) < 2) else ""
    if prefer_before and len(before) >= 2 and not text.startswith("的", unit_end):
        return before
    if len(after) >= 2:
        return after
    return before or after
