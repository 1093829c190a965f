"""Chains of real clicks in headless Chromium (issue 11): after every step the filters in the
URL are the codes chosen (never an option's label) and the visible counts equal a DuckDB
query of the same filters over the same table file.

Needs /usr/bin/chromium and the playwright package; skipped with a reason otherwise.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pandas as pd
import pytest

pytestmark = pytest.mark.browser

FILTER_KEYS = ("province", "city", "county", "theme", "indicator", "doc", "qualifier", "scope", "q",
               "from", "to", "year")
from .conftest import EMPTY_COUNTY  # noqa: E402  (the server's table leaves this banner out)


@pytest.fixture
def page(server, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1800})
    pg = ctx.new_page()
    pg.goto(server[0])
    pg.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60_000)
    yield pg
    ctx.close()


# ---- what the page shows, and what DuckDB says it should ----------------------------------
def duck_count(table: Path, f: dict[str, str]) -> int:
    """Claims under the filters f (URL codes), reprints left out, straight from the table file."""
    where, params = ["coalesce(duplicate_of, '') = ''"], []
    for key, value in f.items():
        if key == "city":
            where.append("city_code = ?")
        elif key == "county":
            where.append("county_code = ?")
            value = "" if value == "_city" else value
        elif key == "theme":
            where.append("list_contains(string_split(themes, ';'), ?)")
        elif key in ("indicator", "doc", "qualifier", "scope"):
            where.append(f"{key} = ?")
        elif key == "year":
            where.append("substr(coalesce(nullif(period_start, ''), published), 1, 4) = ?")
        elif key == "from":
            where.append("published >= ?")
        elif key == "to":
            where.append("published <= ?")
        else:
            raise AssertionError(f"no DuckDB rule for {key}")
        params.append(value)
    sql = f"SELECT count(*) FROM read_parquet(?) WHERE {' AND '.join(where)}"
    return duckdb.connect().execute(sql, [str(table), *params]).fetchone()[0]


def url_params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def claims_metric(page) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_text(re.compile(r"^(声明数|Claims)$"))).locator('[data-testid="stMetricValue"]')
    return metric.first.inner_text(timeout=10_000) if metric.count() else ""


def settle(page, timeout: float = 30.0) -> tuple[dict, str]:
    """Wait until the URL and the claims metric stop changing (the rerun has finished)."""
    page.wait_for_timeout(250)
    last, same, deadline = None, 0, time.time() + timeout
    while time.time() < deadline:
        now = (page.url, claims_metric(page))
        same = same + 1 if now == last else 0
        if same >= 3:
            break
        last = now
        page.wait_for_timeout(200)
    return url_params(page), claims_metric(page)


def check(page, table: Path, want: dict[str, str], step: str) -> dict[str, str]:
    """The URL's filters are exactly `want` (codes), and the metric equals DuckDB's count."""
    params, shown = settle(page)
    got = {k: v for k, v in params.items() if k in FILTER_KEYS}
    assert got == want, f"after {step}: URL filters {got}, expected {want} (URL {page.url})"
    expected = duck_count(table, want)
    assert shown.replace(",", "") == str(expected), f"after {step}: 声明数 shows {shown!r}, DuckDB counts {expected}"
    assert not any("（" in v for v in params.values()), f"after {step}: an option label in the URL: {params}"
    return params


# ---- interactions ----------------------------------------------------------------------------
def pick(page, label: str, option: str) -> None:
    """Choose the option whose text starts with `option` in the sidebar selectbox `label`."""
    settle(page)                     # the previous step's rerun re-creates the widgets it changed
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has=page.get_by_text(label, exact=True))
    box.first.click()
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).first.click()


def radio(page, label: str, option: str) -> None:
    group = page.locator('[data-testid="stRadio"]').filter(has=page.get_by_text(label, exact=True))
    group.locator('[data-testid="stRadioOption"]').filter(has_text=re.compile("^" + re.escape(option))).first.click()


def radio_selected(page, label: str) -> str:
    group = page.locator('[data-testid="stRadio"]').filter(has=page.get_by_text(label, exact=True))
    chosen = group.locator('[data-testid="stRadioOption"][data-selected="true"]')
    return chosen.first.inner_text() if chosen.count() else ""


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def open_tab(page) -> str:
    return page.locator('[role="tab"][aria-selected="true"]').first.inner_text()


def top(frame: pd.DataFrame, column: str) -> str:
    return frame[column][frame[column] != ""].value_counts().index[0]


def theme_of(frame: pd.DataFrame) -> str:
    return frame.themes.str.split(";").explode().loc[lambda s: s != ""].value_counts().index[0]


THEME_ZH = {"party_org": "党组织与党员", "grid": "网格化治理", "facility": "服务阵地", "service": "为民服务",
            "governance": "议事与矛盾化解", "new_employment": "新就业群体", "economy": "产业与增收",
            "ecology": "生态环境"}
QUALIFIER_ZH = {"exact": "确数", "more_than": "以上/余", "approx": "约数"}


# ---- the three filter chains of issue 11, each followed by tab switches --------------------
def with_theme(rows, theme: str):
    """The rows with `theme` among their themes (the 主题 filter's meaning)."""
    return rows[rows.themes.str.split(";").map(lambda ts: theme in ts)]


def each_tab(page, table, want: dict, names: tuple[str, ...]) -> None:
    """Open each tab in turn; after each, the visible counts still follow the same filters."""
    for name in names:
        tab(page, name)
        check(page, table, want, f"{name} tab")


def test_city_theme_then_map_tab_measure_and_another_filter(server, page):
    _, table, frame = server
    city = frame[frame.city_code == "150400"]
    theme = theme_of(city)
    pick(page, "盟市", "赤峰市")
    check(page, table, {"city": "150400"}, "盟市")
    pick(page, "主题", THEME_ZH[theme])
    want = {"city": "150400", "theme": theme}
    check(page, table, want, "主题")
    tab(page, "地图")
    check(page, table, want, "地图 tab")
    radio(page, "度量", "数值合计")
    check(page, table, want, "度量 radio")
    rows = with_theme(city, theme)
    qualifier = top(rows, "qualifier")
    pick(page, "限定", QUALIFIER_ZH[qualifier])
    want = {**want, "qualifier": qualifier}
    check(page, table, want, "限定 after the radio")
    each_tab(page, table, want, ("数据表", "概览图表", "地图"))


def test_city_theme_qualifier_then_tabs(server, page):
    _, table, frame = server
    city = frame[frame.city_code == "150400"]
    theme = theme_of(city)
    rows = with_theme(city, theme)
    qualifier = top(rows, "qualifier")
    pick(page, "盟市", "赤峰市")
    pick(page, "主题", THEME_ZH[theme])
    check(page, table, {"city": "150400", "theme": theme}, "盟市 → 主题")
    pick(page, "限定", QUALIFIER_ZH[qualifier])
    want = {"city": "150400", "theme": theme, "qualifier": qualifier}
    check(page, table, want, "限定")
    each_tab(page, table, want, ("地图", "数据表", "概览图表"))


def test_city_county_theme_indicator_then_tabs(server, page):
    _, table, frame = server
    city = frame[(frame.city_code == "150400") & (frame.county_code != "")]
    county_code = top(city, "county_code")
    county = city.loc[city.county_code == county_code, "county"].iloc[0]
    rows = city[city.county_code == county_code]
    theme = theme_of(rows)
    rows = with_theme(rows, theme)
    indicator = top(rows, "indicator")
    pick(page, "盟市", "赤峰市")
    pick(page, "旗县区", county)
    check(page, table, {"city": "150400", "county": county_code}, "盟市 → 旗县区")
    pick(page, "主题", THEME_ZH[theme])
    want = {"city": "150400", "county": county_code, "theme": theme}
    check(page, table, want, "主题 (旗县区 kept)")
    pick(page, "指标", indicator)
    want = {**want, "indicator": indicator}
    check(page, table, want, "指标 (旗县区 kept)")
    each_tab(page, table, want, ("地图", "数据表", "概览图表"))


# ---- map, chart and language ------------------------------------------------------------------
def map_point(page, lon: float, lat: float) -> dict:
    """Pixel position of (lon, lat) inside the map chart's canvas, from MapLibre itself."""
    return page.locator(".st-key-map_chart .js-plotly-plot").first.evaluate(
        "(gd, ll) => { const m = gd._fullLayout.map._subplot.map; const p = m.project(ll);"
        " return {x: p.x, y: p.y}; }", [lon, lat])


def test_map_click_on_region_without_claims(server, page):
    from shapely.geometry import shape
    from dashboard.geo import load_shapes
    _, table, frame = server
    feature = next(f for f in load_shapes("county")["features"] if f["id"] == EMPTY_COUNTY)
    point = shape(feature["geometry"]).representative_point()
    tab(page, "地图")
    radio(page, "地区层级", "旗县区")
    check(page, table, {}, "旗县区 level")
    canvas = page.locator(".st-key-map_chart .maplibregl-canvas").first
    canvas.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)                      # MapLibre draws the shapes
    xy = map_point(page, point.x, point.y)
    canvas.click(position=xy)
    params = check(page, table, {}, f"a click on {feature['properties']['name']} (no claims)")
    assert "county" not in params and "city" not in params
    page.get_by_text(re.compile(re.escape(feature["properties"]["name"]) + ".*没有")).first.wait_for(timeout=10_000)
    assert page.locator(".st-key-map_chart .maplibregl-canvas").count() == 1   # the map is still there
    assert open_tab(page) == "地图"


