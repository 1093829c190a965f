"""The one aggregate path: chart, map and summary frames from View.groups, and the rule for
what may be added.

A sum only ever adds figures of one measure (canonical id, else the same indicator text) in one
unit, each figure once (the same value for the same place and period, reported by two articles
or two sentences, is added once: queries.FIRST_REPORT), and never percentages, rates, prices, per-unit figures or non-additive measures
(dashboard/rules/additivity.tsv, and the measures rule file's `additive` flag when the extractor
has one). Otherwise the page offers the maximum or the latest value per region, labelled so.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.queries import Pick
from extract.rulefiles import Schema, check

RULES = Path(__file__).resolve().parent / "rules"
KINDS = ("count", "sum", "max", "latest")
REGION_CODE = "CASE WHEN county_code = '' THEN city_code ELSE county_code END"


#: The schema of rules/additivity.tsv, checked on load by the extractor's rule checker.
SCHEMA = Schema(("kind", "text", "why"), 2, {"kind": ("unit", "unit_contains", "word")})


@lru_cache(maxsize=1)
def additivity_rules() -> dict[str, tuple[str, ...]]:
    """kind -> texts from rules/additivity.tsv (RuleError with file and line for a broken line)."""
    path = RULES / "additivity.tsv"
    numbered = [(no, line.split("\t")) for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.strip() and not line.startswith("#")]
    check(path.name, numbered, SCHEMA)
    out: dict[str, list[str]] = {"unit": [], "unit_contains": [], "word": []}
    for _, fields in numbered:
        out[fields[0]].append(fields[1])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def measure_table() -> dict[str, dict]:
    """The extractor's canonical measures (id -> label_zh, label_en, theme, unit_family, additive),
    or {} while extract.indicators.measures does not exist yet."""
    try:
        from extract.indicators.measures import measure_table as table
    except ImportError:
        return {}
    try:
        return dict(table())
    except Exception:   # a broken rule file is reported by the extractor; the page stays up
        return {}


def additive(key: str, unit: str, label: str = "") -> bool:
    """Whether figures of this measure key ('m:<id>' or 'i:<indicator>') in this unit may be added."""
    rules = additivity_rules()
    if not unit or unit in rules["unit"] or any(part in unit for part in rules["unit_contains"]):
        return False
    if key.startswith("m:"):
        info = measure_table().get(key[2:])
        if info is not None and "additive" in info:
            return bool(info["additive"]) and not _str_false(info["additive"])
    text = key[2:] + " " + (label or "")
    return not any(word in text for word in rules["word"])


def _str_false(flag) -> bool:
    return isinstance(flag, str) and flag.strip().lower() in ("0", "false", "no", "n", "")


@dataclass(frozen=True)
class Measure:
    """What a chart or metric shows: `count` of claims, or for one pick the `sum` (additive picks
    only), the `max` or the `latest` value per region."""
    kind: str = "count"
    pick: Pick | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown measure kind {self.kind!r}")
        if self.kind != "count" and self.pick is None:
            raise ValueError("a value measure needs a pick")
        if self.kind == "sum" and not additive(self.pick.key, self.pick.unit):
            raise ValueError(f"{self.pick.name} ({self.pick.unit}) cannot be added")

    @property
    def is_value(self) -> bool:
        return self.kind != "count"

    def agg(self) -> str:
        """The aggregate over View.groups rows."""
        return {"count": "sum(n)::DOUBLE", "sum": "sum(s)", "max": "max(mx)",
                "latest": "arg_max(latest, asof)"}[self.kind]


def for_level(m: Measure, level: str) -> Measure:
    """The measure as a chart at `level` shows it: a sum per 盟市 adds its banners' figures only,
    never a figure about the whole 盟市 on top of them (that would count it twice)."""
    from dataclasses import replace
    if m.kind == "sum" and level == "city" and m.pick.geo == "":
        return Measure("sum", replace(m.pick, geo="county"))
    return m


_SMALL: duckdb.DuckDBPyConnection | None = None


def _on_groups(groups: pa.Table, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run sql over the groups table (as `g`) in a small in-memory DuckDB (a few thousand rows)."""
    global _SMALL
    if _SMALL is None:
        _SMALL = duckdb.connect(":memory:", config={"threads": 1})
    cur = _SMALL.cursor()
    try:
        cur.register("g", groups)
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


