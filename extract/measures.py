"""Canonical measures: the comparable name of what a claim counts, and the level it sits at.

The free-text indicator (`2610个党群服务中心` → 党群服务中心) is evidence; the measure
(`party_service_centers`) is what the dashboard compares across places. Both the measures and
the words that say a level (村级, 旗级 …) are rule files: measures.tsv, measure_units.tsv and
level_words.tsv in extract/data/.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .datafiles import rows

MEASURE_FILE, UNIT_FILE, LEVEL_FILE = "measures.tsv", "measure_units.tsv", "level_words.tsv"
LEVELS = ("village", "town", "county", "city")
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
    families: dict[str, frozenset[str]]             # unit family -> units
    fallbacks: tuple[str, ...]                      # fallback measure ids, in file order
    levels: tuple[tuple[str, str], ...]             # (word, level), longest first


def _refuse(name: str, number: int, why: str, fields) -> None:
    raise ValueError(f"{name}: rule line {number}: {why}: {fields!r}")


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    families: dict[str, frozenset[str]] = {}
    for n, fields in enumerate(rows(UNIT_FILE), 1):
        if len(fields) != 2 or not fields[0] or not fields[1].split():
            _refuse(UNIT_FILE, n, "expected family, units", fields)
        families[fields[0]] = frozenset(fields[1].split())
    measures: dict[str, Measure] = {}
    forms: dict[str, list[tuple[str, str]]] = {}
    for n, fields in enumerate(rows(MEASURE_FILE), 1):
        if len(fields) != 8:
            _refuse(MEASURE_FILE, n, "expected 8 fields", fields)
        mid, zh, en, theme, family, additive, fallback, surface = (f.strip() for f in fields)
        if not mid or not zh or mid in measures:
            _refuse(MEASURE_FILE, n, "id and label_zh required, id unique", fields)
        if family not in families:
            _refuse(MEASURE_FILE, n, f"unit family {family!r} not in {UNIT_FILE}", fields)
        if additive not in YES_NO or fallback not in YES_NO:
            _refuse(MEASURE_FILE, n, "additive and fallback are yes or no", fields)
        measures[mid] = Measure(mid, zh, en, theme, family, additive == "yes", fallback == "yes")
        if fallback == "yes":
            continue
        for form in surface.split("|"):
            word, _, kind = form.partition("=")
            if not word:
                _refuse(MEASURE_FILE, n, "empty surface form", fields)
            forms.setdefault(word, []).append((mid, kind))
    levels = []
    for n, fields in enumerate(rows(LEVEL_FILE), 1):
        if len(fields) != 2 or fields[1] not in LEVELS:
            _refuse(LEVEL_FILE, n, f"expected word, level ({'|'.join(LEVELS)})", fields)
        levels.append((fields[0], fields[1]))
    return _Rules(measures, {k: tuple(v) for k, v in forms.items()}, max(map(len, forms), default=0),
                  families, tuple(m.id for m in measures.values() if m.fallback),
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
    end), then the longest, among those whose unit family takes the unit; else the first
    fallback measure of a family that takes the unit; else ("", "", False)."""
    r = _rules()
    for end in range(len(phrase), 0, -1):
        for start in range(max(0, end - r.longest), end):
            for mid, kind in r.forms.get(phrase[start:end], ()):
                if unit in r.families[r.measures[mid].unit_family]:
                    return mid, kind, False
    for mid in r.fallbacks:
        if unit in r.families[r.measures[mid].unit_family]:
            return mid, "", True
    return "", "", False


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


def annotate(row: dict) -> dict:
    """Set a row's measure, measure_label, level and indicator_source from its indicator and
    unit. An indicator that names nothing (empty, a unit, a verb or a function word alone: 人,
    到, 帮助) is replaced by the measure's label, and indicator_source says so ("measure");
    otherwise indicator_source is "text"."""
    from .indicators import is_junk

    phrase, unit = row.get("indicator") or "", row.get("unit") or ""
    junk = is_junk(phrase)
    # a junk phrase still tells the measure when it is one of its words (能赚800元: income)
    from .indicators import _unit_words

    mid, kind, _ = measure_for("" if phrase in _unit_words() else phrase, unit)
    row["measure"], row["measure_label"] = mid, label(mid, kind)
    if junk:
        row["indicator"] = label(mid)
        row["indicator_source"] = "measure" if mid else ""
    else:
        row["indicator_source"] = "text"
    row["level"] = level_for(phrase)
    return row
