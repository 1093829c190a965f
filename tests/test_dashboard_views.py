"""The dashboard's state, sums, comparisons and the contract's new columns (scope, time,
citation), through the data layer and AppTest, on fixture tables that carry those columns.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import read_cases
from dashboard import aggregates, charts, state
from dashboard.aggregates import Measure, additive
from dashboard.queries import Filters, Pick
from dashboard.store import ALL_COLUMNS, Store, cache_target, clean_leftovers
from fixtures.tables import FRESH, add_contract_columns, gold_table, synthetic_table

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """Fresh gold claims plus synthetic rows (with percentages, rates and counts), no new columns."""
    frame = pd.concat([gold_table(), synthetic_table(800, seed=11)], ignore_index=True)
    path = tmp_path_factory.mktemp("plain") / "claims.parquet"
    frame.to_parquet(path, index=False)
    return path, frame


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """The same rows with the contract's columns filled (scope, measure, outlet, dates, period, kind)."""
    frame = add_contract_columns(pd.concat([gold_table(), synthetic_table(800, seed=11)], ignore_index=True))
    path = tmp_path_factory.mktemp("rich") / "claims.parquet"
    frame.to_parquet(path, index=False)
    return path, frame


def run_app(monkeypatch, path: Path, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("INDICATORS_TABLE", str(path))
    monkeypatch.setenv("INDICATORS_DOCS", str(FRESH / "docs"))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def metric(at: AppTest, label: str = "声明数") -> int:
    return int(next(m.value for m in at.metric if m.label == label).replace(",", ""))


def shown_warnings(at: AppTest) -> list[str]:
    """Streamlit's warnings and the page's own (dashboard.safe: messages with URL values, as text)."""
    return [w.value for w in at.warning] + [h.value for h in at.html if "safe-warning" in h.value]


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ---- additivity: a case per measure, and every pair of the fixture tables --------------------------
@pytest.mark.parametrize("key, unit, label, expect", read_cases("additivity.tsv"))
def test_additive(key, unit, label, expect):
    assert additive(key, unit, label) is (expect == "yes")


def measure_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    measure = frame["measure"] if "measure" in frame else pd.Series("", index=frame.index)
    keyed = ("m:" + measure).where(measure != "", "i:" + frame["indicator"])
    pairs = pd.DataFrame({"key": keyed, "unit": frame["unit"]})[frame.value.notna() & (frame.unit != "")]
    return sorted(set(map(tuple, pairs.to_numpy())))


FIGURE_COLUMNS = ("unit", "level", "value", "province_code", "city_code", "county_code", "town",
                  "period_start", "period_end", "period")


def first_reports(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per figure (measure or indicator, unit, level, value, place codes and town, period
    dates, else period text), an original before a reprint, then the smallest claim id: pandas'
    own reading of what dashboard.queries.FIGURE / FIRST_REPORT say."""
    r = rows.copy()
    for c in FIGURE_COLUMNS + ("measure", "duplicate_of"):
        if c not in r:
            r[c] = ""
        elif c != "value":
            r[c] = r[c].fillna("")
    r["_key"] = ("m:" + r["measure"]).where(r["measure"] != "", "i:" + r["indicator"])
    r["_period"] = r["period"].where((r["period_start"] == "") & (r["period_end"] == ""), "")
    r["_reprint"] = r["duplicate_of"] != ""
    r = r.sort_values(["_reprint", "claim_id"], kind="stable")
    keep = r.drop_duplicates(["_key", *[c for c in FIGURE_COLUMNS if c != "period"], "_period"])
    return rows.loc[keep.index]


@pytest.mark.parametrize("which", ["plain", "rich"])
def test_no_sum_adds_different_measures_or_percentages(which, request):
    """For every (measure, unit) of the table a sum is offered only when additive (never for a
    percentage or per-unit figure); for every canonical measure and three phrases of each unit
    it equals the sum of exactly that measure's rows in that unit, per region and per theme."""
    path, frame = request.getfixturevalue(which)
    view = Store(path).view()
    offered = aggregates.with_additivity(view.units(Filters()))
    offered_sum = set(map(tuple, offered.loc[offered.additive, ["key", "unit"]].to_numpy()))
    counted = frame[~frame.get("kind", pd.Series("", index=frame.index)).isin(["target", "forecast"])]
    per_unit: dict[str, int] = {}
    for key, unit in measure_pairs(frame):
        pick = Pick(key, unit)
        if "%" in unit or "％" in unit or "/" in unit:
            assert (key, unit) not in offered_sum, (key, unit)
            with pytest.raises(ValueError):
                Measure("sum", pick)
            continue
        if (key, unit) not in offered_sum:
            continue
        per_unit[unit] = per_unit.get(unit, 0) + 1
        if per_unit[unit] > 3 and not key.startswith("m:"):   # every measure; three phrases per unit
            continue
        col = "measure" if key.startswith("m:") else "indicator"
        rows = counted[(counted[col] == key[2:]) & (counted.unit == unit) & counted.value.notna()]
        if col == "indicator" and "measure" in rows:
            rows = rows[rows.measure == ""]
        rows = first_reports(rows)                        # a figure reported twice is added once
        rows = rows[rows.duplicate_of.fillna("") == ""]   # reprints hidden
        groups = view.groups(Filters(reprints=True), pick)
        got = aggregates.by_region(groups, Measure("sum", pick), "city").set_index("code")["measure"]
        assert got.sort_index().round(6).to_dict() == \
            rows.groupby("city_code")["value"].sum().sort_index().round(6).to_dict(), (key, unit)
        themes = aggregates.by_theme(groups, Measure("sum", pick)).set_index("theme")["measure"]
        want = rows.assign(t=rows.themes.str.split(";")).explode("t").groupby("t")["value"].sum()
        assert themes.sort_index().round(6).to_dict() == want[want.index != ""].sort_index().round(6).to_dict()


def test_percentages_show_max_or_latest_labelled(monkeypatch, plain):
    path, frame = plain
    at = run_app(monkeypatch, path, {"measure": "max", "value": "i:网格化覆盖率|%||"})
    ok(at)
    assert not shown_warnings(at)
    assert any("最大值" in c.value and "不是合计" in c.value for c in at.caption)
    rows = frame[(frame.indicator == "网格化覆盖率") & (frame.unit == "%")]
    view = Store(path).view()
    pick = Pick("i:网格化覆盖率", "%")
    got = aggregates.by_region(view.groups(Filters(reprints=True), pick), Measure("max", pick), "city")
    assert got.set_index("code")["measure"].sort_index().to_dict() == \
        rows.groupby("city_code")["value"].max().sort_index().to_dict()
    # a sum of a percentage is refused even when the URL asks for it
    at = run_app(monkeypatch, path, {"measure": "sum", "value": "i:网格化覆盖率|%||"})
    ok(at)
    assert shown_warnings(at)
    picker = next(s for s in at.selectbox if s.label == "可相加的指标（单位）")
    assert "%" not in picker.value


# ---- state and URL -----------------------------------------------------------------------------------
@pytest.mark.parametrize("s", [
    state.PageState(),
    state.PageState(filters=Filters(city="150400", theme="grid"), tab="map", measure="sum",
                    value="i:网格员|名||", level="county", lang="en"),
    state.PageState(filters=Filters(county="_city", city="150400", q="网格 50%", date_from="2021-01-01",
                                    year="2022", reprints=True), sort="published", desc=True, page=3,
                    compare="m:grid_workers|名|village|county", claim="00ab"),
])
def test_url_round_trip(s):
    params = state.to_params(s)
    back, bad = state.from_params(params)
    assert back == s and not bad
    assert not any("（" in v for v in params.values())


def test_state_keys_live_in_state_module():
    """No module of the page touches session state by a literal key except dashboard/state.py."""
    for path in (ROOT / "dashboard").glob("*.py"):
        if path.name in ("state.py", "cached.py", "uploads.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"session_state\[\s*[\"']", text), path.name
        assert "query_params" not in text, path.name


def test_filter_chain_keeps_codes(monkeypatch, plain):
    """盟市 → 主题 → 度量 → 限定 in AppTest: every step keeps codes and the right count."""
    path, frame = plain
    at = run_app(monkeypatch, path)
    steps = [("盟市", "150400"), ("主题", "grid")]
    for label, value in steps:
        next(s for s in at.selectbox if s.label == label).set_value(value).run()
        ok(at)
    next(r for r in at.radio if r.label == "度量").set_value("sum").run()
    next(s for s in at.selectbox if s.label == "限定").set_value("exact").run()
    ok(at)
    q = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert (q["city"], q["theme"], q["qualifier"], q["measure"]) == ("150400", "grid", "exact", "sum")
    rows = frame[(frame.city_code == "150400") & frame.themes.str.split(";").map(lambda t: "grid" in t)
                 & (frame.qualifier == "exact")]
    assert metric(at) == len(rows)


# ---- table: as written, search, sort, province, title ---------------------------------------------------
def test_table_shows_values_as_written_sorted_by_region(monkeypatch, plain):
    path, frame = plain
    at = run_app(monkeypatch, path, {"tab": "table"})
    ok(at)
    shown = at.dataframe[0].value
    assert {"原文数值", "限定", "指标"} <= set(shown.columns)
    gold = frame[frame.doc.str.startswith(("f", "g", "h"))]
    written = set(shown["原文数值"])
    for row in gold.head(40).itertuples():
        expect = row.sentence[row.start - row.sentence_start:row.end - row.sentence_start] \
            if row.sentence[row.start - row.sentence_start:].startswith(row.number_text) else row.number_text + row.unit
        if row.claim_id in set(shown.get("编号", [])):
            assert expect in written
    cities = [c for c in shown["盟市"]]
    assert cities == sorted(cities)            # default sort: region, then indicator


def test_search_covers_every_row(monkeypatch, plain):
    path, frame = plain
    at = run_app(monkeypatch, path)
    next(x for x in at.text_input if x.label == "搜索原句和指标").set_value("网格").run()
    ok(at)
    want = frame[(frame.sentence.str.contains("网格") | frame.indicator.str.contains("网格"))
                 & (frame.duplicate_of == "")]
    assert metric(at) == len(want) and at.query_params["q"] in ("网格", ["网格"])
    view = Store(path).view()
    assert view.count(Filters(q="100%")) == int(frame.sentence.str.contains("100%", regex=False).sum())
    assert view.count(Filters(q="_")) == int(frame.sentence.str.contains("_", regex=False).sum())


def test_province_filter_and_title(monkeypatch, plain):
    path, frame = plain
    at = run_app(monkeypatch, path, {"province": "150000"})
    ok(at)
    assert at.title[0].value == "内蒙古基层治理量化指标"
    assert metric(at) == int((frame.province_code == "150000").sum())
    other = frame.loc[frame.province_code != "150000", "province_code"].iloc[0]
    name = frame.loc[frame.province_code == other, "province"].iloc[0]
    at = run_app(monkeypatch, path, {"province": other})
    assert at.title[0].value == f"{name}基层治理量化指标"


# ---- compare: measure first, like with like; charts carry no sentences ------------------------------------
def test_compare_measures_first_like_with_like(rich):
    path, frame = rich
    view = Store(path).view()
    opts = view.compare_options(Filters())
    keys = list(opts["key"])
    first_phrase = next(i for i, k in enumerate(keys) if k.startswith("i:"))
    assert all(k.startswith("m:") for k in keys[:first_phrase]) and first_phrase > 0
    assert set(opts["geo"]) <= {"county", "city"}
    row = opts.iloc[0]
    pick = Pick(row.key, row.unit, row.level, row.geo)
    points = view.pick_points(Filters(), pick)
    src = frame[(frame.measure == row.key[2:]) & (frame.unit == row.unit) & (frame.level == row.level)
                & ~frame.kind.isin(["target", "forecast"]) & frame.value.notna()]
    src = src[(src.county_code != "") if row.geo == "county" else (src.county_code == "")]
    assert len(points) == len(src)
    fig = charts.compare(points, "t", row.unit, bool(additive(row.key, row.unit)), "zh")
    data = json.dumps(fig.to_plotly_json()["data"], ensure_ascii=False, default=str)
    assert not any(sentence in data for sentence in set(src.sentence))     # ids and short labels only


def test_map_colours_regions_without_claims_apart(plain):
    path, frame = plain
    view = Store(path).view()
    by = aggregates.by_region(view.groups(Filters(reprints=True)), Measure(), "county")
    by = by[~by.code.isin(["150121", "152524"])]              # two banners without claims
    fig = charts.region_map(by, "county", "n", "zh")
    zero, shown = fig.data[0], fig.data[1]
    assert zero.colorscale[0][1] == charts.ZERO_COLOUR and set(zero.z) == {0}
    assert set(zero.locations).isdisjoint(set(shown.locations))
    assert min(shown.z) >= 1


# ---- the contract's new columns --------------------------------------------------------------------------
def test_new_columns_hidden_while_absent(monkeypatch, plain):
    path, _ = plain
    at = run_app(monkeypatch, path, {"tab": "table"})
    ok(at)
    labels = {s.label for s in at.selectbox}
    assert "地点范围" not in labels and not at.date_input
    assert "出处" not in at.dataframe[0].value.columns


def test_scope_time_and_citation(monkeypatch, rich):
    path, frame = rich
    at = run_app(monkeypatch, path, {"tab": "table", "scope": "county", "year": "2022",
                                     "from": "2021-06-01", "to": "2023-12-31", "sort": "published"})
    ok(at)
    assert not shown_warnings(at)
    year = frame.period_start.where(frame.period_start != "", frame.published).str[:4]
    want = frame[(frame.scope == "county") & (year == "2022") & (frame.published >= "2021-06-01")
                 & (frame.published <= "2023-12-31") & (frame.duplicate_of == "")]
    assert metric(at) == len(want)
    shown = at.dataframe[0].value
    assert {"出处", "链接", "发布日期"} <= set(shown.columns)
    assert list(shown["发布日期"]) == sorted(shown["发布日期"])
    first = want.sort_values(["published", "claim_id"]).iloc[0]
    assert shown["出处"].iloc[0] == f"{first.outlet} · {first.published} · {first.page}"
    assert at.date_input and any(s.label == "地点范围" for s in at.selectbox)


def test_chart_over_time(monkeypatch, rich):
    path, _ = rich
    at = run_app(monkeypatch, path)
    ok(at)
    assert "time_chart" in {getattr(e, "key", None) for e in at.get("plotly_chart")}


# ---- store: cache name, conversion thread, leftovers -----------------------------------------------------
def test_cache_name_does_not_depend_on_spelling(tmp_path, plain, monkeypatch):
    path, _ = plain
    link = tmp_path / "link.parquet"
    link.symlink_to(path)
    monkeypatch.chdir(path.parent)
    spelled = [path, Path(path.name), path.parent / ".." / path.parent.name / path.name, link]
    assert len({cache_target(p) for p in spelled}) == 1


def test_conversion_thread_stops_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("INDICATORS_CACHE", str(tmp_path / "cache"))
    frame = synthetic_table(30_000, seed=4)
    path = tmp_path / "t.parquet"
    frame.to_parquet(path, index=False)
    store = Store(path)
    store.close()
    assert not store.converting.is_alive()
    assert not list((tmp_path / "cache").glob("*.tmp*"))
    assert store.view().count() == len(frame)           # still served from memory


def test_leftover_tmp_files_are_cleaned(tmp_path):
    dead = tmp_path / ".abc-def.duckdb.999999.1.tmp"
    dead.write_bytes(b"x")
    live = tmp_path / f".abc-def.duckdb.{os.getpid()}.1.tmp"
    live.write_bytes(b"x")
    clean_leftovers(tmp_path)
    assert not dead.exists() and live.exists()


def test_uploader_says_its_limit(monkeypatch, plain):
    """The uploader is in the sidebar (on every tab), states the app's limit, and an old link to
    the upload tab opens the first tab without a warning."""
    path, _ = plain
    at = run_app(monkeypatch, path, {"tab": "upload"})
    ok(at)
    up = at.sidebar.get("file_uploader")[0].proto
    assert up.max_upload_size_mb == 5 and "5 MB" in up.help
    assert at.session_state["page_state"].tab == "overview"
    assert not [h.value for h in at.html if "safe-warning" in h.value] and not at.warning


def test_server_upload_limit_is_the_apps(monkeypatch):
    """Streamlit's own limit (config.toml for `streamlit run`, the command line of `indicators
    dashboard`) is the app's MAX_UPLOAD_MB, so the browser refuses what the app would refuse."""
    import subprocess
    import tomllib
    from dashboard.uploads import MAX_UPLOAD_MB
    from extract import cli
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    seen = {}
    monkeypatch.setattr(subprocess, "call", lambda cmd: seen.setdefault("cmd", cmd) and 0)
    cli.main(["dashboard", "--table", "x.parquet"])
    cmd = seen["cmd"]
    assert cmd[cmd.index("--server.maxUploadSize") + 1] == str(MAX_UPLOAD_MB)


def test_dropzone_texts_in_chinese():
    """Streamlit's English dropzone texts are replaced in the Chinese page (CSS), left in English."""
    from dashboard.st_texts import css_string, dropzone_css, table_search_css
    css = dropzone_css("zh")
    for text in ("单个文件不超过 5 MB", ".txt .html .pdf .docx", "选择文件", "松开鼠标即可上传"):
        assert text in css
    assert "stFileUploaderDropzoneInstructions" in css and dropzone_css("en") == ""
    assert "gdg-search-status" in table_search_css("zh") and table_search_css("en") == ""
    assert css_string('a"b\\c') == '"a\\"b\\\\c"'


@pytest.mark.parametrize("argv, address", [([], "127.0.0.1"), (["--public"], "0.0.0.0"),
                                           (["--address", "10.0.0.5"], "10.0.0.5")])
def test_dashboard_command_binds_loopback_by_default(monkeypatch, argv, address):
    import subprocess
    from extract import cli
    seen = {}
    monkeypatch.setattr(subprocess, "call", lambda cmd: seen.setdefault("cmd", cmd) and 0)
    cli.main(["dashboard", "--table", "x.parquet", *argv])
    cmd = seen["cmd"]
    assert cmd[cmd.index("--server.address") + 1] == address


def test_exit_during_conversion_is_clean(tmp_path):
    """A process that exits while the cache conversion runs exits 0 and leaves no .tmp (issue 14 #14)."""
    import subprocess
    import sys
    frame = synthetic_table(60_000, seed=9)
    path = tmp_path / "t.parquet"
    frame.to_parquet(path, index=False)
    code = ("import sys; sys.path.insert(0, %r); from dashboard.store import Store; "
            "s = Store(%r); assert s.converting.is_alive()" % (str(ROOT), str(path)))
    for _ in range(2):
        cache = tmp_path / f"cache{_}"
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**os.environ, "INDICATORS_CACHE": str(cache)}, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "terminate called" not in proc.stderr
        assert not list(cache.glob("*.tmp*"))


def test_broken_additivity_rule_names_file_and_line(tmp_path, monkeypatch):
    from extract.rulefiles import RuleError
    bad = tmp_path / "additivity.tsv"
    bad.write_text("# kind\ttext\twhy\nunit\t%\ta percentage\nunti\t‰\ttypo\n", encoding="utf-8")
    monkeypatch.setattr(aggregates, "RULES", tmp_path)
    aggregates.additivity_rules.cache_clear()
    try:
        with pytest.raises(RuleError, match="additivity.tsv.*3"):
            aggregates.additivity_rules()
    finally:
        monkeypatch.undo()
        aggregates.additivity_rules.cache_clear()


def test_city_sum_never_adds_a_city_figure_to_its_banners(tmp_path):
    """赤峰市 has 100 centres (a city-level claim) and two banners 10 and 20: the city's sum is 30."""
    base = synthetic_table(3, seed=1)
    rows = base.iloc[[0, 0, 0]].copy().reset_index(drop=True)
    rows["claim_id"] = ["a", "b", "c"]
    rows["indicator"], rows["unit"], rows["value"] = "党群服务中心", "个", [100.0, 10.0, 20.0]
    rows["city_code"], rows["city"] = "150400", "赤峰市"
    rows["county_code"] = ["", "150402", "150403"]
    rows["county"] = ["", "红山区", "元宝山区"]
    path = tmp_path / "t.parquet"
    rows.to_parquet(path, index=False)
    view = Store(path, cache=False).view()
    m = aggregates.for_level(Measure("sum", Pick("i:党群服务中心", "个")), "city")
    got = aggregates.by_region(view.groups(Filters(reprints=True), m.pick), m, "city")
    assert got.set_index("code")["measure"].to_dict() == {"150400": 30.0}
    county = Measure("sum", Pick("i:党群服务中心", "个"))
    got = aggregates.by_region(view.groups(Filters(reprints=True), county.pick), county, "county")
    assert got.set_index("code")["measure"].to_dict() == {"150400": 100.0, "150402": 10.0, "150403": 20.0}


def twice_reported(tmp_path) -> Path:
    """红山区 reports 100 centres for 2023 in two articles and twice in one article, plus a
    reprint; 100 for 2024, 50 for 2023 and 100 in 元宝山区 are other figures."""
    base = synthetic_table(3, seed=1)
    rows = base.iloc[[0] * 7].copy().reset_index(drop=True)
    rows["claim_id"] = list("abcdefg")
    rows["doc"] = ["A.txt", "B.txt", "A.txt", "A.txt", "A.txt", "R.txt", "A.txt"]
    rows["sentence_start"] = [0, 0, 40, 80, 120, 0, 160]
    rows["indicator"], rows["unit"], rows["kind"] = "党群服务中心", "个", "stock"
    rows["value"] = [100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 50.0]
    rows["city_code"], rows["city"] = "150400", "赤峰市"
    rows["county_code"] = ["150402", "150402", "150402", "150403", "150402", "150402", "150402"]
    rows["county"] = ["红山区", "红山区", "红山区", "元宝山区", "红山区", "红山区", "红山区"]
    rows["period"] = ["2023年", "去年", "2023年", "2023年", "2024年", "2023年", "2023年"]
    rows["period_start"] = ["2023-01-01"] * 4 + ["2024-01-01", "2023-01-01", "2023-01-01"]
    rows["period_end"] = ["2023-12-31"] * 4 + ["2024-12-31", "2023-12-31", "2023-12-31"]
    rows["duplicate_of"] = ["", "", "", "", "", "a", ""]
    path = tmp_path / "t.parquet"
    rows.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("reprints", [False, True])
def test_same_figure_reported_twice_is_added_once(tmp_path, reprints):
    """The same value for the same place and period (two articles, two sentences, a reprint) is
    added once, in the region sums, the 盟市 sum, the theme sums and the comparison chart."""
    view = Store(twice_reported(tmp_path), cache=False).view()
    f = Filters(reprints=reprints)
    pick = Pick("i:党群服务中心", "个")
    county = Measure("sum", pick)
    got = aggregates.by_region(view.groups(f, pick), county, "county", reprints)
    assert got.set_index("code")["measure"].to_dict() == {"150402": 250.0, "150403": 100.0}
    assert got.set_index("code")["n"].to_dict() == {"150402": 5 + reprints, "150403": 1}   # claims still counted
    city = aggregates.for_level(county, "city")
    got = aggregates.by_region(view.groups(f, city.pick), city, "city", reprints)
    assert got.set_index("code")["measure"].to_dict() == {"150400": 350.0}
    themes = aggregates.by_theme(view.groups(f, pick), county, reprints).set_index("theme")["measure"]
    assert set(themes) == {350.0}
    points = view.pick_points(f, pick)
    assert len(points) == 6 + reprints
    per = aggregates.points_per(points, ["region"], True).set_index("region")["value"].to_dict()
    assert per == {"红山区": 250.0, "元宝山区": 100.0}
    assert aggregates.points_per(points, ["region"], False).set_index("region")["value"].to_dict() == \
        {"红山区": 100.0, "元宝山区": 100.0}
    fig = charts.compare(points, "t", "个", True, "zh")
    bar = fig.data[0]
    assert dict(zip(list(bar.x), [float(v) for v in bar.y])) == {"红山区": 250.0, "元宝山区": 100.0}
    # the test's own reading of a figure agrees
    frame = pd.read_parquet(twice_reported(tmp_path))
    firsts = first_reports(frame if reprints else frame[frame.duplicate_of == ""])
    assert sorted(firsts.claim_id) == ["a", "d", "e", "g"]


def test_sum_caption_says_a_figure_counts_once(monkeypatch, tmp_path):
    at = run_app(monkeypatch, twice_reported(tmp_path), {"measure": "sum", "value": "i:党群服务中心|个||"})
    ok(at)
    assert any("只计一次" in c.value for c in at.caption), [c.value for c in at.caption]
