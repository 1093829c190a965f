"""The dashboard page: layout and widgets only (run through dashboard/app.py; see there for usage).

State lives in dashboard.state (every widget writes into it through a callback), queries in
dashboard.cached / dashboard.queries, sums and chart frames in dashboard.aggregates.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import aggregates, cached, charts, download_view, geo, safe, st_patches, st_texts, state, upload_view
from dashboard.aggregates import Measure, additive
from dashboard.article import highlight_html, load_text
from dashboard.i18n import column_label, qualifier_label, scope_label, t, theme_label
from dashboard.queries import CITY_LEVEL, FACETS, REGION, SORTABLE, Filters, Pick, facet_key
from dashboard.store import Store, TableError

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 500
MEASURE_LABELS = {"count": "measure_count", "sum": "measure_sum", "max": "measure_max_short",
                  "latest": "measure_latest_short"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """--table and --docs after `--`; defaults from INDICATORS_TABLE / INDICATORS_DOCS."""
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--table", default=os.environ.get("INDICATORS_TABLE") or "out/seeds.parquet")
    ap.add_argument("--docs", action="append", default=None)
    args, _ = ap.parse_known_args(argv)
    if not args.docs:
        env = os.environ.get("INDICATORS_DOCS")
        args.docs = env.split(os.pathsep) if env else ["seeds", str(ROOT / "seeds")]
    return args


@st.cache_resource(show_spinner=False, max_entries=4)
def open_store(path: str, mtime: float) -> Store:
    """The table loaded into DuckDB once per file version, shared by all sessions."""
    return Store(path)


@st.cache_resource(show_spinner=False)
def open_store_empty() -> Store:
    return Store(None)


# ---- sidebar ---------------------------------------------------------------------------------
def facet_label(name: str, row: dict, lang: str, narrowed: bool = False) -> str:
    """Option text with its count beside it."""
    value, label = row["value"], row["name"] or row["value"]
    if name == "city" and value == REGION:
        label = t("region_level", lang)
    elif name == "county" and value == CITY_LEVEL:
        label = t("city_level", lang)
    elif name == "county" and row.get("parent"):
        label = label if narrowed else f"{label} · {row['parent']}"
    elif name == "theme":
        label = theme_label(value, lang)
    elif name == "qualifier":
        label = qualifier_label(value, lang)
    elif name == "scope":
        label = scope_label(value, lang)
    return f"{label}（{int(row['n']):,}）"


def sidebar(view, key: tuple, s: state.PageState, present: frozenset[str]) -> None:
    """Language, the facet filters (each with counts under the others), search, time, reprints."""
    lang, f = s.lang, s.filters
    k = state.widget_key("lang", s.lang)
    st.sidebar.segmented_control(t("language", "zh"), state.LANGS, key=k, default=s.lang, required=True,
                                 format_func=lambda c: "中文" if c == "zh" else "English",
                                 on_change=state.setter("lang"), args=(k,))
    with st.sidebar.container():        # second in the sidebar on every run: the uploader is never remounted
        upload_view.panel(lang)
    st.sidebar.header(t("filters", lang))
    k = state.widget_key("q", lang, f.q)
    st.sidebar.text_input(t("q", lang), value=f.q or "", key=k, help=t("q_help", lang),
                          on_change=state.setter("q", lambda v: (v or "").strip() or None), args=(k,))
    for name in FACETS:
        if name == "scope" and "scope" not in present:
            continue
        opts = cached.facet_rows(view, key, name, facet_key(name, f))
        rows = {r["value"]: r for r in opts}
        cur = getattr(f, name)
        if cur and cur not in rows:
            rows[cur] = {"value": cur, "name": geo.region_names().get(cur, cur), "parent": "", "n": 0}
        labels = {v: facet_label(name, r, lang, bool(f.city)) for v, r in rows.items()}
        total = sum(int(r["n"]) for r in opts) if name != "theme" else None
        options = list(rows)
        k = state.widget_key(name, lang, tuple(labels.values()), cur)
        st.sidebar.selectbox(t(name, lang), options, index=options.index(cur) if cur else None, key=k,
                             placeholder=t("all", lang) + (f"（{total:,}）" if total is not None else ""),
                             format_func=lambda v, lb=labels: lb.get(v, str(v)),
                             on_change=state.setter(name), args=(k,))
    if "published" in present or "period_start" in present:
        time_filters(view, key, s)
    k = state.widget_key("reprints", lang, f.reprints)
    st.sidebar.toggle(t("include_reprints", lang), value=f.reprints, key=k, help=t("include_reprints_help", lang),
                      on_change=state.setter("reprints", bool), args=(k,))
    n = cached.summary(view, key, f)["reprints"]
    st.sidebar.caption(t("reprints_shown" if f.reprints else "reprints_hidden", lang, n=f"{n:,}"))
    st.sidebar.button(t("reset", lang), on_click=state.clear, width="stretch", key="reset")


def time_filters(view, key: tuple, s: state.PageState) -> None:
    """Published date range and period year (shown once the table has dates)."""
    import datetime as dt
    lang, f = s.lang, s.filters
    first, last, years = cached.date_range(view, key)
    if first and last:
        lo, hi = dt.date.fromisoformat(first[:10]), dt.date.fromisoformat(last[:10])
        value = (dt.date.fromisoformat(f.date_from) if f.date_from else lo,
                 dt.date.fromisoformat(f.date_to) if f.date_to else hi)
        k = state.widget_key("dates", lang, f.date_from, f.date_to, first, last)
        st.sidebar.date_input(t("dates", lang), value=value, min_value=lo, max_value=hi, key=k,
                              on_change=on_dates, args=(k, lo, hi), format="YYYY-MM-DD")
    if years:
        k = state.widget_key("year", lang, tuple(years), f.year)
        st.sidebar.selectbox(t("year", lang), years, index=years.index(f.year) if f.year in years else None,
                             key=k, placeholder=t("all", lang), on_change=state.setter("year"), args=(k,))


def on_dates(k: str, lo, hi) -> None:
    value = st.session_state.get(k) or ()
    if len(value) != 2:           # the first click of a range: wait for the second
        return
    start, end = value
    state.set_filters(date_from=None if start <= lo else start.isoformat(),
                      date_to=None if end >= hi else end.isoformat())


# ---- title and measure ---------------------------------------------------------------------------
def title(view, key: tuple, s: state.PageState, summary: dict) -> None:
    """The title says what is shown: the place filtered to, one province, or all provinces."""
    lang, f = s.lang, s.filters
    provinces = cached.facet_rows(view, key, "province", facet_key("province", f))
    where = None
    if f.county and f.county != CITY_LEVEL:
        where = geo.region_names().get(f.county) or f.county
    elif f.city and f.city != REGION:
        where = geo.region_names().get(f.city) or f.city
    elif f.province or len(provinces) == 1:
        code = f.province or provinces[0]["value"]
        where = next((r["name"] for r in provinces if r["value"] == code), code)
    if where in (None, "内蒙古自治区") and (f.province == "150000" or [r["value"] for r in provinces] == ["150000"]):
        st.title(t("title", lang))
        what = "内蒙古自治区" if lang == "zh" else "Inner Mongolia"
    else:
        where = where or t("all_provinces", lang)
        st.title(t("title_where", lang, where=where))
        what = where
        if not (f.province or f.city or f.county) and len(provinces) > 1:
            what += " · " + "、".join(f"{r['name']} {int(r['n']):,}" for r in provinces[:4])
    st.caption(t("shown_caption", lang, what=what, n=f"{summary['claims']:,}") + " " + t("caption", lang))


def measure_controls(view, key: tuple, s: state.PageState) -> tuple[Measure, str]:
    """Count, or the sum / maximum / latest value of one measure in one unit per region; the sum
    is offered only for figures that can be added."""
    lang, f = s.lang, s.filters
    c1, c2, c3 = st.columns([3, 3, 2])
    k = state.widget_key("measure", lang, s.measure)
    kind = c1.radio(t("measure", lang), state.MEASURES, key=k, horizontal=True,
                    index=state.MEASURES.index(s.measure), on_change=state.setter("measure"), args=(k,),
                    format_func=lambda m: t(MEASURE_LABELS[m], lang))
    k = state.widget_key("level", lang, s.level)
    level = c3.radio(t("level", lang), state.LEVELS, key=k, horizontal=True, index=state.LEVELS.index(s.level),
                     format_func=lambda v: t(f"level_{v}", lang), on_change=state.setter("level"), args=(k,))
    if kind == "count":
        return Measure(), level
    units = cached.units(view, key, f)
    if kind == "sum":
        units = units[units["additive"]]
    if units.empty:
        c2.info(t("no_additive" if kind == "sum" else "no_units", lang))
        return Measure(), level
    choices = [state.pick_to_url(Pick(k_, u)) for k_, u in zip(units["key"], units["unit"])]
    info = {c: r for c, r in zip(choices, units.itertuples())}
    if s.value and s.value not in info:
        state.warn_unknown("value_pick", s.value, lang)
        state.set_state(value="")
    cur = s.value if s.value in info else choices[0]
    k = state.widget_key("value", lang, kind, tuple(choices), cur)
    c2.selectbox(t("value_pick_sum" if kind == "sum" else "value_pick", lang), choices, index=choices.index(cur),
                 key=k, on_change=state.setter("value"), args=(k,),
                 format_func=lambda c: f"{info[c].label}（{info[c].unit}）· {info[c].n:,}")
    pick = state.pick_from_url(cur)
    row = info[cur]
    note = {"sum": t("sum_note", lang), "max": t("max_note", lang, name=row.label, unit=row.unit),
            "latest": t("latest_note", lang, name=row.label, unit=row.unit)}[kind]
    if kind == "sum" and level == "city":
        note += " " + t("sum_city_note", lang)
    c2.caption(note)
    return Measure(kind, pick), level


def measure_label(m: Measure, lang: str) -> str:
    if not m.is_value:
        return t("claims", lang)
    name = {"sum": t("sum", lang), "max": t("measure_max_short", lang), "latest": t("measure_latest_short", lang)}
    return f"{name[m.kind]}（{m.pick.name}，{m.pick.unit}）"


# ---- chart and map clicks (callbacks: they run before the page) ------------------------------------
def _points(key: str) -> list[dict]:
    event = st.session_state.get(key)
    return (event or {}).get("selection", {}).get("points", []) if event else []


def on_compare_click() -> None:
    for p in _points(state.COMPARE_CHART):
        cid = (p.get("customdata") or [None])[0]
        if cid:
            state.set_state(claim=cid)
            return


def on_region_click(level: str) -> None:
    """A bar of the region chart filters to that region."""
    for p in _points(state.REGION_CHART):
        code = str((p.get("customdata") or [""])[0] or "")
        if code:
            select_region(code, level)
            return


def on_map_click() -> None:
    points = _points(state.MAP_CHART)
    if points:
        select_region(str(points[0].get("location") or ""), state.current().level)


def select_region(code: str, level: str) -> None:
    """Filter to a clicked region; a region without claims under the filters changes nothing
    and says so (never a raw code as a filter value)."""
    counts = state.recall(state.MAP_COUNTS, {})
    if not code:
        return
    if counts.get(code, 0) <= 0:
        name = geo.region_names().get(code, code)
        state.info(t("map_no_claims", state.current().lang, name=name))
        return
    if level == "county" and not code.endswith("00"):
        state.set_filters(city=code[:4] + "00")
        state.set_filters(county=code)
    elif level == "county":           # the bar of a 盟市's own (city-level) claims
        state.set_filters(city=code)
        state.set_filters(county=CITY_LEVEL)
    else:
        state.set_filters(city=code)


def on_table_select() -> None:
    event = st.session_state.get(state.TABLE)
    rows = (event or {}).get("selection", {}).get("rows", []) if event else []
    ids = state.recall(state.PAGE_IDS, [])
    if rows and rows[0] < len(ids):
        state.set_state(claim=ids[rows[0]])


# ---- tabs ----------------------------------------------------------------------------------------
def charts_tab(view, key, s: state.PageState, m: Measure, level: str, present: frozenset[str]) -> None:
    lang, f = s.lang, s.filters
    label = measure_label(m, lang)
    lvl = "county" if (f.city and f.city != REGION) else level
    m = aggregates.for_level(m, lvl)
    groups = cached.overview(view, key, f, m.pick if m.is_value else None)
    c1, c2 = st.columns(2)
    with c1:
        st.subheader(t("chart_region", lang))
        frame = aggregates.by_region(groups, m, lvl, f.reprints)
        remember_counts(frame)
        st.plotly_chart(charts.region_bar(frame, lvl, label, lang), key=state.REGION_CHART,
                        on_select=lambda: on_region_click(lvl), selection_mode="points")
    with c2:
        st.subheader(t("chart_theme", lang))
        st.plotly_chart(charts.theme_bar(aggregates.by_theme(groups, m, f.reprints), label, lang), key="theme_chart")
        st.caption(t("chart_theme_note", lang))
    st.subheader(t("chart_heatmap", lang))
    st.plotly_chart(charts.heatmap(aggregates.by_region_theme(groups, m, lvl, f.reprints), label, lang),
                    key="heatmap")
    compare_section(view, key, s, m, present)


def compare_section(view, key, s: state.PageState, m: Measure, present: frozenset[str]) -> None:
    """One measure (canonical first, phrase second) across regions of one kind, like with like."""
    lang, f = s.lang, s.filters
    st.subheader(t("chart_compare", lang))
    opts = cached.compare_options(view, key, f)
    if f.indicator:
        opts = opts[(opts["label"] == f.indicator) | (opts["key"] == "i:" + f.indicator)]
    if m.is_value:
        same = opts[(opts["key"] == m.pick.key) & (opts["unit"] == m.pick.unit)]
        opts = same if len(same) else opts
    if opts.empty:
        st.info(t("empty_filtered", lang))
        return
    picks = [Pick(r.key, r.unit, r.level or "", r.geo) for r in opts.itertuples()]
    choices = [state.pick_to_url(p) for p in picks]
    rows = dict(zip(choices, opts.itertuples()))
    if s.compare and s.compare not in rows:
        state.warn_unknown("compare_pick", s.compare, lang)
        state.set_state(compare="")
    cur = s.compare if s.compare in rows else choices[0]

    def fmt(c: str) -> str:
        r = rows[c]
        level = f" · {r.level}" if r.level else ""
        return (f"{r.label}（{r.unit}）· {t('compare_geo_' + r.geo, lang)}{level} · "
                f"{r.n:,} / {r.regions:,} {t('regions', lang)}")
    k = state.widget_key("compare", lang, tuple(choices), cur)
    st.selectbox(t("compare_pick", lang), choices, index=choices.index(cur), key=k, format_func=fmt,
                 on_change=state.setter("compare"), args=(k,))
    pick, row = state.pick_from_url(cur), rows[cur]
    points = cached.pick_points(view, key, f, pick)
    title = f"{row.label}（{row.unit}）· {t('compare_geo_' + row.geo, lang)}"
    st.plotly_chart(charts.compare(points, title, row.unit, bool(row.additive), lang), key=state.COMPARE_CHART,
                    on_select=on_compare_click, selection_mode="points")
    st.caption(t("compare_note", lang) + " " + (t("sum_note", lang) if row.additive
                                                  else t("max_note", lang, name=row.label, unit=row.unit)))
    if ("published" in present or "period_start" in present) and points["year"].notna().any():
        st.subheader(t("chart_time", lang))
        st.plotly_chart(charts.over_time(points, title, row.unit, bool(row.additive), lang), key="time_chart")
        st.caption(t("time_note", lang))


def remember_counts(frame: pd.DataFrame) -> None:
    state.remember(state.MAP_COUNTS, {str(c): int(n) for c, n in zip(frame["code"].fillna(""), frame["n"]) if c})


def map_tab(view, key, s: state.PageState, m: Measure, level: str) -> None:
    lang, f = s.lang, s.filters
    m = aggregates.for_level(m, level)
    frame = aggregates.by_region(cached.overview(view, key, f, m.pick if m.is_value else None), m, level, f.reprints)
    remember_counts(frame)
    code = frame["code"].fillna("")
    city_level = code.isin(charts.shape_codes("city")) & (level == "county")
    outside = (code != "") & ~code.str.startswith(geo.PROVINCE_CODE[:2])
    missing = (code != "") & ~code.isin(charts.shape_codes(level)) & ~city_level & ~outside
    st.plotly_chart(charts.region_map(frame, level, measure_label(m, lang), lang), key=state.MAP_CHART,
                    on_select=on_map_click, selection_mode="points", config={"scrollZoom": True})
    st.caption(t("map_zero", lang))
    notes = [("map_city_level", city_level), ("map_outside", outside), ("map_missing", missing),
             ("map_region_wide", code == "")]
    for label, mask in notes:
        if mask.any():
            st.caption(t(label, lang, n=int(frame.loc[mask, "n"].sum())))


TABLE_COLUMNS = ("shown", "value", "unit", "qualifier", "indicator", "measure_label", "city", "county", "themes",
                 "published", "period", "citation", "url", "sentence", "doc", "claim_id")


def display_frame(page: pd.DataFrame, lang: str, present: frozenset[str]) -> pd.DataFrame:
    """The page's rows as shown: the figure as written, the qualifier, translated themes,
    city-level claims labelled, the citation beside the figure."""
    cols = [c for c in TABLE_COLUMNS if c in page and (c not in ("measure_label", "published", "period", "url")
                                                         or c in present)]
    if "citation" in cols and not ({"outlet", "published", "page"} & present):
        cols.remove("citation")
    out = page[cols].copy()
    city_level = (page["county_code"].fillna("") == "") & (page["city_code"].fillna("") != "")
    out["county"] = out["county"].where(~city_level, t("city_level", lang))
    out["city"] = out["city"].where(page["city_code"].fillna("") != "", t("region_level", lang))
    out["themes"] = out["themes"].fillna("").map(lambda v: "、".join(theme_label(k, lang) for k in v.split(";") if k))
    out["qualifier"] = out["qualifier"].map(lambda q: qualifier_label(q, lang))
    return out.rename(columns={c: column_label(c, lang) for c in out.columns})


def table_tab(view, key, s: state.PageState, total: int, present: frozenset[str], export_view,
              source: str = "") -> None:
    """The sorted, paged table and its downloads (export_view() gives a fresh view for the
    download, made when a button is clicked, on its own cursor)."""
    lang, f = s.lang, s.filters
    sorts = [c for c in SORTABLE if c not in ("published", "period_start") or c in present]
    sort = s.sort if s.sort in sorts else "region"
    c1, c2 = st.columns([3, 1])
    k = state.widget_key("sort", lang, sort)
    c1.selectbox(t("sort_by", lang), sorts, index=sorts.index(sort), key=k, on_change=state.setter("sort"),
                 args=(k,), format_func=lambda c: column_label(c, lang))
    k = state.widget_key("desc", lang, s.desc)
    c2.toggle(t("descending", lang), value=s.desc, key=k, on_change=state.setter("desc", bool), args=(k,))
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(s.page, pages)
    page = cached.page(view, key, f, number, PAGE_SIZE, sort, s.desc)
    state.remember(state.PAGE_IDS, list(page["claim_id"]))
    st.caption(t("select_hint", lang))
    shown = display_frame(page, lang, present)
    config = {column_label("sentence", lang): st.column_config.TextColumn(width="large")}
    if "url" in present:
        config[column_label("url", lang)] = st.column_config.LinkColumn(display_text=t("link", lang))
    css = st_texts.table_search_css(lang)
    st.html(css or "<style></style>")
    st.dataframe(shown, key=state.TABLE, on_select=on_table_select, selection_mode="single-row", hide_index=True,
                 width="stretch", height=420, column_config=config)
    if pages > 1:
        k = state.widget_key("page", pages, number, f, sort, s.desc)
        st.pagination(pages, default=number, key=k, on_change=state.setter("page", int), args=(k,))
    st.caption(t("page_info", lang, page=number, pages=pages, size=PAGE_SIZE, total=f"{total:,}"))
    download_view.downloads(lambda: export_view().export_batches(f, sort=sort, descending=s.desc), f, page,
                            sort, s.desc, total, lang, source=source)


def article_panel(view, s: state.PageState, docs: tuple[str, ...]) -> None:
    """The opened claim's article, escaped, every claim of it highlighted, with its citation."""
    lang = s.lang
    claim = view.claim(s.claim)
    if claim is None:
        state.warn(t("unknown_claim", lang, value=s.claim))
        state.set_state(claim="")
        return
    box = st.container(border=True)
    head, close = box.columns([5, 1])
    with head:
        safe.heading(f"{t('article', lang)} · {claim['doc']}")
    close.button(t("close_article", lang), on_click=state.set_state, kwargs={"claim": ""}, key="close_article")
    cite = " · ".join(str(claim.get(c) or "") for c in ("outlet", "published", "page") if claim.get(c))
    if cite or claim.get("url"):
        box.text(f"{t('citation', lang)}：{cite}" + (f"  {claim['url']}" if claim.get("url") else ""))
    text = st.session_state[state.UPLOAD_TEXTS].get(claim["doc"]) or load_text(claim["doc"], docs)
    box.text(f"▶ {claim['indicator']}：{claim['number_text']}{claim['unit']} —— {claim['sentence']}")
    if text is None:
        box.warning(t("article_missing", lang, doc=claim["doc"], dirs=", ".join(docs)))
        return
    rows = view.doc_claims(claim["doc"])
    spans = [(int(r.start), int(r.end), r.claim_id, f"{r.indicator} {r.value:g}{r.unit}")
             for r in rows.itertuples()]
    box.caption(t("article_claims", lang, n=len(spans)))
    with box:
        st.html(highlight_html(text, spans, s.claim))


