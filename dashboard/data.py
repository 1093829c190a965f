"""The data layer: the claim table in DuckDB, queried with SQL for each filter change.

No Streamlit here, so the benchmark and tests can call it directly. The table file
(Parquet, a folder of Parquet files, CSV, JSONL, or a .duckdb file with a `base` table) is
converted once into a cached .duckdb file; every filter change is a handful of SQL
aggregates and one LIMITed page: one query per filter's options (facet_rows), one
`overview` aggregate (a few thousand rows, as Arrow) from which the summary, the unit list
and every chart and map frame are derived for either measure and level, the indicator
comparison, and the page.
Rows of reprinted paragraphs (`duplicate_of` non-empty) are left out unless
Filters.reprints is set.
Session uploads are added per query cursor with UNION ALL.
"""
from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from extract.table import COLUMNS, INT_COLUMNS
from extract.tableio import read_table

CACHE_VERSION = "1"
REGION = "_region"      # city filter value: claims with no city (region-wide)
CITY_LEVEL = "_city"    # county filter value: claims about a whole 盟市 (no county)
FACETS = ("city", "county", "theme", "indicator", "doc", "qualifier")
ORIGINAL = "coalesce(duplicate_of, '') = ''"   # not a reprint of an earlier identical claim
SORTABLE = ("value", "indicator", "unit", "city", "county", "doc", "theme", "qualifier", "start")


class TableError(Exception):
    """The table file is missing or cannot be read; `kind` is 'missing' or 'bad'."""

    def __init__(self, kind: str, path: str, detail: str = ""):
        super().__init__(f"{kind}: {path}: {detail}")
        self.kind, self.path, self.detail = kind, path, detail


@dataclass(frozen=True)
class Filters:
    """The sidebar filters; None means all."""
    city: str | None = None
    county: str | None = None
    theme: str | None = None
    indicator: str | None = None
    doc: str | None = None
    qualifier: str | None = None
    reprints: bool = False   # include rows of reprinted paragraphs (duplicate_of non-empty)

    def without(self, *names: str) -> "Filters":
        return replace(self, **{n: None for n in names})

    def where(self, unit: str | None = None) -> tuple[str, list]:
        """SQL WHERE clause and its parameters."""
        parts, params = ["TRUE"], []
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
        for name in ("indicator", "doc", "qualifier"):
            if getattr(self, name):
                parts.append(f"{name} = ?")
                params.append(getattr(self, name))
        if unit is not None:
            parts.append("unit = ?")
            params.append(unit)
        if not self.reprints:
            parts.append(ORIGINAL)
        return " AND ".join(parts), params

    def as_dict(self) -> dict[str, str]:
        """The set facet filters (not the reprints switch)."""
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


@dataclass(frozen=True)
class Measure:
    """Claim count, or the sum of values in one unit (values of different units are never added)."""
    unit: str | None = None

    @property
    def is_sum(self) -> bool:
        return self.unit is not None

    def sql(self) -> str:
        return "sum(value)" if self.is_sum else "count(*)"


def _column_select(have: set[str]) -> str:
    cols = []
    for col in COLUMNS:
        if col in have:
            cols.append(f'"{col}"')
        elif col in INT_COLUMNS:
            cols.append(f'0::BIGINT AS "{col}"')
        elif col == "value":
            cols.append('NULL::DOUBLE AS "value"')
        else:
            cols.append(f"'' AS \"{col}\"")
    return ", ".join(cols)