def test_chart_clicks_open_claim_and_filter_region(server, page):
    _, table, frame = server
    pick(page, "盟市", "赤峰市")
    check(page, table, {"city": "150400"}, "盟市")
    points = page.locator(".st-key-compare_chart .scatterlayer .point")
    points.first.wait_for(timeout=60_000)
    points.first.scroll_into_view_if_needed()
    points.first.click(force=True)
    page.wait_for_url(re.compile(r"claim=[0-9a-f]{16}"), timeout=30_000)
    params = check(page, table, {"city": "150400"}, "a click on a comparison point")
    row = frame[frame.claim_id == params["claim"]].iloc[0]
    assert row.city_code == "150400"
    page.get_by_role("heading", name=re.compile(re.escape(row.doc))).first.wait_for(timeout=30_000)
    # a bar of the region chart filters to that region (here a 旗县区 of 赤峰市)
    bars = page.locator(".st-key-region_chart .barlayer .point path")
    bars.first.wait_for(timeout=30_000)
    bars.first.scroll_into_view_if_needed()
    bars.first.click(force=True)
    params, _ = settle(page)
    assert "county" in params, f"a bar click set no region filter: {page.url}"
    check(page, table, {"city": "150400", "county": params["county"]}, "a click on a region bar")


def test_language_switch_keeps_measure_level_and_tab(server, page):
    _, table, frame = server
    pick(page, "盟市", "赤峰市")
    radio(page, "度量", "数值合计")
    radio(page, "地区层级", "旗县区")
    tab(page, "地图")
    # the three clicks rerun the page one after another: on a loaded machine the URL can stand
    # still for longer than settle() waits between two of them, so wait for all three in the URL
    page.wait_for_url(lambda url: all(f"{key}=" in url for key in ("measure", "level", "tab")), timeout=60_000)
    before = check(page, table, {"city": "150400"}, "度量 + 地区层级 + 地图")
    assert before.get("tab") == "map" and "measure" in before and "level" in before, before
    page.locator('[data-testid="stSidebar"] button').filter(has_text="English").first.click()
    page.get_by_role("heading", name=re.compile("^(Inner Mongolia|Grassroots)")).wait_for(timeout=30_000)
    after = check(page, table, {"city": "150400"}, "English")
    assert after.get("lang") == "en"
    assert radio_selected(page, "Measure").startswith("Sum"), radio_selected(page, "Measure")
    assert radio_selected(page, "Region level").startswith("Banners"), radio_selected(page, "Region level")
    assert open_tab(page) == "Map"
    assert {k: v for k, v in after.items() if k != "lang"} == {k: v for k, v in before.items() if k != "lang"}
    tab(page, "Table")
    check(page, table, {"city": "150400"}, "Table tab in English")
    assert open_tab(page) == "Table"


