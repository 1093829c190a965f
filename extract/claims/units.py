"""Units: the measure words and units that make a numeral a claim (rules/units.tsv), longest
match first, the words that make a money figure a price per unit (rules/per_units.tsv), the
people written as a noun after a figure (rules/people_nouns.tsv), which units as written
are nouns that hold their unit (贫困人口), money as it is spoken (一块三, 五毛钱:
rules/spoken_money.tsv) and money written with no unit after a money verb (挣了一万多哩:
rules/implied_money.tsv)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex as re

from ..rulefiles import grouped, rows
from ..text.sentences import CLAUSE_MARKS, clause_start
from ..text.wordset import alternation


@dataclass(frozen=True)
class Units:
    at: dict[str, tuple[tuple[str, str, str], ...]]   # first char -> (written, unit, kind), longest first
    per_words: tuple[str, ...]                        # 一, 每: 30块钱一亩
    per_units: frozenset[str]                         # the units a price may be per
    scales: dict[str, float]                          # written unit -> factor of the value: 九成 is 90 %
    before: object                                    # 每50公斤 / 一吨 written before a price
    before_sale: frozenset[str]                       # per words before a price only with a sale word
    sale: tuple[str, ...]                             # 卖, 售, 价
    no_price: tuple[str, ...]                         # 提高, 补贴 …: 每百斤提高1元 is no price


@lru_cache(maxsize=1)
def units() -> Units:
    lines = rows("units.tsv")
    written = {r[0]: (r[1], r[2]) for r in lines}
    scales = {r[0]: float(r[3]) for r in lines if len(r) > 3 and r[3]}
    # grouped by their first character: one dictionary look-up tells that the character after
    # most numerals (年, 月, 是 …) starts no unit
    at: dict[str, list] = {}
    for w in sorted(written, key=len, reverse=True):
        at.setdefault(w[0], []).append((w, *written[w]))
    per = grouped("per_units.tsv")
    per_units = frozenset(per.get("unit", ()))
    words = per.get("before", ()) + per.get("before_sale", ())
    before = None
    if words and per_units:
        # the per word, an optional number (每50公斤, 每百斤), the unit; the last one before a figure wins
        alt = lambda xs: "|".join(re.escape(x) for x in sorted(xs, key=len, reverse=True))  # noqa: E731
        before = re.compile(f"({alt(words)})([0-9０-９.]*|[零一二两三四五六七八九十百千]*)({alt(per_units)})")
    return Units({ch: tuple(v) for ch, v in at.items()}, per.get("per", ()), per_units, scales, before,
                 frozenset(per.get("before_sale", ())), per.get("sale", ()), per.get("no_price", ()))


def scale_of(written: str) -> float:
    """The factor a unit as written puts on its figure's value (units.tsv's scale: 九成 is 90 %)."""
    return units().scales.get(written, 1.0)


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


def per_unit_before(text: str, lo: int, start: int, name: str, window: int = 24) -> str:
    """A money unit whose per unit is written before the figure, in its clause: 每50公斤121元 is
    元/50公斤, 一吨竹子卖600元 is 元/吨 (a before_sale word needs a sale word after it), and
    每百斤提高1元 and 每亩补贴200元 stay 元 (a no_price word between)."""
    u = units()
    if u.before is None:
        return name
    # in the figure's clause (、 ends none: 每50公斤121元、127元)
    head = text[clause_start(text, max(lo, start - window), start, CLAUSE_MARKS):start]
    found = None
    for found in u.before.finditer(head):
        pass
    if found is None:
        return name
    between = head[found.end():]
    if found.group(1) in u.before_sale and not any(w in between for w in u.sale):
        return name
    if any(w in between for w in u.no_price):
        return name
    return f"{name}/{found.group(2)}{found.group(3)}"


#: at most this many characters of modifiers between a 万/亿 figure and its people noun (146万新型职业农民)
PEOPLE_MODIFIERS = 4


@lru_cache(maxsize=1)
def people_nouns() -> dict[str, str]:
    """rules/people_nouns.tsv: noun -> unit (群众 -> 人)."""
    return {noun: unit for noun, unit, *_ in rows("people_nouns.tsv")}


@lru_cache(maxsize=1)
def _people_pattern():
    nouns = people_nouns()
    return re.compile(rf"(?P<mods>[\u4e00-\u9fff]{{0,{PEOPLE_MODIFIERS}}}?)(?P<noun>{alternation(nouns)})") if nouns else None


def people_noun(text: str, pos: int, hi: int, modifiers: bool) -> tuple[str, int] | None:
    """(unit, end) of a people noun written right at text[pos:hi] (40多万群众), or after a few
    characters of modifiers when `modifiers` (146万新型职业农民); None when there is none."""
    pattern = _people_pattern()
    m = pattern.match(text, pos, hi) if pattern is not None else None
    if m is None or (m.group("mods") and not modifiers):
        return None
    return people_nouns()[m.group("noun")], m.end()


def is_people_noun(written: str) -> bool:
    """Whether a claim's unit as written is a people noun phrase (群众, 新型职业农民)."""
    return written.endswith(tuple(people_nouns())) if written else False