def cache_dir() -> Path:
    """Where converted .duckdb copies of tables live: $INDICATORS_CACHE, else ~/.cache/grassroots-indicators."""
    env = os.environ.get("INDICATORS_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "grassroots-indicators"


def _fingerprint(path: Path) -> str:
    files = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
    parts = [CACHE_VERSION] + [f"{p}|{p.stat().st_mtime_ns}|{p.stat().st_size}" for p in files]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


class Store:
    """One table opened in DuckDB, shared by all sessions; thread-safe through per-query cursors.

    The first open of a table file loads it into memory (fast) and converts it in a background
    thread into a compressed .duckdb file in cache_dir() (keyed by the file's path, size and
    mtime); then queries move to that file and the memory copy is dropped. Later opens attach
    the .duckdb file at once and use about half the memory. Without a writable cache the
    table stays in memory.
    """

    def __init__(self, path: str | Path | None, cache: bool = True):
        """Open the table at path; None gives an empty table (uploads only)."""
        self.path = Path(path) if path is not None else None
        self.con = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        self.cache_file: Path | None = None
        self.converting: threading.Thread | None = None
        if self.path is None:
            self.con.execute(f"CREATE VIEW base AS SELECT {_column_select(set())} WHERE FALSE")
            return
        if not self.path.exists():
            raise TableError("missing", str(self.path))
        try:
            if self.path.suffix.lower() == ".duckdb":
                self._attach(self.path)
            elif cache and self._cache_target().exists():
                self._attach(self._cache_target())
            else:
                # First open of this file version: serve from memory now, convert in the background.
                self._load(self.con, "memory_base")
                self.con.execute("CREATE VIEW base AS SELECT * FROM memory_base")
                if cache:
                    self.converting = threading.Thread(target=self._convert, daemon=True,
                                                       name="indicators-duckdb-cache")
                    self.converting.start()
            self.con.execute("SELECT count(*) FROM base").fetchone()
        except (duckdb.Error, ValueError, OSError, KeyError) as exc:
            raise TableError("bad", str(self.path), str(exc).splitlines()[0]) from exc

    def _load(self, con: duckdb.DuckDBPyConnection, name: str) -> None:
        """CREATE TABLE name from the table file (Parquet read by DuckDB; CSV/JSONL via read_table)."""
        if self.path.suffix.lower() == ".parquet" or self.path.is_dir():
            pattern = str(self.path / "**" / "*.parquet") if self.path.is_dir() else str(self.path)
            src = "read_parquet('" + pattern.replace("'", "''") + "')"
        else:
            con.register("loaded_frame", read_table(self.path))
            src = "loaded_frame"
        have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
        con.execute(f"CREATE TABLE {name} AS SELECT {_column_select(have)} FROM {src}")

    def _attach(self, file: Path) -> None:
        with self._lock:
            self.con.execute("ATTACH '" + str(file).replace("'", "''") + "' AS stored (READ_ONLY)")
            self.con.execute("CREATE OR REPLACE VIEW base AS SELECT * FROM stored.base")
            self.cache_file = file

    def _cache_target(self) -> Path:
        stem = hashlib.sha1(str(self.path.resolve()).encode()).hexdigest()[:12]
        return cache_dir() / f"{stem}-{_fingerprint(self.path)}.duckdb"

    def _convert(self) -> None:
        """Write the .duckdb copy (atomically), then query it and free the in-memory table."""
        target = self._cache_target()
        try:
            # Lowest priority and one DuckDB thread: the first page views keep the CPU.
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except (AttributeError, OSError):
            pass
        try:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.parent / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
                with duckdb.connect(str(tmp), config={"threads": 1}) as con:
                    self._load(con, "base")
                    con.execute("CHECKPOINT")
                os.replace(tmp, target)
                for old in target.parent.glob(f"{target.name.split('-')[0]}-*.duckdb"):
                    if old != target:
                        old.unlink(missing_ok=True)
            self._attach(target)
            with self._lock:
                self.con.execute("DROP TABLE IF EXISTS memory_base")
        except (OSError, duckdb.Error):
            pass  # no cache: keep serving from memory

    def wait_converted(self, timeout: float | None = None) -> bool:
        """Wait for the background conversion (tests, benchmarks); True if the cache is in use."""
        if self.converting is not None:
            self.converting.join(timeout)
        return self.cache_file is not None

    def view(self, uploads: pd.DataFrame | None = None) -> "View":
        """A query view over the table plus this session's uploaded rows."""
        with self._lock:
            cur = self.con.cursor()
        return View(cur, uploads)


class View:
    """Queries over `claims` = base table UNION ALL uploaded rows."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, uploads: pd.DataFrame | None = None):
        self.cur = cur
        cols = ", ".join(f'"{c}"' for c in COLUMNS)
        if uploads is not None and len(uploads):
            cur.register("uploads_frame", uploads[list(COLUMNS)])
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

    def summary(self, f: Filters) -> dict[str, int]:
        """claims, docs, regions, units under the filters, and `reprints`: how many rows of
        reprinted paragraphs match the other filters (hidden unless f.reprints).

        Derived from overview() and the document facet (no query of its own): the dashboard
        has both anyway, cached, so the summary costs nothing more."""
        return summarize(self.overview(f), self.facet_rows("doc", facet_key("doc", f)), f)

    def facet_rows(self, name: str, f: Filters, limit: int = 2000) -> list[dict]:
        """Options of one filter with their counts under the other filters: dicts with keys
        value, name, parent, n, and options = the number of options before the limit
        (fetched as tuples; no DataFrame for up to 2,000 options).

        At most `limit` options, most claims first (a selectbox of 40,000 documents helps nobody).
        The result depends only on facet_key(name, f), so callers can cache it on that.
        """
        where, params = facet_key(name, f).where()
        if name == "city":
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

    def facet(self, name: str, f: Filters, limit: int = 2000) -> pd.DataFrame:
        """facet_rows as a DataFrame: columns value, name, parent, n."""
        rows = self.facet_rows(name, f, limit)
        return pd.DataFrame(rows, columns=["value", "name", "parent", "n", "options"]).drop(columns="options")

    def exists(self, name: str, value: str) -> bool:
        """Whether a filter value occurs anywhere in the table (for checking URL values)."""
        if name == "city":
            if value == REGION:
                return bool(self.scalar("SELECT count(*) > 0 FROM claims WHERE city_code = ''"))
            return bool(self.scalar("SELECT count(*) > 0 FROM claims WHERE city_code = ?", [value]))
        if name == "county":
            if value == CITY_LEVEL:
                return bool(self.scalar("SELECT count(*) > 0 FROM claims WHERE county_code = '' "
                                        "AND city_code <> ''"))
            return bool(self.scalar("SELECT count(*) > 0 FROM claims WHERE county_code = ?", [value]))
        where, params = Filters(**{name: value}, reprints=True).where()
        return bool(self.scalar(f"SELECT count(*) > 0 FROM claims WHERE {where}", params))

    def exists_pair(self, city: str, county: str) -> bool:
        """Whether the county lies in the city (in the table's rows)."""
        return bool(self.scalar("SELECT count(*) > 0 FROM claims WHERE city_code = ? AND county_code = ?",
                                [city, county]))

    def units(self, f: Filters) -> pd.DataFrame:
        """Units under the filters, most claims first: columns unit, n."""
        return unit_counts(self.overview(f), f.reprints)

    # ---- aggregates for charts ---------------------------------------------
    def overview(self, f: Filters) -> pa.Table:
        """One pass over the filtered rows for every chart, the map, the unit list and the
        summary: per (city_code, county_code, themes, unit, reprint) the names, n = claims,
        nv = claims with a value, s = sum of values. Reprinted rows are always included (flag
        `reprint`), so the result does not depend on f.reprints (cache it on overview_key(f)).
        A few thousand rows at most (regions x theme sets x units), kept as an Arrow table (no
        pandas conversion); the functions below derive each chart's frame from it with DuckDB,
        for either measure, level and reprints setting."""
        where, params = overview_key(f).where()
        # The relation API gives Arrow without an extra copy; it needs every earlier result on
        # this cursor finished, hence fetchall()/df() everywhere else in this class.
        return self.cur.sql(f"SELECT city_code, county_code, themes, unit, NOT {ORIGINAL} AS reprint, "
                            "any_value(city) AS city, any_value(county) AS county, count(*) AS n, "
                            f"count(value) AS nv, sum(value) AS s FROM claims WHERE {where} "
                            "GROUP BY ALL", params=params).to_arrow_table()

    def by_region(self, f: Filters, m: Measure, level: str) -> pd.DataFrame:
        """Measure per 盟市 (level='city') or per 旗县区 (level='county'): code, name, city, n, measure."""
        return region_measure(self.overview(f), m, level, f.reprints)

    def by_theme(self, f: Filters, m: Measure) -> pd.DataFrame:
        """Measure per theme (a claim with two themes counts under each): theme, n, measure."""
        return theme_measure(self.overview(f), m, f.reprints)

    def region_theme(self, f: Filters, m: Measure, level: str) -> pd.DataFrame:
        """Measure per (region, theme): region_code, region, theme, measure."""
        return region_theme_measure(self.overview(f), m, level, f.reprints)

    def indicator_units(self, f: Filters, limit: int = 200) -> pd.DataFrame:
        """(indicator, unit) pairs by claims, for the comparison chart's picker."""
        where, params = f.without("indicator").where()
        return self.df("SELECT indicator, unit, count(*) AS n, "
                       "approx_count_distinct(CASE WHEN county_code <> '' THEN county_code ELSE city_code END) "
                       "AS regions "
                       f"FROM claims WHERE {where} AND indicator <> '' AND value IS NOT NULL "
                       f"GROUP BY 1, 2 ORDER BY regions DESC, n DESC LIMIT {int(limit)}", params)

    def indicator_points(self, f: Filters, indicator: str, unit: str, limit: int = 3000) -> pd.DataFrame:
        """The claims of one indicator in one unit, for a per-region comparison: claim_id, value,
        sentence, region (only what the chart shows: each column is read from every row group
        that has a match, so fewer columns make this query markedly cheaper)."""
        where, params = replace(f, indicator=indicator).where(unit)
        return self.df(
            "SELECT claim_id, value, sentence, CASE WHEN county_code = '' THEN city ELSE county END AS region "
            f"FROM claims WHERE {where} ORDER BY value DESC LIMIT {int(limit)}", params)

    # ---- rows ----------------------------------------------------------------
    def page(self, f: Filters, page: int = 1, size: int = 500, sort: str = "value",
             descending: bool = True) -> pd.DataFrame:
        """One page of the filtered rows, sorted on the server."""
        sort = sort if sort in SORTABLE else "value"
        where, params = f.where()
        order = f'"{sort}" {"DESC" if descending else "ASC"} NULLS LAST, claim_id'
        offset = max(0, (int(page) - 1) * int(size))
        return self.df(f"SELECT * FROM claims WHERE {where} ORDER BY {order} LIMIT {int(size)} "
                       f"OFFSET {offset}", params)

    def export(self, f: Filters, limit: int | None = None) -> pd.DataFrame:
        """All filtered rows with the table's columns, in table order."""
        where, params = f.where()
        lim = f" LIMIT {int(limit)}" if limit else ""
        frame = self.df(f"SELECT * FROM claims WHERE {where} ORDER BY doc, start{lim}", params)
        for col in COLUMNS:
            if col not in INT_COLUMNS and col != "value":
                frame[col] = frame[col].astype("string").fillna("")
        return frame

    def export_batches(self, f: Filters, rows: int = 100_000):
        """The filtered rows as DataFrames of at most `rows` rows (bounded memory for big exports)."""
        where, params = f.where()
        self.cur.execute(f"SELECT * FROM claims WHERE {where} ORDER BY doc, start", params)
        while True:
            frame = self.cur.fetch_df_chunk(max(1, rows // 2048))
            if frame is None or not len(frame):
                return
            for col in COLUMNS:
                if col not in INT_COLUMNS and col != "value":
                    frame[col] = frame[col].astype("string").fillna("")
            yield frame

    def claim(self, claim_id: str) -> dict | None:
        rows = self.df("SELECT * FROM claims WHERE claim_id = ? LIMIT 1", [claim_id])
        return rows.iloc[0].to_dict() if len(rows) else None

    def doc_claims(self, doc: str) -> pd.DataFrame:
        return self.df("SELECT claim_id, start, \"end\", value, unit, indicator, sentence FROM claims "
                       "WHERE doc = ? ORDER BY start", [doc])


# ---- chart frames from View.overview (pandas on a few thousand aggregated rows) ---------------
def facet_key(name: str, f: Filters) -> Filters:
    """The filters a facet's options depend on: all but its own (the city facet: but city and county)."""
    return f.without("city", "county") if name == "city" else f.without(name)


_SMALL: duckdb.DuckDBPyConnection | None = None


def _on_groups(groups: pa.Table, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run sql over the overview table (as `g`) in a small in-memory DuckDB: a few
    milliseconds, where the same in pandas (split, explode, groupby on strings) takes several times that."""
    global _SMALL
    if _SMALL is None:
        _SMALL = duckdb.connect(":memory:", config={"threads": 1})
    cur = _SMALL.cursor()
    try:
        cur.register("g", groups)
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


def overview_key(f: Filters) -> Filters:
    """The filters View.overview depends on (it always counts reprints, flagged)."""
    return replace(f, reprints=True)


def _measure_sql(m: Measure, reprints: bool = False) -> tuple[str, str, list]:
    """(aggregate, WHERE, params) over the overview rows for the measure."""
    keep = "TRUE" if reprints else "NOT reprint"
    if m.is_sum:
        return "sum(s)", f"{keep} AND unit = ?", [m.unit]
    return "sum(n)::BIGINT", keep, []


REGION_CODE = "CASE WHEN county_code = '' THEN city_code ELSE county_code END"


def region_measure(groups: pa.Table, m: Measure, level: str, reprints: bool = False) -> pd.DataFrame:
    """Measure per region, most first: code, name, city, n, measure (and city_code at county level)."""
    agg, where, params = _measure_sql(m, reprints)
    if level == "city":
        sql = ("SELECT city_code AS code, any_value(city) AS name, any_value(city) AS city, "
               f"sum(n)::BIGINT AS n, {agg} AS measure FROM g WHERE {where} GROUP BY 1 ORDER BY measure DESC")
    else:
        sql = (f"SELECT {REGION_CODE} AS code, any_value(county) AS name, any_value(city) AS city, "
               f"any_value(city_code) AS city_code, sum(n)::BIGINT AS n, {agg} AS measure FROM g "
               f"WHERE {where} GROUP BY 1 ORDER BY measure DESC")
    return _on_groups(groups, sql, params)


def theme_measure(groups: pa.Table, m: Measure, reprints: bool = False) -> pd.DataFrame:
    """Measure per theme, most first: theme, n, measure."""
    agg, where, params = _measure_sql(m, reprints)
    return _on_groups(groups, f"SELECT t AS theme, sum(n)::BIGINT AS n, {agg} AS measure FROM "
                              f"(SELECT unnest(string_split(themes, ';')) AS t, n, s FROM g WHERE {where}) "
                              "WHERE t <> '' GROUP BY 1 ORDER BY measure DESC", params)


def region_theme_measure(groups: pa.Table, m: Measure, level: str, reprints: bool = False) -> pd.DataFrame:
    """Measure per (region, theme): region_code, region, theme, measure."""
    agg, where, params = _measure_sql(m, reprints)
    code = "city_code" if level == "city" else REGION_CODE
    name = "city" if level == "city" else "CASE WHEN county_code = '' THEN city ELSE county END"
    return _on_groups(groups, f"SELECT rc AS region_code, any_value(rn) AS region, t AS theme, {agg} AS measure "
                              f"FROM (SELECT {code} AS rc, {name} AS rn, n, s, unnest(string_split(themes, ';')) AS t "
                              f"FROM g WHERE {where}) WHERE t <> '' GROUP BY rc, t", params)


def unit_counts(groups: pa.Table, reprints: bool = False) -> pd.DataFrame:
    """Units with values, most claims first: unit, n."""
    keep = "TRUE" if reprints else "NOT reprint"
    return _on_groups(groups, f"SELECT unit, sum(nv)::BIGINT AS n FROM g WHERE {keep} AND unit <> '' AND nv > 0 "
                              "GROUP BY unit ORDER BY n DESC, unit")


def summarize(groups: pa.Table, doc_options: list[dict], f: Filters) -> dict[str, int]:
    """claims, docs, regions, units and reprints (see View.summary) from the overview and the
    document facet's rows (doc_options: View.facet_rows("doc", facet_key("doc", f)))."""
    keep = "TRUE" if f.reprints else "NOT reprint"
    row = _on_groups(groups, f"SELECT coalesce(sum(n) FILTER (WHERE {keep}), 0)::BIGINT, "
                             f"count(DISTINCT {REGION_CODE}) FILTER (WHERE {keep} AND n > 0), "
                             f"count(DISTINCT unit) FILTER (WHERE {keep} AND n > 0), "
                             "coalesce(sum(n) FILTER (WHERE reprint), 0)::BIGINT FROM g").iloc[0]
    claims = int(row.iloc[0])
    if f.doc:                          # one document chosen: it is the only one, if anything matches
        docs = int(claims > 0)
    else:                              # the facet lists documents under exactly these filters
        docs = int(doc_options[0]["options"]) if doc_options else 0
    return {"claims": claims, "docs": docs, "regions": int(row.iloc[1]), "units": int(row.iloc[2]),
            "reprints": int(row.iloc[3])}
