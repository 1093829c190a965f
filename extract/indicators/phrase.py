"""What a claim counts: a short noun phrase taken from the text around the numeral.

`2610个党群服务中心` counts what follows the unit; `党员先锋岗83个` and
`化解各类矛盾纠纷530余件` count what precedes the numeral. Part-of-speech tags come
from indicators/tagger.py (jieba-rs, with jiojio's dictionary tags and the domain words of
rules/tagger_words.tsv).
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from ..claims.claims import SPACES
from ..claims.qualifiers import after_words, before_words, trailing_words
from ..claims.units import holds_noun, match_unit, units
from ..rulefiles import grouped
from ..text.sentences import CLAUSE_MARKS, clause_start
from ..text.changes import from_to_count
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


@lru_cache(maxsize=None)
def _pairs(kind: str) -> tuple[tuple[str, str], ...]:
    """The `written>meant` words of a kind of rules/indicator_words.tsv (unit_tail 口>人, people_of
    户>人口 …) as (written, meant), in file order (the sets of _words() have no order)."""
    return tuple(tuple(w.split(">", 1)) for w in grouped("indicator_words.tsv").get(kind, ()) if ">" in w)


@lru_cache(maxsize=1)
def _tags() -> dict[str, frozenset[str]]:
    """The part-of-speech tag sets of rules/pos_tags.tsv (noun, modifier, verb, function …)."""
    return {name: frozenset(tags) for name, tags in grouped("pos_tags.tsv").items()}


@lru_cache(maxsize=1)
def _clip_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    """A window's characters: no stop punctuation, no digit (anything str.isdigit calls one,
    ① and ² included: Unicode's numeric types Decimal and Digit) and nothing at or below a
    blank. As regexes, so clipping runs in C; with `regex`, whose \\p{Numeric_Type=…} names
    the digits that stdlib `re` would need a scan of every code point to list."""
    cls = "[^" + regex.escape("".join(sorted(STOP_CHARS))) + r"\p{Nt=De}\p{Nt=Di}\x00-\x20]"
    return regex.compile(f"{cls}{{0,{SPAN}}}"), regex.compile(f"{cls}*\\Z")


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
    tokens = _alnum_names(list(tag(window)))
    compounds = _words().get("compound", set())
    if not compounds:
        return tokens
    tails = _compound_tails()
    out: list[tuple[str, str]] = []
    for word, pos in tokens:
        out.append((word, "n" if word in compounds else pos))
        if word not in tails:
            continue                    # no compound ends with this word
        for k in (2, 3, 4):
            if len(out) >= k and "".join(w for w, _ in out[-k:]) in compounds:
                out[-k:] = [("".join(w for w, _ in out[-k:]), "n")]
                break
    return out


@lru_cache(maxsize=1)
def _compound_tails() -> frozenset[str]:
    """Every ending of a compound (比, 占比 of 占比): a token that is none ends no compound."""
    return frozenset(c[i:] for c in _words().get("compound", ()) for i in range(len(c)))


def _alnum_names(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Tokens with a run of Latin letters, digits and points that holds both letters and digits
    joined into one name (PM2/nx ./w 5/m -> PM2.5/nx)."""
    if not any(w[:1].isascii() and w[:1].isalpha() for w, _ in tokens):
        return tokens
    out: list[tuple[str, str]] = []
    run: list[tuple[str, str]] = []
    for word, pos in tokens + [("", "")]:
        if word and _ALNUM_TOKEN.fullmatch(word):
            run.append((word, pos))
            continue
        joined = "".join(w for w, _ in run)
        if any(c.isalpha() for c in joined) and any(c.isdigit() for c in joined):
            out.append((joined, "nx"))
        else:
            out.extend(run)
        run = []
        if word:
            out.append((word, pos))
    return out


def _window_after(text: str, unit_end: int, hi: int) -> str:
    """The clipped text after the unit, past one trailing word (以上, 的) if it starts there."""
    pos = unit_end
    for word in trailing_words():
        if text.startswith(word, pos):
            pos += len(word)
            break
    for word in _words().get("dimension", ()):
        if text.startswith(word + "的", pos):
            pos += len(word) + 1      # 5公里长的水泥路: how long is said by the figure
            break
    return _clip_right(text, pos, hi)


def after_phrase(text: str, unit_end: int, hi: int) -> str:
    """The noun phrase right after the unit (skipping a qualifier such as 以上, and 的)."""
    return _phrase_after(_window_after(text, unit_end, hi))