def test_time_and_scope_filters(server, page):
    """Issue 13: the year filter, then the scope filter, then a tab switch; counts from DuckDB."""
    _, table, frame = server
    year = frame.period_start.where(frame.period_start != "", frame.published).str[:4]
    top_year = year.value_counts().index[0]
    pick(page, "年份（时期，否则发布日期）", top_year)
    check(page, table, {"year": top_year}, "年份")
    pick(page, "地点范围", "旗县区")
    check(page, table, {"year": top_year, "scope": "county"}, "地点范围")
    tab(page, "数据表")
    check(page, table, {"year": top_year, "scope": "county"}, "数据表 tab")
    page.get_by_text("出处").first.wait_for(timeout=30_000)       # the citation column is shown


def test_table_search_count_not_in_english(server, page):
    """The table's own search (its toolbar magnifier) shows no English "N results" in the
    Chinese page; the matches are still found (the search input keeps the term)."""
    _, table, frame = server
    tab(page, "数据表")
    check(page, table, {}, "数据表 tab")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    grid.hover()
    page.locator('[data-testid="stElementToolbar"] button[aria-label="Search"]').first.click()
    term = frame.city.dropna().iloc[0]
    box = page.locator('[data-testid="search-input"]').first
    box.fill(term)
    page.wait_for_timeout(1500)
    status = page.locator(".gdg-search-status").first
    status.wait_for(state="attached", timeout=10_000)
    assert re.search(r"\d+ results?|over 1000", status.text_content() or ""), status.text_content()
    assert not status.is_visible()                         # Streamlit's English count, hidden
    assert not re.search(r"\d+ results?\b|over 1000", page.locator("body").inner_text())
    assert box.input_value() == term