def on_tab(k: str, labels: dict[str, str]) -> None:
    label = st.session_state.get(k)
    if label in labels:
        state.set_state(tab=labels[label])


# ---- main ----------------------------------------------------------------------------------------
def main() -> None:
    st_patches.keep_file_url_answers()    # before any upload: Streamlit otherwise drops files added as a run starts
    st.set_page_config(page_title="内蒙古基层治理量化指标", page_icon="📊", layout="wide")
    # Exports go through our download buttons only (formula-safe); no "Deploy" button for viewers.
    st.set_option("client.disableDataExport", True)
    st.set_option("client.toolbarMode", "minimal")
    args = parse_args(sys.argv[1:])
    s = state.load()
    table_path = Path(args.table)
    store, table_problem = None, None
    try:
        if not table_path.exists():
            raise TableError("missing", str(table_path))
        store = open_store(os.path.realpath(table_path), table_path.stat().st_mtime)
    except TableError as exc:
        table_problem = exc
    if store is None:
        store = open_store_empty()
    upload_view.collect()             # finished uploads join the session's table before any query
    uploads = st.session_state.get(state.UPLOADS)
    view = store.view(uploads)
    key = (os.path.realpath(table_path), table_path.stat().st_mtime if table_problem is None else 0,
           None if uploads is None else (state.session_token(), st.session_state.get(state.UPLOADS_VERSION, 0)))
    s = state.validate(view)
    present = store.present | (frozenset() if uploads is None else frozenset())
    lang, f = s.lang, s.filters

    sidebar(view, key, s, present)
    total_all = cached.count(view, key, Filters())
    summary = cached.summary(view, key, f)
    title(view, key, s, summary)
    message_box = st.container()
    if table_problem is not None:
        # shown as text: the path and the reader's reason may hold Markdown or HTML characters
        if table_problem.kind == "missing":
            safe.alert("error", t("missing_table", lang, path=table_problem.path))
        else:
            safe.alert("error", t("bad_table", lang, path=table_problem.path, err=table_problem.detail))
    elif total_all == 0:
        st.info(t("empty_table", lang, path=str(table_path)))
    if total_all:
        cols = st.columns(4)
        for col, name in zip(cols, ("claims", "docs", "regions", "units")):
            col.metric(t(name, lang), f"{summary[name]:,}")
    measure, level = measure_controls(view, key, s) if total_all else (Measure(), s.level)
    if total_all and s.claim:
        article_panel(view, s, tuple(args.docs))

    names = {"overview": t("tab_overview", lang), "map": t("tab_map", lang), "table": t("tab_table", lang)}
    by_label = {v: k for k, v in names.items()}
    k = state.widget_key("tab", lang, s.tab)
    # on_change: only the open tab's code runs (tab.open), so a rerun does a third of the work.
    tabs = dict(zip(names, st.tabs(list(names.values()), key=k, default=names[s.tab],
                                   on_change=on_tab, args=(k, by_label))))
    if total_all and summary["claims"] == 0:
        st.warning(t("empty_filtered", lang))
    elif total_all:
        if tabs["overview"].open:
            with tabs["overview"]:
                charts_tab(view, key, s, measure, level, present)
        if tabs["map"].open:
            with tabs["map"]:
                map_tab(view, key, s, measure, level)
        if tabs["table"].open:
            with tabs["table"]:
                table_tab(view, key, s, summary["claims"], present, lambda: store.view(uploads), table_path.name)
    with message_box:
        safe.alerts(state.take_messages())   # URL values inside: shown as text
    state.write_url(state.current())
