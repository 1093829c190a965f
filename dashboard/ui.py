"""The dashboard page (run through dashboard/app.py; see there for usage).

The page lives in this module rather than in the script itself so that a rerun does not
re-parse and re-compile it (Streamlit caches the script's bytecode on a server, but
AppTest compiles the script again on every run); the script only imports and calls main().
"""
from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import charts, data, download_view, exports, geo, safe, upload_view
from dashboard.article import highlight_html, load_text
from dashboard.data import CITY_LEVEL, FACETS, REGION, SORTABLE, Filters, Measure, Store, TableError, facet_key
from dashboard.i18n import LABELS, LANGS, column_label, qualifier_label, t, theme_label

ROOT = Path(__file__).resolve().parent.parent

PAGE_SIZE = 500
LEVELS = ("city", "county")
URL_KEYS = FACETS + ("reprints", "lang", "unit", "level", "claim")
TRUE_VALUES = ("1", "true", "yes", "on")


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


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(_view, signature: str, method: str, _args: tuple):
    return getattr(_view, method)(*_args)


def query(view, key: tuple, method: str, *args):
    """A data-layer query, cached by table version, session uploads, method and arguments.

    The cache key is the repr of those (Filters and Measure are frozen dataclasses with a
    deterministic repr): hashing one string is much cheaper than Streamlit hashing the objects.
    Within one run, a repeated query is served from a run-local memo, so st.cache_data does
    not unpickle the same result twice."""
    signature = repr((key, method, args))
    memo = st.session_state.setdefault("_run_memo", {})
    if signature not in memo:
        memo[signature] = _cached_query(view, signature, method, args)
    return memo[signature]


def overview(view, key: tuple, f: Filters):
    """View.overview for the filters: one cached aggregate per filter state (the reprints switch
    included: the overview flags reprinted rows), from which charts, map, units and summary come."""
    return query(view, key, "overview", data.overview_key(f))


def doc_options(view, key: tuple, f: Filters) -> list[dict]:
    return query(view, key, "facet_rows", "doc", facet_key("doc", f))


def summary_of(view, key: tuple, f: Filters) -> dict[str, int]:
    """View.summary from the cached overview and document facet (no query of its own),
    computed once per run (the sidebar and the metrics both show it)."""
    memo = st.session_state.setdefault("_run_memo", {})
    signature = repr((key, "summary", f))
    if signature not in memo:
        memo[signature] = data.summarize(overview(view, key, f), doc_options(view, key, f), f)
    return memo[signature]


# ---- state -------------------------------------------------------------------------------------
def init_state() -> None:
    """On a session's first run, take the filter state from the URL."""
    ss = st.session_state
    if "_url_in" in ss:
        return
    ss["_url_in"] = {k: st.query_params.get(k) for k in URL_KEYS if st.query_params.get(k)}
    ss.setdefault("uploads", None)
    ss.setdefault("upload_texts", {})
    ss.setdefault("upload_seen", set())
    ss.setdefault("upload_msgs", [])
    lang = ss["_url_in"].get("lang")
    ss["lang"] = lang if lang in LANGS else "zh"
    if lang and lang not in LANGS:
        ss["_messages"] = [("warning", t("unknown_value", "zh", field="lang", value=lang))]


def sync_url(values: dict[str, str | None]) -> None:
    """Write the current state into the URL (only non-default values)."""
    want = {k: str(v) for k, v in values.items() if v not in (None, "")}
    if dict(st.query_params.to_dict()) != want:
        st.query_params.from_dict(want)


def warn(msg: str) -> None:
    st.session_state.setdefault("_messages", []).append(("warning", msg))


def clear_filters() -> None:
    for name in FACETS:
        st.session_state[f"f_{name}"] = None
    st.session_state["f_reprints"] = False
    st.session_state["open_claim"] = None


def on_city_change() -> None:
    st.session_state["f_county"] = None


# ---- sidebar filters ---------------------------------------------------------------------------
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
    return f"{label}（{int(row['n']):,}）"


def current_filters() -> Filters:
    return Filters(**{n: st.session_state.get(f"f_{n}") or None for n in FACETS},
                   reprints=bool(st.session_state.get("f_reprints")))