@lru_cache(maxsize=65536)
def _phrase_after(window: str) -> str:
    """after_phrase() of a clipped window; cached, as the same phrases recur across an archive."""
    tokens = _tokens(window)
    words, tags = _words(), _tags()
    stop, suffix = words.get("stop", set()), words.get("suffix", set())
    noun, after_noun, locative = tags["noun"], tags["after_noun"], tags["locative"]
    got: list[tuple[str, str]] = []       # the phrase's tokens
    i = 0
    skip = words.get("after_lead", set())
    while i < len(tokens) and tokens[i][0] in skip:
        i += 1
    have_noun = False
    heads = words.get("verb_head", set())
    j, broke = i, None
    per_head = words.get("per_head", set())
    while j < len(tokens):
        word, p = tokens[j]
        if word in stop or (word in per_head and have_noun):
            broke = j             # 30名贫困户人均分红: 人均 goes with the verb after it
            break
        if have_noun and p in tags["place"] and len(word) > 2 and got[-1][1] not in tags["place"]:
            broke = j             # 授予10名外国专家中华人民共和国…奖: a place name after the head starts anew
            break
        if word in OPENING:
            close = _closing_after(tokens, j)
            if close is not None:
                following = tokens[close + 1] if close + 1 < len(tokens) else None
                if following is not None and following[0] in OPENING:
                    if not have_noun:   # 234个“青年党员突击队”“党员义务巡防队”: the first name
                        got, have_noun = list(tokens[j:close + 1]), True
                    broke = j
                    break
                if have_noun and (following is None or following[1] not in noun or following[1] == "vn"):
                    broke = j         # 147名外出优秀人才“回流”: a quoted verb after the noun says what they did
                    break
                # 11名“带病提拔”干部: a quoted name is one modifier of the noun after it, or counted itself
                got.extend(tokens[j:close + 1])
                have_noun = True
                j = close + 1
                continue
        if have_noun and (p in tags["verb"] or p == "vn") and j + 1 < len(tokens) and tokens[j + 1][0] in heads:
            got.append((word, "n"))   # 9个社会矛盾纠纷调处中心: a verb before a head noun
            j += 1
            continue
        if word in QUOTES or (word in "()（）" and got):
            got.append((word, "w"))
        elif p in noun or p in after_noun or (p in locative and got):
            got.append((word, p))
            have_noun = True
        elif p in tags["modifier"] and not have_noun:
            got.append((word, p))     # 沙化草牧场, 优秀社区工作者: a modifier before the head noun
        elif word in suffix and (have_noun or got):
            got.append((word, "n"))   # 楼栋长; 暗访组: a verb and a noun ending make a noun
            have_noun = True
        else:
            broke = j
            break
        j += 1
    if broke is not None and (not have_noun or tokens[broke][1] in ADJECTIVAL):
        # 100余名坚守在抗疫一线的医务人员, 7个用工量较大的省份; not 37家联合单位组建的“大党委”
        relative = _relative_head(tokens, broke, strict=have_noun)
        if relative:
            return relative
    if not have_noun:
        return ""
    got = _verb_object_cut(got, noun)
    if len(got) == 2 and got[0][0] in words.get("activity_verb", set()) and got[1][1] in noun \
            and got[1][0] not in heads and got[1][0] not in words.get("measure_noun", set()):
        got.reverse()             # 2.9万亩种植马铃薯: 马铃薯种植 (not 500亩种植基地, a noun)
    last, last_tag = got[-1]
    if last_tag in locative and len(last) == 1:
        got.pop()                 # 35个“老少乐园”中推行: 中 says where, not what is counted
    elif last_tag in after_noun and len(last) == 2 and last[-1] in words.get("locative_end", set()):
        got[-1] = (last[0], "n")  # 1050亩的示范林里: 林里 is 林 and where
    phrase = "".join(w for w, _ in got).rstrip("(（")
    for end in words.get("plural_end", ()):
        if phrase.endswith(end) and len(phrase) > len(end) + 1:
            phrase = phrase[:-len(end)]   # 5名老党员志愿者们: the plural is said by the figure
            break
    if phrase in words.get("change", set()) or phrase in words.get("change_to", set()):
        return ""                 # 贫困发生率从5.7%下降至1.4%, 由222项缩减到101项: no thing counted
    return _strip_quotes(_balance(phrase))


def _verb_object_cut(got: list[tuple[str, str]], noun: frozenset[str]) -> list[tuple[str, str]]:
    """A phrase after the unit that ends in a verbal noun, with a verbal noun and its object after
    a noun, is cut before that verb: 4户贫困户经营土特产销售 counts 贫困户 (60支群众性排查队伍,
    which ends in a noun, stays whole)."""
    if len(got) < 3 or got[-1][1] != "vn":
        return got
    for k in range(1, len(got) - 1):
        if got[k][1] == "vn" and got[k - 1][1] in noun and got[k - 1][1] != "vn" and got[k + 1][1] in noun:
            return got[:k]
    return got


OPENING = "“「《‘"
PREDICATE_TAGS = frozenset({"v", "vi", "vt", "vd", "a", "ad", "d", "p"})


def _closing_after(tokens: list[tuple[str, str]], opening: int) -> int | None:
    """Index of the closing quote of the short quoted text opened at tokens[opening]."""
    length = 0
    for k in range(opening + 1, len(tokens)):
        if tokens[k][0] in CLOSING:
            return k if 0 < length <= QUOTED_CHARS else None
        length += len(tokens[k][0])
    return None


def _relative_head(tokens: list[tuple[str, str]], broke: int, strict: bool = True) -> str:
    """The head noun after 的 when the phrase after the unit broke at a predicate that a 的 ends:
    100余名坚守在抗疫一线的医务人员, 7个用工量较大的省份 count the 医务人员 and the 省份; not
    strict (no noun read before the break): at any word but a conjunction (20名来自各地的志愿者),
    or at the 的 itself (10家入驻的企业)."""
    word, p = tokens[broke]
    if word in _words().get("list_join", set()) or p in ("c", "f") or strict and p not in PREDICATE_TAGS:
        return ""                 # (f: 200公里外的集训基地 is how far, not what is counted)
    if word in RELATIVE and not strict and broke > 0:
        rest = "".join(w for w, _ in tokens[broke + 1:])
        return _phrase_after(rest) if rest else ""
    for k in range(broke + 1, len(tokens)):
        if tokens[k][0] in RELATIVE:
            rest = "".join(w for w, _ in tokens[k + 1:])
            return _phrase_after(rest) if rest else ""
        if tokens[k][0] in QUOTES:
            continue              # 50多条有“辣味”的批评意见
        if tokens[k][1] in ("c", "w") or tokens[k][0] in _words().get("stop", set()) - {"在"}:
            return ""
    return ""


