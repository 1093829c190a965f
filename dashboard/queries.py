"""Filters and the queries of one session over the shared table (no Streamlit here).

`Filters` is the page's filter state as codes (never option labels) and turns itself into SQL;
`View` runs the named queries over `claims` = the table UNION ALL this session's uploads.
Rows of reprinted paragraphs (`duplicate_of` non-empty) are left out unless Filters.reprints.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.store import ALL_COLUMNS, FLOAT_COLUMNS
from extract.table import INT_COLUMNS

REGION = "_region"      # city filter value: claims with no city (region-wide)
CITY_LEVEL = "_city"    # county filter value: claims about a whole 盟市 (no county)
#: Facet filters, in sidebar order (each a selectbox with counts under the other filters).
FACETS = ("province", "city", "county", "scope", "theme", "indicator", "doc", "qualifier")
ORIGINAL = "coalesce(duplicate_of, '') = ''"
#: What the table can be sorted by; "region" = 盟市, 旗县区, then indicator (the default).
SORTABLE = ("region", "value", "indicator", "unit", "published", "period_start", "doc", "theme", "qualifier")
REGION_CODE = "CASE WHEN county_code = '' THEN city_code ELSE county_code END"
#: The figure as written: the claim's own text from its sentence when the offsets fit, else numeral + unit.
AS_WRITTEN = ("CASE WHEN substr(sentence, start - sentence_start + 1, length(number_text)) = number_text "
              "AND start >= sentence_start THEN substr(sentence, start - sentence_start + 1, \"end\" - start) "
              "ELSE number_text || unit END")
#: A figure's year: the period's start when stated, else the publication date.
YEAR = "nullif(substr(coalesce(nullif(period_start, ''), published), 1, 4), '')"


@dataclass(frozen=True)
class Filters:
    """The sidebar filters as codes; None means all."""
    province: str | None = None
    city: str | None = None
    county: str | None = None
    scope: str | None = None
    theme: str | None = None
    indicator: str | None = None
    doc: str | None = None
    qualifier: str | None = None
    q: str | None = None            # full-text search over sentence and indicator (ILIKE)
    date_from: str | None = None    # published on or after (ISO date)
    date_to: str | None = None      # published on or before
    year: str | None = None         # period year (period_start, else published)
    reprints: bool = False          # include rows of reprinted paragraphs (duplicate_of non-empty)

    def without(self, *names: str) -> "Filters":
        return replace(self, **{n: None for n in names})

    def where(self) -> tuple[str, list]:
        """SQL WHERE clause and its parameters."""
        parts, params = ["TRUE"], []
        if self.province:
            parts.append("province_code = ?")
            params.append(self.province)
        if self.city == REGION:
            parts.append("city_code = ''")
        elif self.city:
            parts.append("city_code = ?")
            params.append(self.city)
        if self.county == CITY_LEVEL:
            parts.append("county_code = ''")
        elif self.county:
            parts.append("county_code = ?")
            params.append(self.county)
        if self.theme:
            parts.append("list_contains(string_split(themes, ';'), ?)")
            params.append(self.theme)
        for name in ("scope", "indicator", "doc", "qualifier"):
            if getattr(self, name):
                parts.append(f"{name} = ?")
                params.append(getattr(self, name))
        if self.q:
            pattern = "%" + self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            parts.append("(sentence ILIKE ? ESCAPE '\\' OR indicator ILIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        if self.date_from:
            parts.append("published <> '' AND published >= ?")
            params.append(self.date_from)
        if self.date_to:
            parts.append("published <> '' AND published <= ?")
            params.append(self.date_to + "\uffff")
        if self.year:
            parts.append(f"{YEAR} = ?")
            params.append(self.year)
        if not self.reprints:
            parts.append(ORIGINAL)
        return " AND ".join(parts), params

    def as_dict(self) -> dict[str, str]:
        """The set filters (not the reprints switch), by field name."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "reprints" and getattr(self, f.name)}


def facet_key(name: str, f: Filters) -> Filters:
    """The filters a facet's options depend on: all but its own (the city facet: but city and
    county; the province facet: but the places below it too)."""
    if name == "province":
        return f.without("province", "city", "county")
    return f.without("city", "county") if name == "city" else f.without(name)