def validate_url_filters(view, lang: str) -> None:
    """Move URL filter values into widget state, warning about values the table does not have."""
    ss = st.session_state
    url = ss.pop("_url_pending", None)
    if url is None:
        return
    for name in FACETS:
        value = url.get(name)
        if not value:
            continue
        if view.exists(name, value):
            ss[f"f_{name}"] = value
        else:
            warn(t("unknown_value", lang, field=t(name, lang), value=value))
    reprints = url.get("reprints")
    if reprints:
        if reprints.lower() in TRUE_VALUES + ("0", "false", "no", "off"):
            ss["f_reprints"] = reprints.lower() in TRUE_VALUES
        else:
            warn(t("unknown_value", lang, field="reprints", value=reprints))
    city, county = ss.get("f_city"), ss.get("f_county")
    if city and county and county != CITY_LEVEL and not view.exists_pair(city, county):
        warn(t("county_not_in_city", lang, value=county))
        ss["f_county"] = None


def sidebar_filters(view, key: tuple, lang: str) -> Filters:
    """The six filters, each with counts under the other filters, and the reprints switch.

    A facet's options depend only on the other filters (data.facet_key), and are cached on
    those: changing one filter recomputes the other facets, not its own."""
    ss = st.session_state
    st.sidebar.header(t("filters", lang))
    f = current_filters()
    for name in FACETS:
        opts = query(view, key, "facet_rows", name, facet_key(name, f))
        narrowed = bool(f.city)
        rows = {r["value"]: r for r in opts}
        cur = ss.get(f"f_{name}")
        total = sum(int(r["n"]) for r in opts) if name != "theme" else None
        if cur and cur not in rows:
            rows[cur] = {"value": cur, "name": cur, "parent": "", "n": 0}
        labels = {v: facet_label(name, r, lang, narrowed) for v, r in rows.items()}
        st.sidebar.selectbox(t(name, lang), list(rows), key=f"f_{name}", index=None,
                             placeholder=t("all", lang) + (f"（{total:,}）" if total is not None else ""),
                             format_func=lambda v, lb=labels: lb.get(v, str(v)),
                             on_change=on_city_change if name == "city" else None)
        f = current_filters()
    # Reprinted paragraphs (duplicate_of set) are hidden from every count, sum, chart and the
    # map unless this is on; the value is read through current_filters() above.
    st.sidebar.toggle(t("include_reprints", lang), key="f_reprints", help=t("include_reprints_help", lang))
    n = summary_of(view, key, f)["reprints"]
    st.sidebar.caption(t("reprints_shown" if f.reprints else "reprints_hidden", lang, n=f"{n:,}"))
    st.sidebar.button(t("reset", lang), on_click=clear_filters, width="stretch")
    return f


# ---- sections ----------------------------------------------------------------------------------
def measure_controls(view, key: tuple, f: Filters, lang: str) -> tuple[Measure, str]:
    """Count or sum-of-one-unit; default unit is the most common under the filters."""
    ss = st.session_state
    units = data.unit_counts(overview(view, key, f), f.reprints)
    unit_list = list(units["unit"])
    url_unit = ss.pop("_url_unit", None)
    if url_unit:
        if url_unit in unit_list:
            ss["measure_kind"], ss["unit"] = "sum", url_unit
        else:
            warn(t("unknown_value", lang, field=t("unit", lang), value=url_unit))
    c1, c2, c3 = st.columns([2, 2, 2])
    kind = c1.radio(t("measure", lang), ["count", "sum"], key="measure_kind", horizontal=True,
                    format_func=lambda k: t("measure_count" if k == "count" else "measure_sum", lang))
    level = c3.radio(t("level", lang), LEVELS, key="level", horizontal=True,
                     format_func=lambda k: t(f"level_{k}", lang))
    if kind == "sum":
        if not unit_list:
            c2.info(t("no_units", lang))
            return Measure(), level
        if ss.get("unit") not in unit_list:
            ss["unit"] = unit_list[0]
        counts = dict(zip(units["unit"], units["n"]))
        unit = c2.selectbox(t("unit", lang), unit_list, key="unit",
                            format_func=lambda u: f"{u}（{counts.get(u, 0):,}）")
        c2.caption(t("unit_note", lang, unit=unit))
        return Measure(unit), level
    return Measure(), level