RELATIVE = ("的",)
ADJECTIVAL = frozenset({"a", "ad", "d"})   # a predicate of these after a noun describes the noun after 的


def before_phrase(text: str, num_start: int, lo: int, unit: str = "") -> str:
    """The noun phrase right before the numeral, without scope words, light verbs or qualifiers."""
    if num_start - 1 > lo and text[num_start - 1] in SPACES:
        num_start -= 1            # 农牧民党员 44473名: one blank before the numeral
    window = _clip_left(text, num_start, lo)
    start = num_start - len(window)
    name = _ALNUM_NAME.search(text, max(lo, start - ALNUM_CHARS), start) if start > lo else None
    if name is not None and window:
        # 全省PM2.5浓度38微克: a name written with digits (PM2.5, 5G) is part of the phrase
        window = _clip_left(text, name.start(), lo) + name.group() + window
    elif len(window) <= UNIT_CHARS and start > lo and text[start - 1].isdigit():
        if unit in _words().get("fallback", set()):
            return ""             # 61.4万亩96户: the 户 names itself

        # 旧宅基地6户20亩: the window is the previous figure's unit; read before that figure
        while start > lo and (text[start - 1].isdigit() or text[start - 1] in ".万亿千"):
            start -= 1
        window = _clip_left(text, start, lo)
        if len(window) <= UNIT_CHARS and start > lo and text[start - 1].isdigit():
            return ""
    elif start > lo and text[start - 1].isdigit():
        found = match_unit(text, start, num_start)
        if found is not None and found[2] < num_start:
            window = text[found[2]:num_start]     # 5.7%下降至1.4%: the previous figure's unit is no word
            return _after_previous(window)
    return _phrase_before(window)


@lru_cache(maxsize=65536)
def _after_previous(window: str) -> str:
    """The phrase before a numeral whose window starts right after the previous figure's unit: what
    that figure counts (its phrase after the unit) is no part of this one's, the verb after it is
    (1236个基层单位开展调研1328场 counts 开展调研; 6个县市推广了6万亩, 推广)."""
    phrase = _phrase_before(window)
    theirs = _phrase_after(window)
    for word in _words().get("per_head", ()):
        if theirs.endswith(word):
            theirs = theirs[:-len(word)]      # 56名建档立卡贫困人口人均分红: 人均 goes with the verb
            break
    if not theirs or not phrase.startswith(theirs) or not window.startswith(phrase):
        return phrase
    if len(phrase) > len(theirs):
        return phrase[len(theirs):]
    tokens = _tokens(window[len(theirs):])
    verbs = _tags()["verb"]
    if tokens and tokens[0][1] in verbs and len(tokens[0][0]) > 1 \
            and tokens[0][0] not in _words().get("junk", set()) and tokens[0][0] not in _words().get("lead", set()):
        return tokens[0][0]
    return phrase


UNIT_CHARS = 2      # a window this short, right after a digit, is that figure's unit
ALNUM_CHARS = 10    # at most this long, a name of Latin letters and digits (PM2.5)
_ALNUM_NAME = re.compile(r"(?<![A-Za-z0-9.])[A-Za-z]{1,5}[0-9]+(?:\.[0-9]+)?$")
_ALNUM_TOKEN = re.compile(r"[A-Za-z0-9.]+")


def change_to(gap: str) -> bool:
    """Whether the text between two figures says the second is what the first became:
    由222项缩减到101项, 从5.7%下降至1.4% (the gap 缩减到, 下降至)."""
    rest = _GAP_DATE.sub("", gap.strip(",， "))
    return rest in _words().get("change_to", set())


# the date of the figure after the change word: 下降至2018年底的51万人
_GAP_DATE = re.compile(r"(?<=[到至为])(?:[0-9]{4}年(?:底|末|初)?|[今去前明]年(?:底|末|初)?)的?$")


def share_of(gap: str) -> bool:
    """Whether the text between two figures says the second is the first's share:
    无职党员38037名,占85.5% (the gap ,占)."""
    return gap.strip(",， ") in _words().get("share_of", set())


def people_of(previous_indicator: str, previous_unit: str, gap: str, unit: str) -> str | None:
    """The indicator of a count of people written right after a count of households, naming
    nothing itself: 建档立卡贫困户242户707人 counts 建档立卡贫困人口, 168户,836口人 counts 人口."""
    pairs = dict(_pairs("people_of"))
    if previous_unit not in pairs or unit not in _words().get("people_units", set()) \
            or gap.strip(",， ") != "":
        return None
    word = pairs[previous_unit]
    base = previous_indicator if previous_indicator != previous_unit else ""
    if base.endswith(previous_unit):
        base = base[:-len(previous_unit)]
    return base if base.endswith(word) else base + word