def holds_noun(written: str, unit: str, kind: str) -> bool:
    """Whether a unit as written is a noun that holds its measure word (贫困人口 counts 人): it
    names what is counted, so it is the indicator and never junk. What comes before the unit
    must be no measure word itself: 个工日 is the unit 工日 written with 个."""
    if kind == "count" and is_people_noun(written):
        return True          # 40多万群众: the people counted
    if kind != "count" or len(written) < 3:
        return False
    at = written.find(unit, 1)
    return at > 0 and not _is_unit(written[:at])


def _is_unit(word: str) -> bool:
    found = match_unit(word, 0)
    return found is not None and found[2] == len(word)


@dataclass(frozen=True)
class SpokenMoney:
    words: tuple[tuple[str, Decimal], ...]    # money words and their worth, longest first: 块 1, 毛 0.1
    tails: tuple[str, ...]                    # 钱
    follow: tuple[str, ...]                   # what may come after a bare digit: 的, 左右
    unit: str                                 # 元


#: the bare digits that count a smaller money word (一块三, 3块5)
SPOKEN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                 **{str(d): d for d in range(1, 10)}, **{chr(0xFF10 + d): d for d in range(1, 10)}}
_HAN_OR_DIGIT = re.compile(r"[\p{Han}0-9０-９.．]")
_MORE_DIGITS = "0123456789０１２３４５６７８９.．"     # after a bare digit: a longer number (3块50), no digit


@lru_cache(maxsize=1)
def spoken() -> SpokenMoney | None:
    """rules/spoken_money.tsv, or None when it names no money word or no unit."""
    words: list[tuple[str, Decimal]] = []
    by_kind: dict[str, list[str]] = {}
    for fields in rows("spoken_money.tsv"):        # checked: a word's value is a number
        if fields[0] == "word":
            words.append((fields[1], Decimal(fields[2])))
        else:
            by_kind.setdefault(fields[0], []).append(fields[1])
    unit = by_kind.get("unit", [])
    if not words or not unit:
        return None
    longest = lambda xs: tuple(sorted(xs, key=len, reverse=True))  # noqa: E731
    return SpokenMoney(tuple(sorted(words, key=lambda w: len(w[0]), reverse=True)),
                       longest(by_kind.get("tail", ())), longest(by_kind.get("follow", ())), unit[-1])


def spoken_starts() -> frozenset[str]:
    """The characters a spoken money word starts with (毛 of 五毛钱: a Chinese numeral before it
    is worth reading)."""
    s = spoken()
    return frozenset(w[0] for w, _ in s.words) if s else frozenset()


