"""Numerals in Chinese text: Arabic, full-width and Chinese, with 万/亿 multipliers and 余/多 inside.

`find_numerals` yields every numeral with its exact span and value; deciding whether
a numeral is a claim (unit, dates, slogans) is the job of claims/claims.py.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from functools import lru_cache
from typing import Iterator, NamedTuple

from ..text.wordset import alternation

FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
MULTIPLIERS = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "千万": 1e7, "百万": 1e6, "千": 1e3, "百": 1e2}

_DIGITS = r"[0-9０-９]"
#: Zero-width characters that pasted or scraped text carries inside a numeral (26\u200b10):
#: read through, kept in the numeral as written.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZW = f"[{ZERO_WIDTH}]*"
_RUN = rf"{_DIGITS}(?:{_ZW}{_DIGITS})*"            # digits, zero-width characters between them
_DROP_ZW = str.maketrans("", "", ZERO_WIDTH)
_CN = "零〇一二两三四五六七八九十百千万亿"
_CN_FIRST = "一二两三四五六七八九十〇零"      # a Chinese numeral starts with one of these
# Arabic: 2610, 1.1, 1,234, full-width ２６; then optional 余/多 and a multiplier (万, 亿, 千万).
_ARABIC = (rf"(?<![0-9０-９.．])(?P<num>{_DIGITS}{{1,3}}(?:[,，]{_DIGITS}{{3}})+(?!{_DIGITS})|{_RUN}(?:{_ZW}[.．]{_ZW}{_RUN})?)"
           rf"(?P<inner>[余多])?(?P<mult>万亿|千万|百万|万|亿|千)?(?P<inner2>[余多])?")
# Chinese: must start with a digit word (not a bare 百/千/万), e.g. 三千, 两万, 十四, 一百二十.
_CHINESE = rf"(?P<cn>(?:百分之)?[{_CN_FIRST}][{_CN}]*)"
NUMERAL_RE = re.compile(rf"{_ARABIC}|{_CHINESE}")


class Numeral(NamedTuple):
    """A numeral as written (a NamedTuple: built for every numeral, so it must be cheap)."""
    start: int
    end: int
    text: str          # as written, multiplier and inner 余/多 included: 1.1万, 376余万, 三千
    value: float
    inner_more: bool   # 余/多 written inside or right after the numeral (530余, 26万多)
    chinese: bool
    percent_word: bool  # 百分之… written before a Chinese numeral


# every numeral starts with one of these characters (百 only in 百分之)
_LEAD_CLASS = f"[0-9０-９{_CN_FIRST}百]"
_LEAD = re.compile(_LEAD_CLASS)


@lru_cache(maxsize=None)  # keyed by rule data (the units' first characters): a few entries
def _lead_with_unit(chinese_next: frozenset[str]) -> re.Pattern:
    """Where a numeral can start, for find_numerals(chinese_next=...): a digit, 百分之, or a run
    of Chinese numeral characters followed (after an optional 余/多) by one of chinese_next.
    Finds a superset of the numerals find_numerals keeps, so the numeral words of prose
    (一是, 进一步) are skipped by the C scan instead of being matched one by one."""
    follow = "".join(re.escape(ch) for ch in sorted(chinese_next))
    # one character class first, so that re scans for it in C; the rest is checked behind it
    return re.compile(rf"{_LEAD_CLASS}"
                      rf"(?:(?<={_DIGITS})|(?<=百)分之|(?<=[{_CN_FIRST}])[{_CN}]*[余多]?[{follow}])")


def cn2an():
    """The cn2an module, imported at the first Chinese numeral: importing it builds its
    patterns, which a text of Arabic numerals never needs (run/runtime.py imports it ahead in
    a process that will extract many files)."""
    import cn2an as module

    return module


@lru_cache(maxsize=4096)
def chinese_value(text: str) -> float | None:
    """Value of a Chinese numeral (三千 -> 3000, 两万 -> 20000), or None if it is not one.

    cn2an does the conversion; its "normal" mode also reads 两 and shortened forms (一万二).
    """
    try:
        return float(cn2an().cn2an(text, "normal"))
    except (ValueError, KeyError, TypeError, IndexError, OverflowError):
        return None


def arabic_value(digits: str, mult: str | None) -> float:
    """Decimal arithmetic, so 11.46万 is 114600.0 and not 114600.00000000001."""
    if len(digits) <= MAX_DIGITS and digits.isdigit() and digits.isascii():   # common, exact in ints
        return float(int(digits) * (int(MULTIPLIERS[mult]) if mult else 1))
    plain = digits.translate(FULLWIDTH).translate(_DROP_ZW).replace(",", "")
    return float(Decimal(plain) * Decimal(int(MULTIPLIERS[mult]) if mult else 1))


MAX_DIGITS = 15   # longer digit runs are identifiers (ID cards, accounts), never counts


#: the magnitudes that are a numeral on their own after a bare word (近千, 上百万, 逾亿), longest first
BARE = {"千万": 1e7, "百万": 1e6, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12, "百": 1e2, "千": 1e3, "万": 1e4,
        "亿": 1e8}


@lru_cache(maxsize=None)  # keyed by rule data (bare_words): one entry
def _bare_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"(?:{alternation(words)})(?P<bare>{'|'.join(BARE)})(?!分之)")


def bare_numerals(text: str, lo: int, hi: int, words: tuple[str, ...],
                  chinese_next: frozenset[str] | None = None) -> list[Numeral]:
    """The bare magnitudes in text[lo:hi] written right after one of `words`: 近千次 and 上千亩
    are 1000, 上百万 is 1000000. Alone (千方百计, 万名 of a slogan) a bare 千 is no figure, so
    find_numerals never starts a Chinese numeral with one. With `chinese_next`, only those
    followed (after an optional 余/多) by one of its characters."""
    out = []
    if not words:
        return out
    for m in _bare_pattern(words).finditer(text, lo, hi):
        start, end = m.span("bare")
        after = end + 1 if end < hi and text[end] in "余多" else end
        if chinese_next is not None and (after >= hi or text[after] not in chinese_next):
            continue
        out.append(Numeral(start, end, m.group("bare"), BARE[m.group("bare")], after > end, True, False))
    return out


def find_numerals(text: str, lo: int = 0, hi: int | None = None,
                  chinese_next: frozenset[str] | None = None) -> Iterator[Numeral]:
    """Every numeral in text[lo:hi], left to right, with positions in `text`.

    Values are finite: a digit run longer than MAX_DIGITS is an identifier, not a numeral.
    Given `chinese_next`, a Chinese numeral (other than 百分之…) is only found when one of
    those characters follows it, after an optional 余/多: a caller that wants numerals with a
    unit passes the units' first characters, and the many numeral words of prose (进一步,
    一是) are dropped before a Numeral is built for each.

    NUMERAL_RE is tried only where a numeral can start (_LEAD), which gives the same matches
    as finditer: the pattern begins with a look-behind, so re would try it at every character,
    while a plain character set is scanned for in C."""
    hi = len(text) if hi is None else hi
    lead = (_LEAD if chinese_next is None else _lead_with_unit(chinese_next)).search
    match = NUMERAL_RE.match
    pos = lo
    while True:
        found = lead(text, pos, hi)
        if found is None:
            return
        m = match(text, found.start(), hi)
        if m is None:
            pos = found.start() + 1
            continue
        if chinese_next is not None and m.group("cn") and not m.group("cn").startswith("百分之"):
            after = m.end()
            if after < hi and text[after] in "余多":
                after += 1
            if after >= hi or text[after] not in chinese_next:
                pos = found.start() + 1          # as a look-ahead in the pattern would
                continue
        pos = m.end()
        numeral = _numeral(m, text, hi)
        if numeral is not None and math.isfinite(numeral.value) and (
                len(numeral.text) <= MAX_DIGITS or sum(ch.isdigit() for ch in numeral.text) <= MAX_DIGITS):
            yield numeral


def _numeral(m: re.Match, text: str, hi: int) -> Numeral | None:
    """The numeral a match of the pattern spells, or None (a Chinese one cn2an cannot read)."""
    num, inner1, mult, inner2, cn = m.group("num", "inner", "mult", "inner2", "cn")
    if num:
        inner = inner1 or inner2
        if inner2 and not mult:
            inner = None  # "530余" is matched by inner; inner2 needs a multiplier before it
        end = m.end("mult") if mult else m.end("num")   # 376余万: 余 sits inside the numeral
        value = arabic_value(num, mult)
        return Numeral(m.start(), end, text[m.start():end], value, bool(inner), False, False)
    percent = cn.startswith("百分之")
    body = cn[3:] if percent else cn
    # trim trailing characters cn2an cannot read (e.g. a dangling 零)
    while body:
        value = chinese_value(body)
        if value is not None:
            break
        body = body[:-1]
    if not body:
        return None
    start = m.start()
    end = start + (3 if percent else 0) + len(body)
    more = end < hi and text[end] in "余多"
    return Numeral(start, end, text[start:end], value, more, True, percent)