def _share_base(phrase: str) -> str:
    """What a share that follows a figure is the share of: its phrase, without a verb at its end
    (运用第二种形态处理38万人次，占24% is the share of 第二种形态)."""
    tokens = _tokens(phrase)
    if len(tokens) > 1 and tokens[-1][1] in _tags()["verb"]:
        return phrase[:-len(tokens[-1][0])]
    return phrase


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
    if len(tokens) > 1 and tokens[-1][0] in words.get("result_verb", set()) and tokens[-2][1] in verbs \
            and len(tokens[-2][0]) > 1 and (len(tokens) == 2 or tokens[-3][1] not in OBJECT_TAGS):
        return tokens[-2][0] + tokens[-1][0]      # 整改完成2445件: the work and its result are counted
    popped = _drop_sale_verb(tokens)      # 竹筒米酒能卖80元: the thing sold is what is priced
    # drop scope words, qualifiers, function words, and the predicate once anything was dropped:
    # 网格细化为6000余个, 群众满意度持续稳定在95%以上
    while tokens and (tokens[-1][0] in lead or tokens[-1][1] in function or tokens[-1][0] in "(（"
                      or _per_quantity(tokens[-1][0])
                      or (popped and tokens[-1][1] in verbs)
                      or (popped and tokens[-1][1] == "a" and len(tokens) > 1 and tokens[-2][1] in noun)):
        tokens.pop()
        popped = True
    out: list[str] = []
    nouns_only = bool(tokens) and tokens[-1][0] in words.get("change", set())
    if nouns_only:
        # 集体经济收入同比增长15%: the change with the noun before it
        out.append(tokens.pop()[0])
        change_lead = words.get("change_lead", set())
        while tokens:
            # 比/p 上年/t: a change lead the tagger split is joined again
            k = next((k for k in (3, 2) if len(tokens) >= k and "".join(w for w, _ in tokens[-k:]) in change_lead), 0)
            if k:
                joined = "".join(w for w, _ in tokens[-k:])
                del tokens[-k:]
                out.append(joined)
            elif tokens[-1][0] in change_lead or tokens[-1][1] in function:
                out.append(tokens.pop()[0])
            else:
                break
        change_words, out = out, []
    if not nouns_only and tokens and tokens[-1][0] in CLOSING:
        quoted = _quoted_before(tokens)
        if quoted:
            return quoted         # 开展“荷香带教”2轮: a name in quotes is counted whole
    have_word = verb_counted = False
    head_verb = None
    heads = words.get("verb_head", set())
    result = words.get("result_verb", set())
    skip_to = None
    for k, (word, p) in enumerate(reversed(tokens)):
        if skip_to is not None:
            out.append(word)
            if k == skip_to:
                skip_to = None
            continue
        if word in lead:
            break
        if word in CLOSING and have_word:
            opening = _opening_before(tokens, len(tokens) - 1 - k)
            if opening is not None:
                skip_to = len(tokens) - 1 - opening      # 居民“愁”事: a quoted word inside the phrase
                out.append(word)
                continue
        if have_word and p in verbs | {"vn"} and out and (out[-1] in heads or out[-1] == head_verb) \
                and word not in words.get("junk", set()) and _noun_past_verbs(tokens, len(tokens) - k - 2, verbs, noun):
            out.append(word)      # 社会矛盾纠纷调处中心: a verb between a noun and a head noun
            head_verb = word      # 物业纠纷联动处置行动: or verbs
            continue
        if nouns_only and not have_word and p not in noun:
            break
        if word in QUOTES or word in "()（）":
            out.append(word)
        elif p in noun or p in tags["before_noun"] or (word in suffix and not have_word):
            out.append(word)
            have_word = True
        elif p in tags["before_modifier"] and have_word:
            out.append(word)
        elif have_word and p == "m" and len(word) > 1 and word[0] == "第":
            out.append(word)          # 第二种形态: an ordinal names which one
            break
        elif p in verbs and not have_word and not popped:
            out.append(word)          # 户均增收, 走访调研: the verb is what is counted
            have_word = verb_counted = True
        elif verb_counted and p in verbs and len(out) == 1 and word not in words.get("modal", set()) \
                and (len(word) == 1 == len(out[0]) or out[0] in result):
            out.append(word)          # 播+栽, 整改+完成: a verb the tagger split, a verb and its result
        elif p in verbs and out and out[0] in words.get("rate_suffix", set()) and len(out) <= 3 \
                and (len(out) == 1 or tokens[len(tokens) - k][1] in verbs):
            out.append(word)          # 复工率, 复工面, 复工复产面: verbs before a rate suffix
        else:
            break
    if nouns_only and not out:
        return ""                 # ,同比增长19%: the figure before is what changed
    if len(out) > 1 and _numeral_classifier(out[-1]):
        out.pop()                 # 一节竹筒米酒: the numeral and its measure word are no part of the thing
    n = len(out)
    if out and all(t in tags["place"] for _, t in tokens[len(tokens) - n:]) and len(tokens) > n \
            and tokens[-n - 1][1] in tags["preposition"]:
        return ""                 # 在哈尔滨多卖了2300元: where it happened is not what is counted
    out.reverse()
    places = 0
    while places < n - 1 and tokens[len(tokens) - n + places][1] == "ns":
        places += 1               # 六安市金安区老年人口: where is said by the place columns
    if 0 < places < n - 1 and out[places] in words.get("place_suffix", set()):
        places += 1               # 大湾/ns 村/n 贫困人口: the rest of the place name the tagger split
    out = out[places:]
    if nouns_only:
        canon = dict(_pairs("change_canon"))
        # 比上年增加 is 同比增加: one form for a change against last year
        out += [canon.get(w, w) for w in reversed(change_words) if w not in words.get("change_drop", set())]
    for k in (2, 3):              # a scope word the tagger split: 全/a 旗/n
        if len(out) >= k and "".join(out[:k]) in lead:
            out = out[k:]
            break
    if len(out) >= 2 and out[-2] in words.get("activity_verb", set()) and out[-1] not in heads \
            and out[-1] not in words.get("measure_noun", set()):
        out[-2:] = out[:-3:-1]    # 种植玉米3000亩, 补贴保费100元: 玉米种植, 保费补贴
    phrase = "".join(out).lstrip(")）")
    for word in words.get("not_first", ()):
        if phrase.startswith(word):
            phrase = phrase[len(word):]   # 10万元以上嘎查数量占比: 以上 belongs to the figure before
    for word in words.get("count_suffix", ()):
        if phrase.endswith(word) and len(phrase) - len(word) >= 2:
            phrase = phrase[:-len(word)]  # 注册志愿团体总数为1253个: the groups are counted
            break
    return "" if phrase in words.get("alone", set()) else _strip_quotes(_balance(phrase, before=True))