@dataclass(frozen=True)
class Pick:
    """What a value chart shows: one measure (canonical id, else the indicator text) in one unit,
    at one level (village/town/... from the `level` column, "" = any), for claims about one kind
    of region (geo 'county': claims with a 旗县区; 'city': claims about a whole 盟市)."""
    key: str            # 'm:<measure id>' or 'i:<indicator text>'
    unit: str
    level: str = ""
    geo: str = ""

    @property
    def is_measure(self) -> bool:
        return self.key.startswith("m:")

    @property
    def name(self) -> str:
        return self.key[2:]

    def where(self) -> tuple[str, list]:
        col = "measure" if self.is_measure else "indicator"
        parts = [f"{col} = ?", "unit = ?", "value IS NOT NULL"]
        params = [self.name, self.unit]
        if not self.is_measure:
            parts.append("measure = ''")
        if self.level:
            parts.append("level = ?")
            params.append(self.level)
        if self.geo == "county":
            parts.append("county_code <> ''")
        elif self.geo == "city":
            parts.append("county_code = '' AND city_code <> ''")
        return " AND ".join(parts), params

    def encode(self) -> str:
        return "\u001f".join((self.key, self.unit, self.level, self.geo))

    @classmethod
    def decode(cls, text: str) -> "Pick | None":
        parts = text.split("\u001f")
        if len(parts) != 4 or parts[0][:2] not in ("m:", "i:"):
            return None
        return cls(*parts)


MEASURE_KEY = "CASE WHEN measure <> '' THEN 'm:' || measure ELSE 'i:' || indicator END"
COUNTED = "kind NOT IN ('target', 'forecast')"   # plans and forecasts are never added or compared
#: What makes two claims the same figure: measure (or indicator), unit, value, place and period
#: (its dates, else its text). Two articles, or two sentences, reporting it are one figure in a sum.
FIGURE = (f"{MEASURE_KEY}, unit, level, value, province_code, city_code, county_code, town, period_start, "
          "period_end, CASE WHEN period_start = '' AND period_end = '' THEN period ELSE '' END")
#: True on one claim per figure (an original before a reprint, then the smallest claim id): the one a sum adds.
FIRST_REPORT = f"row_number() OVER (PARTITION BY {FIGURE} ORDER BY NOT {ORIGINAL}, claim_id) = 1"