def spoken_money(text: str, lo: int, start: int, value: float, pos: int, hi: int
                 ) -> tuple[float, int, int, str] | None:
    """Money as it is spoken after the numeral text[start:pos] of `value` (rules/spoken_money.tsv):
    一块三 is 1.3, 两块五毛钱 2.5, 五毛钱 0.5, 每斤两块 2. Returns (value, numeral end, unit end,
    unit): the numeral ends after the bare digit (一块三), the unit after the money words and the
    tail (三块五|毛钱); None when the words are no money (3块地, 一块三亩地, 八角帽)."""
    s = spoken()
    if s is None or pos >= hi:
        return None
    word = _word_at(s, text, pos, hi)
    if word is None:
        return None
    total = Decimal(repr(value)) * word[1]
    at = pos + len(word[0])
    numeral_end, evidence, step = pos, False, word[1] / 10
    # a bare digit counts the next smaller word (一块三), which may be written (三块五毛) and
    # counted on in turn (一块三毛五); a digit that starts a price per unit (两块一斤) does not
    while at < hi and text[at] in SPOKEN_DIGITS and not (at + 1 < hi and text[at + 1] in _MORE_DIGITS) \
            and "/" not in per_unit(text, at, hi, s.unit)[0]:
        smaller = _word_at(s, text, at + 1, hi)
        if smaller is None:                                    # 一块三
            total += SPOKEN_DIGITS[text[at]] * step
            numeral_end = at = at + 1
            break
        if smaller[1] != step:                                 # 一块三块: no money of one figure
            break
        total += SPOKEN_DIGITS[text[at]] * step                # 三块五毛
        numeral_end, at, evidence, step = at + 1, at + 1 + len(smaller[0]), True, step / 10
    tail = next((t for t in s.tails if text.startswith(t, at)), None)
    if tail is not None and at + len(tail) <= hi:
        at += len(tail)
        evidence = True
    if not evidence:
        # a bare digit or a lone word: only what ends the money may come after it
        priced = "/" in per_unit(text, at, hi, s.unit)[0]     # 两块一斤
        if at < hi and _HAN_OR_DIGIT.match(text[at]) and not text.startswith(s.follow, at) and not priced:
            return None
        if numeral_end == pos and not priced and "/" not in per_unit_before(text, lo, start, s.unit):
            return None                                       # a lone word: a price only
    return float(total), numeral_end, at, s.unit


def _word_at(s: SpokenMoney, text: str, pos: int, hi: int) -> tuple[str, Decimal] | None:
    for word in s.words:
        if pos + len(word[0]) <= hi and text.startswith(word[0], pos):
            return word
    return None


@dataclass(frozen=True)
class ImpliedMoney:
    verbs: object                  # a money verb right before a numeral's first character
    part_of: tuple[tuple[str, int], ...]   # (a longer word, where a verb starts in it): 开花了
    follow: tuple[str, ...]        # sentence-final particles after the figure: 呢, 哩
    unit: str                      # 元
    min_value: float               # 赚了3 is no money


#: what may end the clause of a figure with no unit (besides the sentence's end)
IMPLIED_ENDS = frozenset("，,。；;：:！!？?、）)”’】」…~～ \u3000\n\t")
_NUMERAL_LEAD = "0-9０-９一二两三四五六七八九十"


@lru_cache(maxsize=1)
def implied() -> ImpliedMoney | None:
    """rules/implied_money.tsv, or None when it names no verb or no unit."""
    by_kind = grouped("implied_money.tsv")
    verbs, unit = by_kind.get("verb", ()), by_kind.get("unit", ())
    if not verbs or not unit:
        return None
    parts = tuple((w, w.find(v)) for w in by_kind.get("part_of", ()) for v in verbs if v in w and w != v)
    low = by_kind.get("min_value", ())
    return ImpliedMoney(re.compile(f"(?:{alternation(verbs)})(?=[{_NUMERAL_LEAD}])"), parts,
                        tuple(sorted(by_kind.get("follow", ()), key=len, reverse=True)), unit[-1],
                        float(low[-1]) if low else 0.0)


def implied_verb_ends(text: str, lo: int, hi: int) -> list[int]:
    """Where a numeral may start right after a money verb in text[lo:hi] (挣了|一万多哩), a verb
    inside a part_of word (开花了) left out."""
    return [end for _, end in implied_verb_spans(text, lo, hi)]


def implied_verb_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The money verbs of implied_verb_ends, as (start, end)."""
    m = implied()
    if m is None:
        return []
    out = []
    for found in m.verbs.finditer(text, lo, hi):
        s = found.start()
        if any(text.startswith(word, s - at) for word, at in m.part_of if s - at >= 0):
            continue
        out.append(found.span())
    return out


def implied_clause_end(text: str, pos: int, hi: int) -> bool:
    """Whether nothing but sentence-final particles (rules/implied_money.tsv follow) and then
    the clause's end come at text[pos:hi]: 一万多|哩！ yes, 五万多|斤 no."""
    m = implied()
    while pos < hi and text[pos] not in IMPLIED_ENDS:
        word = next((w for w in m.follow if text.startswith(w, pos)), None) if m else None
        if word is None:
            return False
        pos += len(word)
    return True