def _noun_past_verbs(tokens: list[tuple[str, str]], at: int, verbs: frozenset[str], noun: frozenset[str]) -> bool:
    """Whether tokens[at], or the first token before it that is no verb, is a noun (纠纷 of
    物业纠纷联动处置行动: the verbs between it and the head noun belong to the name)."""
    while at >= 0 and tokens[at][1] not in noun and tokens[at][1] in verbs:
        at -= 1
    return at >= 0 and tokens[at][1] in noun


CN_NUMERALS = "一二两三四五六七八九十百千几"


def _per_quantity(word: str) -> bool:
    """Whether a word is 每 and a measure word (每斤, 每份): how much a figure is per, not a thing."""
    return len(word) == 2 and word[0] == "每" and word[1] in unit_words()


OBJECT_TAGS = frozenset({"n", "vn", "nz", "j"})   # before a verb and its result: what the work was on


def _numeral_classifier(word: str) -> bool:
    """Whether a word is a Chinese numeral and a measure word (一节, 两名), as the tagger may give it."""
    return len(word) == 2 and word[0] in CN_NUMERALS and word[1] in unit_words() \
        and word[1] not in _words().get("grade_word", set())     # 二类嘎查村: a grade, kept


def _drop_sale_verb(tokens: list[tuple[str, str]]) -> bool:
    """Drop, in place, a verb of selling or producing that ends the window, with the modal verbs,
    per-quantities (每个, 每天) and adverbs before it, when a noun is left before them: 竹子卖600元,
    香包每个卖6元, 医用无纺布原材料每天可产120吨 price or measure the 竹子, 香包, 原材料.
    Returns whether anything was dropped."""
    words, tags = _words(), _tags()
    if not tokens or tokens[-1][0] not in words.get("sale_verb", set()):
        return False
    k = len(tokens) - 1
    modal = words.get("modal", set())
    while k > 0 and (tokens[k - 1][0] in modal or tokens[k - 1][1] in tags["function"]):
        k -= 1
    if k == 0 or tokens[k - 1][1] not in tags["noun"]:
        return False
    del tokens[k:]
    return True


CLOSING = "”」》’"
QUOTED_CHARS = 12     # at most this many characters in a quoted name taken whole


def _opening_before(tokens: list[tuple[str, str]], close: int) -> int | None:
    """Index of the opening quote that the closing quote at tokens[close] ends, when the
    quoted text is short."""
    length = 0
    for i in range(close - 1, -1, -1):
        if tokens[i][0] in "“「《‘":
            return i if 0 < length <= QUOTED_CHARS else None
        length += len(tokens[i][0])
    return None


def _quoted_before(tokens: list[tuple[str, str]]) -> str:
    """The text inside the quotes that end `tokens`, when they open within them."""
    words = [w for w, _ in tokens]
    for i in range(len(words) - 2, -1, -1):
        if words[i] in "“「《‘":
            inner = "".join(words[i + 1:-1])
            return inner if 0 < len(inner) <= QUOTED_CHARS else ""
    return ""


_BALANCED = re.compile("[()（）“”]")      # the characters _balance looks at


def _balance(s: str, before: bool = False) -> str:
    """Drop an unmatched bracket or quote at either end, and the words cut off on the far
    side of an unmatched bracket: 区)社会矛盾纠纷调处中心 (from 旗县(市、区)…) is 社会矛盾纠纷调处中心."""
    if _BALANCED.search(s) is None:
        return s                        # (most phrases hold no bracket or quote at all)
    for o, c in (("(", ")"), ("（", "）")):
        close = s.find(c)
        if 0 < close < len(s) - 1 and (o not in s or close < s.find(o)):
            s = s[close:]               # the bracket itself goes below
        opening = s.rfind(o)
        if opening > 0 and c not in s[opening:]:
            # before the numeral the words next to it count (标准(一类嘎查村党组织679个);
            # after the unit, those next to the unit (党群服务中心(站)
            s = s[opening + 1:] if before and opening < len(s) - 1 else s[:opening + 1]
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
    """The indicator of a claim (see _indicator_for), with a people noun that a count of another
    unit counts in that unit's noun: 贫困人口仅剩4户 counts 贫困户 (unit_noun: 户>人口)."""
    phrase = _EDGE_SIGNS.sub("", _indicator_for(text, num_start, unit, unit_end, unit_kind, lo, hi))
    per = unit.partition("/")[2]
    if per:             # 小麦收购每斤涨到一块钱: what is priced comes before its per unit
        at = phrase.find(per)
        if at > 1 and phrase[at - 1] in units().per_words:
            phrase = phrase[:at - 1]
        elif at == 1 and phrase[0] in units().per_words:
            where = text.rfind(phrase, lo, num_start)
            priced = before_phrase(text, where, lo) if where > lo else ""
            phrase = priced or phrase
    phrase = _people_of_households(text, num_start, unit, phrase)
    for own, other in _pairs("unit_noun"):
        if unit == own and other and phrase.endswith(other) and len(phrase) > len(other):
            return phrase[:-len(other)] + own
    return phrase