def measure_label(m: Measure, lang: str) -> str:
    return f"{t('sum', lang)}（{m.unit}）" if m.is_sum else t("claims", lang)


def open_from_chart() -> None:
    event = st.session_state.get("compare_chart")
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for p in points:
        cid = (p.get("customdata") or [None])[0]
        if cid:
            st.session_state["open_claim"] = cid
            return


def open_from_table() -> None:
    event = st.session_state.get("table_sel")
    rows = (event or {}).get("selection", {}).get("rows", []) if event else []
    ids = st.session_state.get("_page_ids", [])
    if rows and rows[0] < len(ids):
        st.session_state["open_claim"] = ids[rows[0]]


def open_from_map() -> None:
    event = st.session_state.get("map_chart")
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if not points:
        return
    code = str(points[0].get("location") or "")
    if st.session_state.get("level") == "county" and not code.endswith("00"):
        st.session_state["f_city"], st.session_state["f_county"] = code[:4] + "00", code
    elif code:
        st.session_state["f_city"], st.session_state["f_county"] = code, None


def charts_tab(view, key, f: Filters, m: Measure, level: str, lang: str) -> None:
    label = measure_label(m, lang)
    lvl = "county" if (f.city and f.city != REGION) else level
    # One cached aggregate per filter state feeds the region, theme and region x theme charts
    # (and the map and the unit list); only those few-thousand-row frames reach pandas/Plotly.
    groups = overview(view, key, f)
    c1, c2 = st.columns(2)
    with c1:
        st.subheader(t("chart_region", lang))
        st.plotly_chart(charts.region_bar(data.region_measure(groups, m, lvl, f.reprints), lvl, label, lang),
                        key="region_chart")
    with c2:
        st.subheader(t("chart_theme", lang))
        st.plotly_chart(charts.theme_bar(data.theme_measure(groups, m, f.reprints), label, lang), key="theme_chart")
        st.caption(t("chart_theme_note", lang))
    st.subheader(t("chart_heatmap", lang))
    st.plotly_chart(charts.heatmap(data.region_theme_measure(groups, m, lvl, f.reprints), label, lang), key="heatmap")
    st.subheader(t("chart_compare", lang))
    pairs = query(view, key, "indicator_units", f.without("indicator"))
    if f.indicator:
        pairs = pairs[pairs["indicator"] == f.indicator]
    if m.is_sum:
        pairs = pairs[pairs["unit"] == m.unit] if (pairs["unit"] == m.unit).any() else pairs
    if pairs.empty:
        st.info(t("empty_filtered", lang))
        return
    choices = [f"{i}\u0001{u}" for i, u in zip(pairs["indicator"], pairs["unit"])]
    if st.session_state.get("compare_pick") not in choices:
        st.session_state["compare_pick"] = choices[0]
    info = {c: (r.n, r.regions) for c, r in zip(choices, pairs.itertuples())}
    pick = st.selectbox(t("compare_pick", lang), choices, key="compare_pick",
                        format_func=lambda c: f"{c.split(chr(1))[0]}（{c.split(chr(1))[1]}）· "
                                              f"{info[c][0]} / {info[c][1]} {t('regions', lang)}")
    indicator, unit = pick.split("\u0001")
    points = query(view, key, "indicator_points", f, indicator, unit)
    st.plotly_chart(charts.compare(points, indicator, unit, lang), key="compare_chart",
                    on_select=open_from_chart, selection_mode="points")
    st.caption(t("compare_note", lang))


def map_tab(view, key, f: Filters, m: Measure, level: str, lang: str) -> None:
    frame = data.region_measure(overview(view, key, f), m, level, f.reprints)
    code = frame["code"].fillna("")
    city_level = code.isin(charts.shape_codes("city")) & (level == "county")
    outside = (code != "") & ~code.str.startswith(geo.PROVINCE_CODE[:2])
    missing = (code != "") & ~code.isin(charts.shape_codes(level)) & ~city_level & ~outside
    st.plotly_chart(charts.region_map(frame, level, measure_label(m, lang), lang), key="map_chart",
                    on_select=open_from_map, selection_mode="points", config={"scrollZoom": True})
    notes = [("map_city_level", city_level), ("map_outside", outside), ("map_missing", missing),
             ("map_region_wide", code == "")]
    for label, mask in notes:
        if mask.any():
            st.caption(t(label, lang, n=int(frame.loc[mask, "n"].sum())))


