"""Canonical measures: the comparable name of what a claim counts, and the level it sits at.

The free-text indicator (`2610个党群服务中心` → 党群服务中心) is evidence; the measure
(`party_service_centers`) is what the dashboard compares across places. Both the measures and
the words that say a level (村级, 旗级 …) are rule files in extract/rules/: measures.tsv,
measure_units.tsv, measure_per.tsv and level_words.tsv (their schemas in rulefiles.py; the
checks across files, such as a measure's unit family existing, are made here).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import rulefiles
from ..rulefiles import RuleError

MEASURE_FILE, UNIT_FILE, LEVEL_FILE, PER_FILE = "measures.tsv", "measure_units.tsv", "level_words.tsv", "measure_per.tsv"
LEVELS = ("village", "town", "county", "city")
#: a percentage whose phrase names a thing but no rate is that thing's share
PERCENT_FAMILY, NAMED_SHARE = "percentage", "share"
YES_NO = ("yes", "no")


@dataclass(frozen=True)
class Measure:
    id: str
    label_zh: str
    label_en: str
    theme: str
    unit_family: str
    additive: bool
    fallback: bool


@dataclass(frozen=True)
class _Rules:
    measures: dict[str, Measure]
    forms: dict[str, tuple[tuple[str, str], ...]]   # surface form -> ((measure id, kind), ...)
    longest: int                                    # longest surface form
    last_chars: frozenset[str]                      # the characters a surface form ends with
    families: dict[str, frozenset[str]]             # unit family -> units
    fallbacks: dict[str, str]                       # unit -> the measure it falls back to
    levels: tuple[tuple[str, str], ...]             # (word, level), longest first


def _refuse(name: str, number: int, why: str, fields) -> None:
    raise RuleError(name, number, f"{why}: {' | '.join(fields)}")


def _lines(name: str) -> list[tuple[int, tuple[str, ...]]]:
    """(line number, fields) of every rule line of rules/<name>, after its schema check."""
    return rulefiles.numbered(name)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    families: dict[str, frozenset[str]] = {}
    for n, fields in _lines(UNIT_FILE):
        if len(fields) != 2 or not fields[0] or not fields[1].split():
            _refuse(UNIT_FILE, n, "expected family, units", fields)
        families[fields[0]] = frozenset(fields[1].split())
    measures: dict[str, Measure] = {}
    forms: dict[str, list[tuple[str, str]]] = {}
    fallbacks: dict[str, str] = {}
    for n, fields in _lines(MEASURE_FILE):
        if len(fields) != 8:
            _refuse(MEASURE_FILE, n, "expected 8 fields", fields)
        mid, zh, en, theme, family, additive, fallback, surface = (f.strip() for f in fields)
        if not mid or not zh or mid in measures:
            _refuse(MEASURE_FILE, n, "id and label_zh required, id unique", fields)
        if family not in families:
            _refuse(MEASURE_FILE, n, f"unit family {family!r} not in {UNIT_FILE}", fields)
        if additive not in YES_NO:
            _refuse(MEASURE_FILE, n, "additive is yes or no", fields)
        units = () if fallback == "-" else tuple(fallback.split())
        if not units and fallback != "-" or any(u not in families[family] for u in units):
            _refuse(MEASURE_FILE, n, f"fallback units must be - or units of the family {family!r}", fields)
        measures[mid] = Measure(mid, zh, en, theme, family, additive == "yes", bool(units))
        for unit in units:
            if unit in fallbacks:
                _refuse(MEASURE_FILE, n, f"unit {unit!r} is already the fallback of {fallbacks[unit]!r}", fields)
            fallbacks[unit] = mid
        for form in ([] if surface == "-" else surface.split("|")):
            word, _, kind = form.partition("=")
            if not word:
                _refuse(MEASURE_FILE, n, "empty surface form", fields)
            forms.setdefault(word, []).append((mid, kind))
    levels = []
    for n, fields in _lines(LEVEL_FILE):
        if len(fields) != 2 or fields[1] not in LEVELS:
            _refuse(LEVEL_FILE, n, f"expected word, level ({'|'.join(LEVELS)})", fields)
        levels.append((fields[0], fields[1]))
    return _Rules(measures, {k: tuple(v) for k, v in forms.items()}, max(map(len, forms), default=0),
                  frozenset(form[-1] for form in forms), families, fallbacks,
                  tuple(sorted(levels, key=lambda x: -len(x[0]))))


def measure_table() -> dict[str, dict]:
    """id -> {label_zh, label_en, theme, unit_family, additive} of every measure (for the dashboard)."""
    return {m.id: {"label_zh": m.label_zh, "label_en": m.label_en, "theme": m.theme,
                   "unit_family": m.unit_family, "additive": m.additive}
            for m in _rules().measures.values()}


@lru_cache(maxsize=65536)
def measure_for(phrase: str, unit: str) -> tuple[str, str, bool]:
    """(measure id, kind, fallback) of a claim with this indicator phrase and unit: the measure
    whose surface form ends latest in the phrase (the head of a Chinese noun phrase is at its
    end), then the longest, among those whose unit family takes the unit; else the measure
    the unit falls back to (fallback True); else ("", "", False)."""
    r = _rules()
    for end in range(len(phrase), 0, -1):
        if phrase[end - 1] not in r.last_chars:
            continue                    # no form ends here
        for start in range(max(0, end - r.longest), end):
            for mid, kind in r.forms.get(phrase[start:end], ()):
                if unit in r.families[r.measures[mid].unit_family]:
                    return mid, kind, False
    if phrase and unit in r.families.get(PERCENT_FAMILY, ()) and NAMED_SHARE in r.measures:
        return NAMED_SHARE, "", False   # 70%的村, 90%耕地: a percentage of a named thing is its share
    mid = r.fallbacks.get(unit, "")
    return mid, "", bool(mid)


def label(measure_id: str, kind: str = "") -> str:
    """The measure's Chinese label, with the kind in brackets when there is one: 网格员（专职）."""
    m = _rules().measures.get(measure_id)
    if m is None:
        return ""
    return f"{m.label_zh}（{kind}）" if kind else m.label_zh