class View:
    """Named queries over `claims` = base table UNION ALL this session's uploaded rows."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, uploads: pd.DataFrame | None = None):
        self.cur = cur
        cols = ", ".join(f'"{c}"' for c in ALL_COLUMNS)
        if uploads is not None and len(uploads):
            frame = uploads.copy()
            for col in ALL_COLUMNS:
                if col not in frame:
                    frame[col] = 0 if col in INT_COLUMNS else (float("nan") if col in FLOAT_COLUMNS else "")
            cur.register("uploads_frame", frame[list(ALL_COLUMNS)])
            cur.execute(f"CREATE OR REPLACE TEMP VIEW claims AS SELECT {cols} FROM base "
                        f"UNION ALL SELECT {cols} FROM uploads_frame")
        else:
            cur.execute(f"CREATE OR REPLACE TEMP VIEW claims AS SELECT {cols} FROM base")

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.cur.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list | None = None):
        return self.cur.execute(sql, params or []).fetchall()[0][0]   # fetchall: no unfinished result

    # ---- counts and facets -------------------------------------------------
    def count(self, f: Filters = Filters()) -> int:
        where, params = f.where()
        return int(self.scalar(f"SELECT count(*) FROM claims WHERE {where}", params))

    def facet_rows(self, name: str, f: Filters, limit: int = 2000) -> list[dict]:
        """Options of one filter with their counts under the other filters (facet_key(name, f)):
        dicts with value, name, parent, n and options (the number of options before the limit),
        most claims first."""
        where, params = facet_key(name, f).where()
        if name == "province":
            sql = ("SELECT province_code AS value, any_value(province) AS name, '' AS parent, count(*) AS n "
                   f"FROM claims WHERE {where} AND province_code <> '' GROUP BY 1 ORDER BY n DESC, value")
        elif name == "city":
            sql = (f"SELECT CASE WHEN city_code = '' THEN '{REGION}' ELSE city_code END AS value, "
                   "any_value(city) AS name, '' AS parent, count(*) AS n FROM claims "
                   f"WHERE {where} GROUP BY 1 ORDER BY n DESC, value")
        elif name == "county":
            sql = (f"SELECT CASE WHEN county_code = '' THEN '{CITY_LEVEL}' ELSE county_code END AS value, "
                   "any_value(county) AS name, "
                   "CASE WHEN count(DISTINCT city) = 1 THEN any_value(city) ELSE '' END AS parent, "
                   f"count(*) AS n FROM claims WHERE {where} AND city_code <> '' "
                   "GROUP BY 1 ORDER BY n DESC, value")
        elif name == "theme":
            sql = ("SELECT t AS value, t AS name, '' AS parent, count(*) AS n FROM "
                   f"(SELECT unnest(string_split(themes, ';')) AS t FROM claims WHERE {where}) "
                   "WHERE t <> '' GROUP BY 1 ORDER BY n DESC, value")
        else:
            sql = (f"SELECT {name} AS value, {name} AS name, '' AS parent, count(*) AS n FROM claims "
                   f"WHERE {where} AND {name} <> '' GROUP BY 1 ORDER BY n DESC, value")
        sql = sql.replace(" AS n FROM", " AS n, count(*) OVER () AS options FROM", 1)
        rows = self.cur.execute(f"{sql} LIMIT {int(limit)}", params).fetchall()
        return [dict(zip(("value", "name", "parent", "n", "options"), r)) for r in rows]

    def exists(self, name: str, value: str) -> bool:
        """Whether a filter value occurs anywhere in the table (for checking URL values)."""
        if name == "city":
            cond, params = ("city_code = ''", []) if value == REGION else ("city_code = ?", [value])
        elif name == "county":
            cond, params = (("county_code = '' AND city_code <> ''", []) if value == CITY_LEVEL
                            else ("county_code = ?", [value]))
        elif name == "province":
            cond, params = "province_code = ?", [value]
        else:
            where, params = Filters(**{name: value}, reprints=True).where()
            cond = where
        return bool(self.scalar(f"SELECT count(*) > 0 FROM claims WHERE {cond}", params))

    def exists_pair(self, city: str, county: str) -> bool:
        """Whether the county lies in the city (in the table's rows)."""
        return bool(self.scalar("SELECT count(*) > 0 FROM claims WHERE city_code = ? AND county_code = ?",
                                [city, county]))

    def date_range(self) -> tuple[str, str, list[str]]:
        """(first, last published date, years with claims) over the whole table."""
        row = self.cur.execute(f"SELECT min(nullif(published, '')), max(nullif(published, '')), "
                               f"list(DISTINCT {YEAR} ORDER BY {YEAR}) FILTER (WHERE {YEAR} IS NOT NULL) "
                               "FROM claims").fetchall()[0]
        return row[0] or "", row[1] or "", [y for y in (row[2] or []) if y]

    # ---- the aggregate every chart, the map and the summary derive from ------------------------
    def groups(self, f: Filters, pick: Pick | None = None) -> pa.Table:
        """One pass over the filtered rows: per (city_code, county_code, themes, unit, reprint) the
        names and n = claims; with a pick, only that measure's rows in its unit (plans and
        forecasts left out), with s = sum counting each figure once (FIRST_REPORT: the same value
        for the same place and period reported twice is added once), mx = max, and latest = the
        value of the most recent claim (period, else published date). Reprinted rows are always
        included (flag `reprint`), so the result does not depend on f.reprints."""
        where, params = replace(f, reprints=True).where()
        if pick is None:
            return self.cur.sql(
                f"SELECT city_code, county_code, themes, unit, NOT {ORIGINAL} AS reprint, "
                "any_value(city) AS city, any_value(county) AS county, count(*) AS n, "
                "count(value) AS nv, NULL::DOUBLE AS s, NULL::DOUBLE AS mx, NULL::DOUBLE AS latest, "
                f"'' AS asof FROM claims WHERE {where} GROUP BY ALL", params=params).to_arrow_table()
        pw, pp = pick.where()
        when = "coalesce(nullif(period_end, ''), nullif(period_start, ''), published, '')"
        return self.cur.sql(
            f"SELECT city_code, county_code, themes, unit, NOT {ORIGINAL} AS reprint, "
            "any_value(city) AS city, any_value(county) AS county, count(*) AS n, count(value) AS nv, "
            f"coalesce(sum(value) FILTER (WHERE first_report), 0) AS s, max(value) AS mx, "
            f"arg_max(value, {when}) AS latest, max({when}) AS asof "
            f"FROM (SELECT *, {FIRST_REPORT} AS first_report FROM claims WHERE {where} AND {pw} AND {COUNTED}) "
            "GROUP BY ALL", params=params + pp).to_arrow_table()

    def units(self, f: Filters) -> pd.DataFrame:
        """(measure key, unit) pairs under the filters with their claims and regions, for the
        value pickers: key, unit, label, n, regions, additive (filled in by aggregates)."""
        where, params = f.where()
        return self.df(f"SELECT {MEASURE_KEY} AS key, unit, any_value(CASE WHEN measure <> '' THEN "
                       "coalesce(nullif(measure_label, ''), measure) ELSE indicator END) AS label, "
                       f"count(*) AS n, count(DISTINCT {REGION_CODE}) AS regions FROM claims "
                       f"WHERE {where} AND {COUNTED} AND value IS NOT NULL AND unit <> '' "
                       "AND (measure <> '' OR indicator <> '') "
                       "GROUP BY 1, 2 ORDER BY regions DESC, n DESC LIMIT 500", params)

    def compare_options(self, f: Filters, limit: int = 200) -> pd.DataFrame:
        """What can be compared across regions, like with like: (measure or phrase, unit, level,
        geo) with claims and regions; canonical measures first, then phrases."""
        where, params = f.without("indicator").where()
        geo = "CASE WHEN county_code <> '' THEN 'county' ELSE 'city' END"
        sql = (f"SELECT {MEASURE_KEY} AS key, unit, level, {geo} AS geo, "
               "any_value(CASE WHEN measure <> '' THEN coalesce(nullif(measure_label, ''), measure) "
               "ELSE indicator END) AS label, count(*) AS n, "
               f"count(DISTINCT {REGION_CODE}) AS regions FROM claims WHERE {where} AND {COUNTED} "
               "AND value IS NOT NULL AND city_code <> '' AND (measure <> '' OR indicator <> '') "
               f"GROUP BY 1, 2, 3, 4 ORDER BY starts_with(key, 'i:'), regions DESC, n DESC LIMIT {int(limit)}")
        return self.df(sql, params)

    def pick_points(self, f: Filters, pick: Pick, limit: int = 3000) -> pd.DataFrame:
        """The claims of one pick: claim_id, value, shown (the figure as written), region,
        short label, citation (no sentences: charts carry ids and short labels only) and
        first_report (the claim a sum adds: FIRST_REPORT)."""
        where, params = f.without("indicator").where()
        pw, pp = pick.where()
        return self.df(
            f"SELECT claim_id, value, {AS_WRITTEN} AS shown, "
            "CASE WHEN county_code = '' THEN city ELSE county END AS region, "
            f"{REGION_CODE} AS code, left(indicator, 24) AS label, "
            "concat_ws(' · ', nullif(outlet, ''), nullif(published, ''), nullif(page, '')) AS citation, "
            f"{YEAR} AS year, {FIRST_REPORT} AS first_report FROM claims WHERE {where} AND {pw} AND {COUNTED} "
            f"ORDER BY value DESC LIMIT {int(limit)}", params + pp)

    # ---- rows ----------------------------------------------------------------
    def page(self, f: Filters, page: int = 1, size: int = 500, sort: str = "region",
             descending: bool = False) -> pd.DataFrame:
        """One page of the filtered rows, sorted on the server, with `shown` (the figure as
        written) and `citation`."""
        where, params = f.where()
        order = _order(sort, descending)
        offset = max(0, (int(page) - 1) * int(size))
        return self.df(f"SELECT *, {AS_WRITTEN} AS shown, concat_ws(' · ', nullif(outlet, ''), "
                       "nullif(published, ''), nullif(page, '')) AS citation FROM claims "
                       f"WHERE {where} ORDER BY {order} LIMIT {int(size)} OFFSET {offset}", params)

    def export_batches(self, f: Filters, rows: int = 100_000, sort: str = "region", descending: bool = False):
        """The filtered rows, in the on-screen order, as DataFrames of at most `rows` rows."""
        where, params = f.where()
        self.cur.execute(f"SELECT * FROM claims WHERE {where} ORDER BY {_order(sort, descending)}", params)
        while True:
            frame = self.cur.fetch_df_chunk(max(1, rows // 2048))
            if frame is None or not len(frame):
                return
            yield _text_columns(frame)

    def export(self, f: Filters, limit: int | None = None) -> pd.DataFrame:
        """All filtered rows (in table order)."""
        where, params = f.where()
        lim = f" LIMIT {int(limit)}" if limit else ""
        return _text_columns(self.df(f"SELECT * FROM claims WHERE {where} ORDER BY doc, start{lim}", params))

    def claim(self, claim_id: str) -> dict | None:
        rows = self.df("SELECT * FROM claims WHERE claim_id = ? LIMIT 1", [claim_id])
        return rows.iloc[0].to_dict() if len(rows) else None

    def doc_claims(self, doc: str) -> pd.DataFrame:
        return self.df("SELECT claim_id, start, \"end\", value, unit, indicator, sentence FROM claims "
                       "WHERE doc = ? ORDER BY start", [doc])


def _order(sort: str, descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    if sort not in SORTABLE or sort == "region":
        return (f"city {direction}, county {direction}, indicator {direction}, value DESC NULLS LAST, claim_id")
    if sort == "published":
        return f"nullif(published, '') {direction} NULLS LAST, claim_id"
    if sort == "period_start":
        return f"nullif(period_start, '') {direction} NULLS LAST, claim_id"
    return f'"{sort}" {direction} NULLS LAST, claim_id'


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if col not in INT_COLUMNS and col not in FLOAT_COLUMNS:
            frame[col] = frame[col].astype("string").fillna("")
    return frame


def filters_dict(f: Filters) -> dict:
    return asdict(f)