def display_frame(page: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The page's rows as shown: translated themes, city-level claims labelled."""
    out = page[["value", "unit", "indicator", "sentence", "city", "county", "themes", "qualifier",
                "number_text", "doc", "claim_id"]].copy()
    city_level = (page["county_code"].fillna("") == "") & (page["city_code"].fillna("") != "")
    out["county"] = out["county"].where(~city_level, t("city_level", lang))
    out["city"] = out["city"].where(page["city_code"].fillna("") != "", t("region_level", lang))
    out["themes"] = out["themes"].fillna("").map(
        lambda s: "、".join(theme_label(k, lang) for k in s.split(";") if k))
    out["qualifier"] = out["qualifier"].map(lambda q: qualifier_label(q, lang))
    return out.rename(columns={c: column_label(c, lang) for c in out.columns})


def table_tab(view, key, store_for_export, f: Filters, total: int, lang: str) -> None:
    ss = st.session_state
    c1, c2 = st.columns([3, 1])
    sort = c1.selectbox(t("sort_by", lang), SORTABLE, key="sort", format_func=lambda c: column_label(c, lang))
    desc = c2.toggle(t("descending", lang), value=True, key="desc")
    pages = max(1, -(-total // PAGE_SIZE))
    if ss.get("_page_sig") != (f, sort, desc):
        ss["_page_sig"] = (f, sort, desc)
        ss["page"] = 1
    if ss.get("page", 1) > pages:
        ss["page"] = 1
    page_no = ss.get("page", 1)
    page = query(view, key, "page", f, page_no, PAGE_SIZE, sort, desc)
    ss["_page_ids"] = list(page["claim_id"])
    st.caption(t("select_hint", lang))
    st.dataframe(display_frame(page, lang), key="table_sel", on_select=open_from_table,
                 selection_mode="single-row", hide_index=True, width="stretch", height=420,
                 column_config={column_label("sentence", lang): st.column_config.TextColumn(width="large")})
    if pages > 1:
        st.pagination(pages, key="page")
    st.caption(t("page_info", lang, page=page_no, pages=pages, size=PAGE_SIZE, total=f"{total:,}"))
    download_view.downloads(lambda: exports.sorted_batches(store_for_export(), f, sort, desc), f, page,
                            sort, desc, total, lang, source=Path(parse_args(sys.argv[1:]).table).name)


def article_panel(view, key, docs: tuple[str, ...], lang: str) -> None:
    """The article of the opened claim, escaped, with every claim of that article highlighted."""
    ss = st.session_state
    cid = ss.get("open_claim")
    if not cid:
        return
    claim = view.claim(cid)
    if claim is None:
        warn(t("unknown_claim", lang, value=cid))
        ss["open_claim"] = None
        return
    st.divider()
    head, close = st.columns([5, 1])
    with head:
        safe.heading(f"{t('article', lang)} · {claim['doc']}")
    close.button(t("close_article", lang), on_click=lambda: ss.update(open_claim=None), key="close_article")
    text = ss["upload_texts"].get(claim["doc"]) or load_text(claim["doc"], docs)
    if text is None:
        st.warning(t("article_missing", lang, doc=claim["doc"], dirs=", ".join(docs)))
        st.text(claim.get("sentence") or "")
        return
    rows = view.doc_claims(claim["doc"])
    spans = [(int(r.start), int(r.end), r.claim_id, f"{r.indicator} {r.value:g}{r.unit}")
             for r in rows.itertuples()]
    st.caption(t("article_claims", lang, n=len(spans)))
    # The selected claim first, as plain text (no markdown), then the whole article.
    st.text(f"▶ {claim['indicator']}：{claim['number_text']}{claim['unit']} —— {claim['sentence']}")
    st.html(highlight_html(text, spans, cid))


def show_messages() -> None:
    safe.alerts(st.session_state.pop("_messages", []))   # URL values inside: shown as text


# ---- main --------------------------------------------------------------------------------------
def main() -> None:
    st.set_page_config(page_title="内蒙古基层治理量化指标", page_icon="📊", layout="wide")
    # Exports go through our download buttons only (formula-safe); no "Deploy" button for viewers.
    st.set_option("client.disableDataExport", True)
    st.set_option("client.toolbarMode", "minimal")   # also in .streamlit/config.toml and `indicators dashboard`
    args = parse_args(sys.argv[1:])
    init_state()
    ss = st.session_state
    ss["_run_memo"] = {}   # see query()
    if "_url_pending" not in ss and "_url_done" not in ss:
        ss["_url_pending"], ss["_url_done"] = ss["_url_in"], True
        if ss["_url_in"].get("unit"):
            ss["_url_unit"] = ss["_url_in"]["unit"]
        if ss["_url_in"].get("level") in LEVELS:
            ss["level"] = ss["_url_in"]["level"]
        elif ss["_url_in"].get("level"):
            warn(t("unknown_value", "zh", field="level", value=ss["_url_in"]["level"]))
        if ss["_url_in"].get("claim"):
            ss["open_claim"] = ss["_url_in"]["claim"]

    lang = st.sidebar.segmented_control(t("language", "zh"), LANGS, key="lang", required=True,
                                        format_func=lambda k: "中文" if k == "zh" else "English")
    lang = lang or "zh"
    st.title(t("title", lang))
    st.caption(t("caption", lang))
    message_box = st.container()

    table_path = Path(args.table)
    store, table_problem = None, None
    try:
        if not table_path.exists():
            raise TableError("missing", str(table_path))
        store = open_store(str(table_path.resolve()), table_path.stat().st_mtime)
    except TableError as exc:
        table_problem = exc
    if store is None:
        store = open_store_empty()
    upload_view.collect()             # finished uploads join the session's table before any query
    uploads = ss.get("uploads")
    view = store.view(uploads)
    # Query cache key: the table file's version, plus this session's uploads (never shared).
    key = (str(table_path), table_path.stat().st_mtime if table_problem is None else 0,
           None if uploads is None else (ss.setdefault("session_token", uuid.uuid4().hex),
                                         ss.get("uploads_version", 0)))

    validate_url_filters(view, lang)
    f = sidebar_filters(view, key, lang)
    upload_status = st.sidebar.container()   # filled after the upload tab took in new files
    total_all = query(view, key, "count", Filters())

    if table_problem is not None:
        if table_problem.kind == "missing":
            st.error(t("missing_table", lang, path=table_problem.path))
        else:
            st.error(t("bad_table", lang, path=table_problem.path, err=table_problem.detail))
    elif total_all == 0:
        st.info(t("empty_table", lang, path=str(table_path)))

    summary = summary_of(view, key, f)
    if total_all:
        cols = st.columns(4)
        for col, name in zip(cols, ("claims", "docs", "regions", "units")):
            col.metric(t(name, lang), f"{summary[name]:,}")
    measure, level = measure_controls(view, key, f, lang) if total_all else (Measure(), "city")

    tab_names = ["tab_overview", "tab_map", "tab_table", "tab_upload"]
    # on_change="rerun": only the open tab's code runs (tab.open), so a rerun does a third of the work.
    tabs = st.tabs([t(n, lang) for n in tab_names], key="tab", on_change="rerun")
    if total_all and summary["claims"] == 0:
        st.warning(t("empty_filtered", lang))
    elif total_all:
        if tabs[0].open:
            with tabs[0]:
                charts_tab(view, key, f, measure, level, lang)
        if tabs[1].open:
            with tabs[1]:
                map_tab(view, key, f, measure, level, lang)
        if tabs[2].open:
            with tabs[2]:
                table_tab(view, key, lambda: store.view(uploads), f,
                          summary["claims"], lang)
    with tabs[3]:                     # on every run: a file added just before a tab click is taken in
        upload_view.upload_tab(lang)
    with upload_status:
        upload_view.status(lang)
    if total_all:
        article_panel(view, key, tuple(args.docs), lang)
    with message_box:
        show_messages()
    sync_url({**f.as_dict(), "reprints": "1" if f.reprints else None, "lang": lang if lang != "zh" else None,
              "unit": measure.unit, "level": level if level != "city" else None,
              "claim": ss.get("open_claim")})


@st.cache_resource(show_spinner=False)
def open_store_empty() -> Store:
    return Store(None)