def level_for(phrase: str) -> str:
    """village | town | county | city when the phrase has a level word (村级, 旗级 …), else ""."""
    for word, level in _rules().levels:
        if word in phrase:
            return level
    return ""


CONTEXT_STOPS = "，,、；;：:。！？!?（）()“”"
CONTEXT_CHARS = 16     # how far before the numeral a measure word is looked for when the phrase has none


def annotate(row: dict, text: str = "") -> bool:
    """Set a row's measure, measure_label, level and indicator_source from its indicator and
    unit; return whether the measure is only the unit's fallback (for inherit()).

    An indicator that names nothing (empty, a unit, a verb or a function word alone: 人, 到,
    帮助) is replaced by the measure's label, and indicator_source says so ("measure");
    otherwise indicator_source is "text". When the phrase holds no measure word, the words of
    its sentence just before the numeral are read (全省未脱贫人口从2015年底的200万人), then
    those just after the unit (325名基层治理领域专项人才), and failing those the unit gives a
    fallback measure."""
    from .phrase import is_junk, unit_words

    phrase, unit = row.get("indicator") or "", row.get("unit") or ""
    junk = is_junk(phrase)
    # a junk phrase still tells the measure when it is one of its words (能赚800元: income)
    mid, kind, fallback = measure_for("" if phrase in unit_words() else _unbracketed(phrase), unit)
    context = _context(text, row) if text else ""
    if fallback and text:
        for words in (context, _after(text, row)):
            found = measure_for(words, unit)
            if found[0] and not found[2]:
                mid, kind, fallback = found
                break
    mid = _per_period(mid, text, row) if text else mid
    row["measure"], row["measure_label"] = mid, label(mid, kind)
    if junk:
        row["indicator"] = label(mid)
        row["indicator_source"] = "measure" if mid else ""
    else:
        row["indicator_source"] = "text"
    row["level"] = level_for(phrase) or level_for(context)
    return fallback


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_QUOTE_MARKS = re.compile(r"[“”\"‘’「」《》]")


