"""The dashboard in a real headless Chromium: filters, charts, the offline map, a download,
clicks on a chart point and a map region, no request leaving the machine, and ten
concurrent visitors.

Needs /usr/bin/chromium and the playwright package; skipped with a reason otherwise.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
TITLE = re.compile("基层治理量化指标")


def external(urls: list[str]) -> list[str]:
    return [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).hostname not in LOCAL]


def test_filter_charts_map_download_offline(server, browser, tmp_path):
    url, _, frame = server
    ctx = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    page.goto(url)
    page.get_by_role("heading", name=TITLE).wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)

    # change a filter: 盟市 = 赤峰市; the URL follows and the count narrows
    page.locator('[data-testid="stSelectbox"]').filter(has_text="盟市").first.click()
    page.get_by_role("option", name=re.compile("^赤峰市")).click()
    page.wait_for_url(re.compile(r"city=150400"), timeout=30_000)
    n = int((frame.city_code == "150400").sum())
    page.locator('[data-testid="stMetricValue"]').filter(has_text=re.compile(f"^{n}$")).first.wait_for(timeout=30_000)
    assert page.locator(".js-plotly-plot").count() >= 3

    # the map: MapLibre draws into a canvas inside the Plotly chart
    page.get_by_role("tab", name="地图").click()
    page.locator(".js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    shot = tmp_path / "dashboard-map.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    # the table and a CSV download (UTF-8 with BOM)
    page.get_by_role("tab", name="数据表").click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as dl:
        page.locator(".st-key-dl_csv button").click()
    data = Path(dl.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") >= n
    page.screenshot(path=str(tmp_path / "dashboard-table.png"), full_page=True)
    # open an article: select the first row; the article text appears with claims marked
    page.locator(".stDataFrameGlideDataEditor").first.click(position={"x": 18, "y": 52})
    page.get_by_role("heading", name=re.compile("^原文 · ")).first.wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "dashboard-article.png"), full_page=True)
    print("screenshots:", sorted(str(p) for p in tmp_path.glob("*.png")))

    assert not external(requests), external(requests)
    ctx.close()


def test_chart_point_and_map_region_clicks(server, browser):
    """A click on a point of the comparison chart opens that claim's article; a click on a
    region of the map filters the dashboard to that 盟市."""
    url, _, frame = server
    ctx = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = ctx.new_page()
    page.goto(url)
    page.get_by_role("heading", name=TITLE).wait_for(timeout=60_000)

    points = page.locator(".st-key-compare_chart .scatterlayer .point")
    points.first.wait_for(timeout=60_000)
    points.first.scroll_into_view_if_needed()
    points.first.click(force=True)           # plotly's hover layer lies above the marker
    page.wait_for_url(re.compile(r"claim=[0-9a-f]{16}"), timeout=30_000)
    claim = re.search(r"claim=([0-9a-f]{16})", page.url).group(1)
    assert claim in set(frame.claim_id)
    row = frame[frame.claim_id == claim].iloc[0]
    assert row["doc"] in page.locator("h3").filter(has_text=row["doc"]).first.inner_text()

    page.get_by_role("tab", name="地图").click()
    canvas = page.locator(".st-key-map_chart .maplibregl-canvas").first
    canvas.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)                 # let MapLibre draw the shapes before clicking
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    page.wait_for_url(re.compile(r"city=15\d{2}00"), timeout=30_000)
    city = re.search(r"city=(15\d{2}00)", page.url).group(1)
    n = int((frame.city_code == city).sum())
    assert n > 0
    page.locator('[data-testid="stMetricValue"]').first.filter(
        has_text=re.compile(f"^{n}$")).wait_for(timeout=30_000)
    ctx.close()


VISITORS = 3


def test_concurrent_visitors(server, browser):
    """Sessions opened at once each get the whole page with the right count. Three are enough to
    overlap their runs on a 2-core machine; ten, and how long they take, are a benchmark figure
    (benchmarks/dashboard_bench.py --sessions 10), not a test."""
    url, _, frame = server
    start = time.time()
    contexts = [browser.new_context() for _ in range(VISITORS)]
    pages = []
    for ctx in contexts:
        page = ctx.new_page()
        page.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda r: r.abort())
        page.goto(url, wait_until="commit")
        pages.append(page)
    want = f"{int((frame.duplicate_of == '').sum()):,}"
    for page in pages:
        page.get_by_role("heading", name=TITLE).wait_for(timeout=300_000)
        page.locator('[data-testid="stMetricValue"]').filter(has_text=re.compile(f"^{want}$")).first.wait_for(
            timeout=300_000)
    elapsed = time.time() - start
    for ctx in contexts:
        ctx.close()
    print(f"{VISITORS} concurrent contexts saw the title and the count in {elapsed:.1f} s")