# signs that the tagger reads as words (wx) at either end of a phrase: 党员/26名, 2330件/化解
_EDGE_SIGNS = re.compile(r"^[/\\|`~→+*#=^<>·_-]+|[/\\|`~→+*#=^<>·_-]+$")


def _indicator_for(text: str, num_start: int, unit: str, unit_end: int, unit_kind: str,
                   lo: int, hi: int) -> str:
    """The indicator of a claim whose numeral starts at num_start and unit ends at unit_end.

    The thing counted usually follows the unit (2610个党群服务中心, 5000元党费); when
    nothing nominal follows, it precedes the numeral (党员先锋岗83个, 引进资金5.6亿元).
    """
    for word in _words().get("unit_names", ()):
        if text.startswith(word, unit_end - len(unit)) and word.startswith(unit):
            return word           # 832人口: the unit and the word after it name what is counted
    tail_at = unit_end
    unit_end = _past_unit_tail(text, unit, unit_end)
    tail = text[tail_at:unit_end]
    after = after_phrase(text, unit_end, hi)
    if not after:
        after = _households_of_people(text, unit, unit_end, hi)   # 141户475人建档立卡贫困户
    fund = _words().get("fund", ())
    if after and unit_kind == "money" and any(text.endswith(w, lo, num_start) for w in fund):
        before = before_phrase(text, num_start, lo)       # tagged only after a fund word
        if any(before.endswith(w) for w in fund):
            return before         # 总投资6700万元建成…: the investment is what is counted
    if len(after) == 1 and after in _words().get("suffix", set()):
        before = before_phrase(text, num_start, lo, unit)
        return before + after if before else after    # 采访220多个点: 采访点
    if len(after) >= 2 or (after and (unit_kind != "count" or after != unit)):
        return after
    if not after and unit_kind == "count":
        moved = from_to_count(text, num_start, lo)
        if moved:
            for word in sorted(_words().get("lead", ()), key=len, reverse=True):
                if moved.startswith(word) and len(moved) - len(word) >= 2:
                    moved = moved[len(word):]
                    break
            return moved          # 全省未脱贫人口从2015年底的200万人: the count that changes
    before = before_phrase(text, num_start, lo, unit)
    where = _says_where(before)
    if before and not where:
        return before
    if unit_kind == "money":
        priced = per_clause_phrase(text, num_start, lo)
        if priced:
            return priced
    if after:
        return after
    named = _tail_noun(tail)
    if named:
        return named          # 共357户人家: 住户; 村中心地带50多亩地: 土地
    if unit_kind == "count":
        beyond = after_verb_phrase(text, unit_end, hi)
        if beyond:
            return beyond
    if where:
        topic = topic_phrase(text, num_start, lo)
        if topic:
            return topic      # 像白云一样的导游，村里有了近10个: the 导游
    if unit not in _words().get("fallback", set()):
        return ""
    tokens = _tokens(_clip_left(text, num_start, lo))
    if tokens and tokens[-1][1] in _tags()["before_modifier"] and len(tokens[-1][0]) > 1:
        return tokens[-1][0] + unit       # 外来21户: 外来户, the households the modifier says
    return unit


def _past_unit_tail(text: str, unit: str, unit_end: int) -> str:
    """The end of the unit past a word that only completes it (340口人, 2130元钱: unit_tail)."""
    for head, tail in _pairs("unit_tail"):
        if head == unit and tail and text.startswith(tail, unit_end):
            return unit_end + len(tail)
    return unit_end


_FIGURE = re.compile(r"[0-9.]+[万]?")


def _households_of_people(text: str, unit: str, unit_end: int, hi: int) -> str:
    """The phrase after a count of people written right after a count of households, when it
    names households (people_of): 141户475人建档立卡贫困户 counts 建档立卡贫困户 in 户."""
    pairs = dict(_pairs("people_of"))
    m = _FIGURE.match(text, unit_end, hi) if unit in pairs else None
    if m is None:
        return ""
    found = match_unit(text, m.end(), hi)
    if found is None or found[0] not in _words().get("people_units", set()):
        return ""
    phrase = after_phrase(text, found[2], hi)
    return phrase if phrase.endswith(unit) and len(phrase) > len(unit) else ""


def _people_of_households(text: str, num_start: int, unit: str, phrase: str) -> str:
    """A count of people right after a count of households whose phrase names the households
    counts their people (people_of): 141户475人建档立卡贫困户 counts 建档立卡贫困人口 in 人."""
    if unit not in _words().get("people_units", set()):
        return phrase
    for households, people in _pairs("people_of"):
        if people and phrase.endswith(households) and len(phrase) > len(households) \
                and text.endswith(households, 0, num_start) and num_start > len(households) \
                and text[num_start - len(households) - 1].isdigit():
            return phrase[:-len(households)] + people
    return phrase