def _unbracketed(phrase: str) -> str:
    """The phrase without its bracketed asides, when anything is left: 艾里屯(社区) is a village,
    村（社区）党组织 a party organization."""
    bare = _BRACKETED.sub("", phrase)
    bare = _QUOTE_MARKS.sub("", bare)     # “带病提拔”干部: quotes are no part of a word
    return bare or phrase


_YEARS = re.compile(r"\d+(?=[年月日])")
_HAS_DIGIT = re.compile(r"\d")
_CUT_CLASS = "[\\d" + re.escape(CONTEXT_STOPS) + "]"
_LAST_CUT = re.compile(f"^.*{_CUT_CLASS}", re.S)        # through the last digit or clause break
_FIRST_CUT = re.compile(_CUT_CLASS)


def _context(text: str, row: dict) -> str:
    """The words of the claim's sentence just before its numeral, back to the previous figure or
    clause break, not counting dates (旗级党组织15个: 旗级 is there when the phrase dropped it;
    全省未脱贫人口从2015年底的200万人)."""
    start = row.get("start", 0)
    window = text[max(row.get("sentence_start", start), start - CONTEXT_CHARS):start]
    if _HAS_DIGIT.search(window):
        window = _YEARS.sub(lambda m: "年" * len(m.group()), window)
    m = _LAST_CUT.search(window)
    return window[m.end():] if m else window


def _after(text: str, row: dict) -> str:
    """The words after the claim's unit, up to the next figure or clause break."""
    end = row.get("end", 0)
    window = text[end:min(row.get("sentence_end", end + CONTEXT_CHARS), end + CONTEXT_CHARS)]
    m = _FIRST_CUT.search(window)
    return window[:m.start()] if m else window


def _per_period(mid: str, text: str, row: dict) -> str:
    """A measure's per-period variant when the words before the numeral say per day or month
    (每个月能赚800元 is a monthly wage, not an income total): measure_per.tsv."""
    rules = _per_rules()
    if mid not in rules:
        return mid
    start = row.get("start", 0)
    before = text[max(row.get("sentence_start", start), start - CONTEXT_CHARS):start] + (row.get("indicator") or "")
    words, becomes = rules[mid]
    return becomes if any(w in before for w in words) else mid


@lru_cache(maxsize=1)
def _per_rules() -> dict[str, tuple[tuple[str, ...], str]]:
    out = {}
    measures = _rules().measures
    for n, fields in _lines(PER_FILE):
        if len(fields) != 3 or fields[0] not in measures or fields[2] not in measures or not fields[1]:
            _refuse(PER_FILE, n, "expected measure, words (|-separated), measure", fields)
        out[fields[0]] = (tuple(fields[1].split("|")), fields[2])
    return out


def inherit(rows: list[tuple[dict, bool]]) -> None:
    """Rows of one sentence (each with whether its measure is only its unit's fallback) whose
    measure is a fallback take the measure of the nearest earlier row with the same unit and a
    measure of its own (村集体经济总收入达到331万元, 9个村全部达到10万元以上: both collective
    income). Their label replaces an indicator that was the fallback's label."""
    for i, (row, fallback) in enumerate(rows):
        if not fallback:
            continue
        for prev, prev_fallback in reversed(rows[:i]):
            if prev["unit"] == row["unit"] and prev["measure"] and not prev_fallback:
                if row["indicator_source"] == "measure":
                    row["indicator"] = label(prev["measure"])
                row["measure"], row["measure_label"] = prev["measure"], label(prev["measure"])
                break
