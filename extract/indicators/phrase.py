"""What a claim counts: a short noun phrase taken from the text around the numeral.

`2610个党群服务中心` counts what follows the unit; `党员先锋岗83个` and
`化解各类矛盾纠纷530余件` count what precedes the numeral. Part-of-speech tags come
from jiojio, the segmenter that jionlp uses.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..claims.claims import SPACES
from ..claims.qualifiers import after_words, before_words, trailing_words
from ..rulefiles import grouped
from .tagger import tag

QUOTES = "“”\"‘’「」《》"
STOP_CHARS = set("，,。；;：:！!？?、\n")
SPAN = 14


@lru_cache(maxsize=1)
def _words() -> dict[str, set[str]]:
    out = {kind: set(words) for kind, words in grouped("indicator_words.tsv").items()}
    # qualifiers written before a numeral (约, 接近, 超过 …) never belong to the phrase
    out.setdefault("lead", set()).update(before_words())
    return out


@lru_cache(maxsize=1)
def _tags() -> dict[str, frozenset[str]]:
    """The part-of-speech tag sets of rules/pos_tags.tsv (noun, modifier, verb, function …)."""
    return {name: frozenset(tags) for name, tags in grouped("pos_tags.tsv").items()}


@lru_cache(maxsize=1)
def _clip_patterns() -> tuple[re.Pattern, re.Pattern]:
    """A window's characters: no stop punctuation, no digit (anything str.isdigit calls one,
    ① and ² included) and nothing at or below a blank. As regexes, so clipping runs in C."""
    # \d is the decimal digits; the other characters isdigit() accepts (①, ²) as ranges,
    # since a long list of single characters makes a slow class
    dec = re.compile(r"\d")
    extra = [c for c in range(0x110000) if chr(c).isdigit() and not dec.match(chr(c))]
    ranges = []
    for c in extra:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    other = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    cls = "[^" + re.escape("".join(sorted(STOP_CHARS))) + "\\d" + other + "\\x00-\\x20]"
    return re.compile(f"{cls}{{0,{SPAN}}}"), re.compile(f"{cls}*\\Z")


def _clip_right(text: str, start: int, hi: int) -> str:
    """Up to SPAN window characters from text[start:hi]."""
    m = _clip_patterns()[0].match(text, start, hi)
    return m.group() if m else ""


def _clip_left(text: str, end: int, lo: int) -> str:
    """Up to SPAN window characters ending at text[end], not before lo."""
    m = _clip_patterns()[1].search(text, max(lo, end - SPAN), end)
    return m.group() if m else ""


def _strip_quotes(s: str) -> str:
    s = s.strip()
    if len(s) > 2 and s[0] in QUOTES and s[-1] in QUOTES and not any(q in s[1:-1] for q in QUOTES):
        return s[1:-1]
    return s


def _tokens(window: str) -> list[tuple[str, str]]:
    """Tagged tokens, with compounds from the data file re-joined (占+比 -> 占比) and read as
    nouns also when the tagger gives them whole (占比/v)."""
    tokens = list(tag(window))
    compounds = _words().get("compound", set())
    if not compounds:
        return tokens
    out: list[tuple[str, str]] = []
    for word, pos in tokens:
        out.append((word, "n" if word in compounds else pos))
        for k in (2, 3, 4):
            if len(out) >= k and "".join(w for w, _ in out[-k:]) in compounds:
                out[-k:] = [("".join(w for w, _ in out[-k:]), "n")]
                break
    return out


def after_phrase(text: str, unit_end: int, hi: int) -> str:
    """The noun phrase right after the unit (skipping a qualifier such as 以上, and 的)."""
    pos = unit_end
    for word in trailing_words():
        if text.startswith(word, pos):
            pos += len(word)
            break
    return _phrase_after(_clip_right(text, pos, hi))


@lru_cache(maxsize=65536)
def _phrase_after(window: str) -> str:
    """after_phrase() of a clipped window; cached, as the same phrases recur across an archive."""
    tokens = _tokens(window)
    words, tags = _words(), _tags()
    stop, suffix = words.get("stop", set()), words.get("suffix", set())
    noun, after_noun, locative = tags["noun"], tags["after_noun"], tags["locative"]
    out: list[str] = []
    i = 0
    skip = words.get("after_lead", set())
    while i < len(tokens) and tokens[i][0] in skip:
        i += 1
    have_noun = False
    for word, p in tokens[i:]:
        if word in stop:
            break
        if word in QUOTES or (word in "()（）" and out):
            out.append(word)
        elif p in noun or p in after_noun or (p in locative and out):
            out.append(word)
            have_noun = True
        elif p in tags["modifier"] and not have_noun:
            out.append(word)          # 沙化草牧场, 优秀社区工作者: a modifier before the head noun
        elif word in suffix and have_noun:
            out.append(word)          # 楼栋长
        else:
            break
    if not have_noun:
        return ""
    last, last_tag = tokens[i + len(out) - 1]      # out is a run of tokens from tokens[i]
    if last_tag in locative and len(last) == 1:
        out.pop()                 # 35个“老少乐园”中推行: 中 says where, not what is counted
    phrase = "".join(out).rstrip("(（")
    return _strip_quotes(_balance(phrase))


def before_phrase(text: str, num_start: int, lo: int, unit: str = "") -> str:
    """The noun phrase right before the numeral, without scope words, light verbs or qualifiers."""
    if num_start - 1 > lo and text[num_start - 1] in SPACES:
        num_start -= 1            # 农牧民党员 44473名: one blank before the numeral
    window = _clip_left(text, num_start, lo)
    start = num_start - len(window)
    if len(window) <= UNIT_CHARS and start > lo and text[start - 1].isdigit():
        if unit in _words().get("fallback", set()):
            return ""             # 61.4万亩96户: the 户 names itself

        # 旧宅基地6户20亩: the window is the previous figure's unit; read before that figure
        while start > lo and (text[start - 1].isdigit() or text[start - 1] in ".万亿千"):
            start -= 1
        window = _clip_left(text, start, lo)
        if len(window) <= UNIT_CHARS and start > lo and text[start - 1].isdigit():
            return ""
    return _phrase_before(window)


UNIT_CHARS = 2      # a window this short, right after a digit, is that figure's unit


def change_only(gap: str) -> bool:
    """Whether the text between two figures only says the second is a change of the first:
    销售收入45.3亿元,同比增长99.8% (the gap ,同比增长)."""
    words = _words()
    rest = gap.lstrip(",，、 ")
    for word in sorted(words.get("change_lead", set()), key=len, reverse=True):
        if rest.startswith(word):
            rest = rest[len(word):]
            break
    return rest in words.get("change", set())


@lru_cache(maxsize=65536)
def _phrase_before(window: str) -> str:
    """before_phrase() of a clipped window; cached like _phrase_after."""
    tokens = _tokens(window)
    words, tags = _words(), _tags()
    lead, suffix = words.get("lead", set()), words.get("suffix", set())
    noun, verbs, function = tags["noun"], tags["verb"], tags["function"]
    popped = False
    # drop scope words, qualifiers, function words, and the predicate once anything was dropped:
    # 网格细化为6000余个, 群众满意度持续稳定在95%以上
    while tokens and (tokens[-1][0] in lead or tokens[-1][1] in function
                      or (popped and tokens[-1][1] in verbs)):
        tokens.pop()
        popped = True
    out: list[str] = []
    nouns_only = bool(tokens) and tokens[-1][0] in words.get("change", set())
    if nouns_only:
        # 集体经济收入同比增长15%: the change with the noun before it
        out.append(tokens.pop()[0])
        while tokens and (tokens[-1][0] in words.get("change_lead", set()) or tokens[-1][1] in function):
            out.append(tokens.pop()[0])
        change_words, out = out, []
    have_word = False
    for word, p in reversed(tokens):
        if word in lead:
            break
        if nouns_only and not have_word and p not in noun:
            break
        if word in QUOTES or word in "()（）":
            out.append(word)
        elif p in noun or p in tags["before_noun"] or (word in suffix and not have_word):
            out.append(word)
            have_word = True
        elif p in tags["before_modifier"] and have_word:
            out.append(word)
        elif p in verbs and not have_word and not popped:
            out.append(word)          # 户均增收, 走访调研: the verb is what is counted
            have_word = True
        else:
            break
    if nouns_only and not out:
        return ""                 # ,同比增长19%: the figure before is what changed
    n = len(out)
    if out and all(t in tags["place"] for _, t in tokens[len(tokens) - n:]) and len(tokens) > n \
            and tokens[-n - 1][1] in tags["preposition"]:
        return ""                 # 在哈尔滨多卖了2300元: where it happened is not what is counted
    out.reverse()
    if nouns_only:
        out += reversed(change_words)
    for k in (2, 3):              # a scope word the tagger split: 全/a 旗/n
        if len(out) >= k and "".join(out[:k]) in lead:
            out = out[k:]
            break
    phrase = "".join(out).lstrip(")）")
    for word in words.get("not_first", ()):
        if phrase.startswith(word):
            phrase = phrase[len(word):]   # 10万元以上嘎查数量占比: 以上 belongs to the figure before
    return "" if phrase in words.get("alone", set()) else _strip_quotes(_balance(phrase))


def _balance(s: str) -> str:
    """Drop an unmatched bracket or quote at either end, and the words cut off on the far
    side of an unmatched bracket: 区)社会矛盾纠纷调处中心 (from 旗县(市、区)…) is 社会矛盾纠纷调处中心."""
    for o, c in (("(", ")"), ("（", "）")):
        close = s.find(c)
        if 0 < close < len(s) - 1 and (o not in s or close < s.find(o)):
            s = s[close:]               # the bracket itself goes below
        opening = s.rfind(o)
        if opening > 0 and c not in s[opening:]:
            s = s[:opening + 1]
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


def indicator_for(text: str, num_start: int, unit: str, unit_end: int, unit_kind: str,
                  lo: int, hi: int) -> str:
    """The indicator of a claim whose numeral starts at num_start and unit ends at unit_end.

    The thing counted usually follows the unit (2610个党群服务中心, 5000元党费); when
    nothing nominal follows, it precedes the numeral (党员先锋岗83个, 引进资金5.6亿元).
    """
    after = after_phrase(text, unit_end, hi)
    fund = _words().get("fund", ())
    if after and unit_kind == "money" and any(text.endswith(w, lo, num_start) for w in fund):
        before = before_phrase(text, num_start, lo)       # tagged only after a fund word
        if any(before.endswith(w) for w in fund):
            return before         # 总投资6700万元建成…: the investment is what is counted
    if len(after) >= 2 or (after and (unit_kind != "count" or after != unit)):
        return after
    before = before_phrase(text, num_start, lo, unit)
    if before:
        return before
    if after:
        return after
    return unit if unit in _words().get("fallback", set()) else ""


LIST_MODIFIER = 6     # at most this many characters between a list item's unit and its join word


def list_head(gap: str, next_indicator: str, parallel_only: bool = False) -> str | None:
    """The indicator of a list item that names nothing itself, from the next item's when `gap`
    (the text from the item's unit to the next numeral) is a short modifier and a join word:
    1个市级、9个县级、84个乡级综治中心. A modifier of the same form as the next item's (市级,
    乡级) takes its place: 市级综治中心; any other gives the shared phrase as it is, unless
    `parallel_only` (the item's modifier is a noun of its own: 13个苏木乡镇街道、166个嘎查村)."""
    joins = _words().get("list_join", set())
    join = max((w for w in joins if gap.endswith(w)), key=len, default=None)
    if join is None or not next_indicator:
        return None
    modifier = gap[:len(gap) - len(join)]
    for word in after_words():       # 50万元以上、30万元以上: 以上 qualifies the figure
        if modifier.startswith(word):
            modifier = modifier[len(word):]
            break
    if len(modifier) > LIST_MODIFIER or any(not "\u4e00" <= ch <= "\u9fff" for ch in modifier):
        return None
    if modifier and len(next_indicator) > len(modifier) and next_indicator[len(modifier) - 1] == modifier[-1]:
        return modifier + next_indicator[len(modifier):]
    return None if parallel_only and modifier else next_indicator


# ---------------------------------------------------------------- from one claim to the next

CONTINUE = (",", "，", "、")     # a gap of only this between two claims: the same activity


def carried(previous: str, gap: str) -> str | None:
    """The indicator a claim that names nothing takes from the claim before it in the same
    sentence, given the text between the two (`gap`): the previous one when only a comma stands
    between (开展“荷香带教”2轮,119人次), the previous one with the change when the gap only
    says that this is its change (收入3130元,同比增长19%); None otherwise."""
    if gap in CONTINUE:
        return previous
    if previous and change_only(gap):
        return previous + gap.lstrip(",，、 ")
    return None


def share_list_heads(text: str, done: list) -> None:
    """Items of a list that name nothing take the head noun written after the last item, from
    the last item back (1个市级、9个县级、84个乡级综治中心), with its themes. An item names
    nothing when its indicator is empty, its unit, or its own modifier of the same form as the
    next item's (1个旗级和12个镇级…; not 13个苏木乡镇街道、166个嘎查村).

    `done`: (claim, row) pairs of a sentence in order; the rows are changed in place."""
    for (claim, row), (nxt, nrow) in reversed(list(zip(done, done[1:]))):
        gap = text[claim.end:nxt.start]
        if nxt.unit != claim.unit or row["indicator"] != claim.unit and not gap.startswith(row["indicator"]):
            continue
        head = list_head(gap, nrow["indicator"], row["indicator"] not in ("", claim.unit))
        if head is not None:
            row["indicator"] = head
            row["theme"], row["themes"] = nrow["theme"], nrow["themes"]