def _tail_noun(tail: str) -> str:
    """What a unit tail names (tail_noun: 人家 of 357户人家 names 住户), or ""."""
    if not tail:
        return ""
    for written, noun in _pairs("tail_noun"):
        if written == tail and noun:
            return noun
    return ""


def _says_where(phrase: str) -> bool:
    """Whether a phrase before the numeral ends in a word of where (where: 村里, 地带): it says
    where the figure is, not what it counts."""
    return bool(phrase) and any(phrase.endswith(w) for w in _words().get("where", ()))


def topic_phrase(text: str, num_start: int, lo: int) -> str:
    """The noun phrase that ends the clause before the figure's, when the figure's own clause
    only says where it is: 像白云一样的导游，村里有了近10个 counts the 导游."""
    window = _clip_left(text, num_start, lo)
    start = num_start - len(window)
    if start - 1 <= lo or text[start - 1] not in "，,":
        return ""
    phrase = _phrase_before(_clip_left(text, start - 1, lo))
    return "" if _says_where(phrase) or is_junk(phrase) else phrase


PER_TAGS = frozenset({"r", "m", "q"})


def per_clause_phrase(text: str, num_start: int, lo: int) -> str:
    """The thing a price or pay is for when its clause holds only a per-quantity and the thing is
    named in the clause before: 还售红军餐，每份32元 prices 红军餐; 干保洁，每人一天40元."""
    window = _clip_left(text, num_start, lo)
    start = num_start - len(window)
    if not window.startswith("每") or start - 1 <= lo or text[start - 1] not in "，,":
        return ""
    if not all(p in PER_TAGS for _, p in _tokens(window)):
        return ""
    return _phrase_before(_clip_left(text, start - 1, lo))


AFTER_VERB_TOKENS = 4   # at most this many adverbs, verbs and particles between the unit and the noun


def after_verb_phrase(text: str, unit_end: int, hi: int) -> str:
    """The noun phrase written after a verb that follows the unit, when nothing is named before
    the numeral or right after the unit: 61人成功当选为村党组织书记 counts 村党组织书记."""
    return _phrase_after_verb(_window_after(text, unit_end, hi))


@lru_cache(maxsize=65536)
def _phrase_after_verb(window: str) -> str:
    tokens = _tokens(window)
    stop = _words().get("stop_verb", set())
    tags = _tags()
    verbs, noun = tags["verb"], tags["noun"]
    skip = verbs | AFTER_VERB_SKIP
    i = 0
    while i < len(tokens) and i < AFTER_VERB_TOKENS and tokens[i][1] in skip and tokens[i][0] not in stop:
        i += 1
    if i == 0 or i >= len(tokens) or not any(t in verbs for _, t in tokens[:i]):
        return ""
    out = []
    for word, p in tokens[i:]:
        if p in noun and p not in ("ns", "nr", "nrf", "nrj") or word in QUOTES:
            out.append(word)
        else:
            break
    phrase = _strip_quotes(_balance("".join(out)))
    return phrase if len(phrase) >= 2 and not is_junk(phrase) else ""


AFTER_VERB_SKIP = frozenset({"d", "ad", "u", "p"})   # besides verbs, skipped before the noun after a verb


def held_noun_indicator(text: str, written: str, unit: str, end: int) -> str:
    """The indicator of a claim whose unit is written as a noun that holds it (holds_noun): that noun,
    or, when an outcome verb follows it, the people of that outcome: 实现42万贫困人口脱贫 counts
    脱贫人口 (outcome_verb), not the poor."""
    for verb in sorted(_words().get("outcome_verb", ()), key=len, reverse=True):
        if text.startswith(verb, end) and unit in written:
            return verb + written[written.index(unit):]
    return written


@lru_cache(maxsize=1)
def unit_words() -> frozenset[str]:
    """The units as written that name nothing by themselves (个, 人次, 平方公里; not 贫困人口)."""
    return frozenset(w for group in units().at.values() for w, u, k in group if not holds_noun(w, u, k))


def is_junk(phrase: str) -> bool:
    """Whether a phrase names nothing: empty, a unit, a light verb or function word from the
    junk list (到, 至, 帮助, 占, 打造), one character that is no noun (卖, 赚), or no word at all
    (digits and signs). A content verb (化解, 办结) names the activity counted and is kept."""
    if not phrase:
        return True
    if phrase in unit_words() or phrase in _words().get("junk", set()):
        return True
    if _NO_WORD.fullmatch(phrase) is not None:
        return True               # (before the one-character test: the tagger calls / and ` nouns, wx)
    if len(phrase) == 1:
        tokens = _tokens(phrase)
        return not tokens or tokens[0][1] not in _tags()["noun"]
    return False


# no Chinese character or letter at all: digits, signs, punctuation
_NO_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")


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