def _keep(reprints: bool) -> str:
    return "TRUE" if reprints else "NOT reprint"


def by_region(groups: pa.Table, m: Measure, level: str, reprints: bool = False) -> pd.DataFrame:
    """Measure per 盟市 (level 'city') or per 旗县区 ('county'): code, name, city, city_code, n, measure."""
    keep = _keep(reprints)
    if level == "city":
        sql = ("SELECT city_code AS code, any_value(city) AS name, any_value(city) AS city, "
               f"city_code, sum(n)::BIGINT AS n, {m.agg()} AS measure FROM g WHERE {keep} "
               "GROUP BY city_code ORDER BY measure DESC NULLS LAST, code")
    else:
        sql = (f"SELECT {REGION_CODE} AS code, any_value(county) AS name, any_value(city) AS city, "
               f"any_value(city_code) AS city_code, sum(n)::BIGINT AS n, {m.agg()} AS measure FROM g "
               f"WHERE {keep} GROUP BY 1 ORDER BY measure DESC NULLS LAST, code")
    return _on_groups(groups, sql)


def by_theme(groups: pa.Table, m: Measure, reprints: bool = False) -> pd.DataFrame:
    """Measure per theme (a claim with two themes counts under each): theme, n, measure."""
    return _on_groups(groups, f"SELECT t AS theme, sum(n)::BIGINT AS n, {m.agg()} AS measure FROM "
                              "(SELECT unnest(string_split(themes, ';')) AS t, * FROM g "
                              f"WHERE {_keep(reprints)}) WHERE t <> '' GROUP BY 1 ORDER BY measure DESC, theme")


def by_region_theme(groups: pa.Table, m: Measure, level: str, reprints: bool = False) -> pd.DataFrame:
    """Measure per (region, theme): region_code, region, theme, measure."""
    code = "city_code" if level == "city" else REGION_CODE
    name = "city" if level == "city" else "CASE WHEN county_code = '' THEN city ELSE county END"
    return _on_groups(groups, f"SELECT rc AS region_code, any_value(rn) AS region, t AS theme, {m.agg()} AS measure "
                              f"FROM (SELECT {code} AS rc, {name} AS rn, unnest(string_split(themes, ';')) AS t, * "
                              f"FROM g WHERE {_keep(reprints)}) WHERE t <> '' GROUP BY rc, t")


def summarize(groups: pa.Table, doc_options: list[dict], f) -> dict[str, int]:
    """claims, docs, regions, units and reprints under the filters, from the (count) groups and
    the document facet's rows (View.facet_rows('doc', facet_key('doc', f)))."""
    keep = _keep(f.reprints)
    row = _on_groups(groups, f"SELECT coalesce(sum(n) FILTER (WHERE {keep}), 0)::BIGINT, "
                             f"count(DISTINCT {REGION_CODE}) FILTER (WHERE {keep} AND n > 0), "
                             f"count(DISTINCT unit) FILTER (WHERE {keep} AND n > 0 AND unit <> ''), "
                             "coalesce(sum(n) FILTER (WHERE reprint), 0)::BIGINT FROM g").iloc[0]
    claims = int(row.iloc[0])
    docs = int(claims > 0) if f.doc else (int(doc_options[0]["options"]) if doc_options else 0)
    return {"claims": claims, "docs": docs, "regions": int(row.iloc[1]), "units": int(row.iloc[2]),
            "reprints": int(row.iloc[3])}


def points_per(points: pd.DataFrame, by: list[str], additive: bool) -> pd.DataFrame:
    """View.pick_points per `by` (region, or region and year): the sum when the pick can be
    added, each figure once (first_report), else the maximum; columns by + value."""
    if additive:
        counted = points[points["first_report"].astype(bool)] if "first_report" in points else points
        return counted.groupby(by, as_index=False)["value"].sum()
    return points.groupby(by, as_index=False)["value"].max()


def with_additivity(units: pd.DataFrame) -> pd.DataFrame:
    """View.units / View.compare_options with an `additive` column."""
    out = units.copy()
    out["additive"] = [additive(k, u, lb) for k, u, lb in zip(out["key"], out["unit"], out["label"])]
    return out