def carried(previous: str, gap: str, previous_unit: str = "", unit: str = "") -> str | None:
    """The indicator a claim that names nothing takes from the claim before it in the same
    sentence, given the text between the two (`gap`) and both units: the people of the
    households before (建档立卡贫困户242户707人: 建档立卡贫困人口); the previous one when only a
    comma stands between (开展“荷香带教”2轮,119人次) or the gap says this is what the first
    became (由222项缩减到101项); the previous one's share (无职党员38037名,占85.5%); the
    previous one with the change when the gap only says that this is its change (收入3130元,
    同比增长19%); None otherwise."""
    people = people_of(previous, previous_unit, gap, unit)
    if people is not None:
        return people
    if gap in CONTINUE or (previous and change_to(gap)):
        return previous
    if previous and previous != previous_unit and share_of(gap):
        return _share_base(previous) + "占比"
    if previous and change_only(gap):
        change = gap.lstrip(",，、 ")
        for written, canon in sorted(_pairs("change_canon"), key=lambda pair: -len(pair[0])):
            if change.startswith(written):               # the longest first: 比上年同期 before 比上年
                change = canon + change[len(written):]     # 比上年增加 is 同比增加
                break
        return previous + change
    return None


def verb_on_previous(previous: str, gap: str, indicator: str, previous_unit: str, unit: str) -> str | None:
    """The indicator of a claim read as a verb alone, in the clause right after a claim of the same
    unit whose clause ends with what that one counts: the verb and that thing (封闭了其中的10个
    出入口，留下5个 counts 留下出入口); None otherwise."""
    if not previous or unit != previous_unit or is_junk(previous) or len(indicator) < 2:
        return None
    if gap[len(previous):] not in ("，" + indicator, "," + indicator) or not gap.startswith(previous):
        return None
    tokens = _tokens(indicator)
    if len(tokens) != 1 or tokens[0][1] not in _tags()["verb"]:
        return None
    return indicator + previous


def share_list_heads(text: str, done: list) -> None:
    """Items of a list that name nothing take the head noun written after the last item, from
    the last item back (1个市级、9个县级、84个乡级综治中心), with its themes. An item names
    nothing when its indicator is junk (is_junk: empty, its unit, 打造), or its own modifier of
    the same form as the next item's (1个旗级和12个镇级…; not 13个苏木乡镇街道、166个嘎查村).

    `done`: (claim, row) pairs of a sentence in order; the rows are changed in place."""
    for (claim, row), (nxt, nrow) in reversed(list(zip(done, done[1:]))):
        gap = text[claim.end:nxt.start]
        names_nothing = is_junk(row["indicator"])
        if nxt.unit != claim.unit or not names_nothing and not gap.startswith(row["indicator"]):
            continue
        head = list_head(gap, nrow["indicator"], not names_nothing)
        if head is not None:
            row["indicator"] = head
            row["theme"], row["themes"] = nrow["theme"], nrow["themes"]
    distribute_lists(text, done)


# ---------------------------------------------------------------- respective lists

LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{1,10}")
LIST_SPLIT = re.compile(r"[、和及与]")
_LIST_DATE = re.compile(r"^(?:[0-9]{4}年(?:[0-9]{1,2}月)?(?:底|末|初|以来)?|[今去前]年(?:以来)?|全年)")
LIST_REACH = 40       # how far before the first figure the list of what the figures count is looked for


def distribute_lists(text: str, done: list) -> None:
    """Figures written as a list after a list of the things they count, one for one, take each its
    own thing with the shared head: 早籼稻、中晚籼稻和粳稻最低收购价为每50公斤121元、127元和130元
    (早籼稻最低收购价 …), 旅游接待总人次和旅游总收入分别增长19.7%、26.6% (旅游接待总人次增长 …).
    Only when the items are as many as the figures, and the figures after the first name nothing
    of their own (junk, or the first one's phrase carried over). `done` as for share_list_heads."""
    joins = _words().get("list_join", set())
    k = 0
    while k < len(done):
        run = [done[k]]
        while k + len(run) < len(done):
            (prev, _), (nxt, _) = run[-1], done[k + len(run)]
            if nxt.unit != prev.unit or text[prev.end:nxt.start] not in joins:
                break
            run.append(done[k + len(run)])
        k += len(run)
        if len(run) >= 2:
            _distribute(text, run)


def _distribute(text: str, run: list) -> None:
    first_claim, first = run[0]
    phrase = first["indicator"]
    if not phrase or any(not (is_junk(r["indicator"]) or r["indicator"] == phrase) for _, r in run[1:]):
        return
    lo = clause_start(text, max(0, first_claim.start - LIST_REACH), first_claim.start, CLAUSE_MARKS)
    parts = LIST_SPLIT.split(text[lo:first_claim.start])
    if len(parts) != len(run):
        return
    items = parts[:-1]
    # the first item starts the clause: without its date, scope words and verb (全市建成村级、乡级…)
    lead, verbs = _words().get("lead", set()), _tags()["verb"]
    tokens = _tokens(_LIST_DATE.sub("", items[0]))
    while len(tokens) > 1 and (tokens[0][0] in lead or tokens[0][1] in verbs or tokens[0][1] in ("t", "d", "p")):
        tokens.pop(0)
    items[0] = "".join(w for w, _ in tokens)
    if not all(LIST_ITEM.fullmatch(item) for item in items):
        return
    change = next((w for w in sorted(_words().get("change", ()), key=len, reverse=True) if phrase.endswith(w)), "")
    if change and len(phrase) > len(change):
        last, head = phrase[:-len(change)], change
    else:
        tokens = _tokens(phrase)
        last, head = tokens[0][0], phrase[len(tokens[0][0]):]
    if len(head) < 2 and not change or not parts[-1].startswith(last):
        return
    for (_, row), item in zip(run, items + [last]):
        row["indicator"] = item + head
