"""The dashboard (dashboard/app.py) under streamlit.testing.v1.AppTest, and its data layer.

Fixture tables (tests/fixtures/tables.py): one built from the fresh gold claims plus a few
hostile rows, and the real extractor's output on seeds/.
"""
from __future__ import annotations

import html
import io
import os
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import aggregates, exports
from dashboard.aggregates import Measure
from dashboard.article import highlight_html
from dashboard.queries import CITY_LEVEL, Filters, Pick, facet_key
from dashboard.store import ALL_COLUMNS, Store
from fixtures.tables import FRESH, claim_id, gold_table, synthetic_table
from dashboard.uploads import process_upload
from extract.table import COLUMNS, to_frame
from extract.tableio import read_table, write_table

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
EVIL_TEXT = ("恶意测试文章\n<script>alert('x')</script> **加粗** [链接](http://example.com)\n"
             "某社区建成=SUM(A1)个驿站，共有12个网格，服务群众+300人次。\n")


def _evil_rows() -> list[dict]:
    """Rows whose cells start with formula characters, over a text with HTML and markdown."""
    rows = []
    for number, unit, indicator in (("12", "个", "=HYPERLINK(\"http://x\")"), ("300", "人次", "+服务群众")):
        start = EVIL_TEXT.index(number)
        end = start + len(number) + len(unit)
        rows.append({"claim_id": claim_id("evil.txt", start, end), "doc": "evil.txt", "article_index": 0,
                     "article_title": "恶意测试文章", "start": start, "end": end, "number_text": number,
                     "value": float(number), "unit": unit, "qualifier": "exact", "indicator": indicator,
                     "theme": "grid", "themes": "grid", "province": "内蒙古自治区", "province_code": "150000",
                     "city": "赤峰市", "city_code": "150400", "county": "", "county_code": "",
                     "town": "", "place_source": "article", "place_note": "", "sentence": "-1+1 @cmd",
                     "sentence_start": 0, "sentence_end": 10, "duplicate_of": ""})
    return rows


@pytest.fixture(scope="module")
def docs_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("docs")
    (d / "evil.txt").write_text(EVIL_TEXT, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """The gold fixture table (or synthetic rows without /work/shared) plus the hostile rows."""
    base = gold_table()
    frame = pd.concat([base, to_frame(_evil_rows())], ignore_index=True)
    path = tmp_path_factory.mktemp("table") / "claims.parquet"
    write_table(frame, path)
    return path, read_table(path)


@pytest.fixture(scope="module")
def real_table(tmp_path_factory) -> Path:
    """The real extractor's output on seeds/ (its row count changes as the extractor improves)."""
    from extract import extract_file
    rows = [r for p in sorted((ROOT / "seeds").glob("*.txt")) for r in extract_file(p)]
    path = tmp_path_factory.mktemp("real") / "seeds.parquet"
    write_table(rows, path)
    return path


def run_app(monkeypatch, table_path, params: dict | None = None, docs: Path | None = None,
            tab: str | None = None) -> AppTest:
    monkeypatch.setenv("INDICATORS_TABLE", str(table_path))
    dirs = [str(docs)] if docs else []
    dirs += [str(FRESH / "docs"), str(ROOT / "seeds")]
    monkeypatch.setenv("INDICATORS_DOCS", os.pathsep.join(dirs))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in {**(params or {}), **({"tab": TABS[tab]} if tab else {})}.items():
        at.query_params[k] = v
    return at.run()


TABS = {"地图": "map", "数据表": "table", "概览图表": "overview"}
LABEL = {"province": "省区", "city": "盟市", "county": "旗县区", "theme": "主题", "indicator": "指标",
         "doc": "来源文件", "qualifier": "限定", "scope": "地点范围", "year": "年份（时期，否则发布日期）"}


def box(at: AppTest, name: str):
    """The selectbox of a filter (or any selectbox by its label)."""
    label = LABEL.get(name, name)
    return next(s for s in at.selectbox if s.label == label)


def radio(at: AppTest, label: str):
    return next(r for r in at.radio if r.label == label)


def toggle(at: AppTest, label: str):
    return next(x for x in at.toggle if x.label == label)


def metric(at: AppTest, label: str) -> int:
    return int(next(m.value for m in at.metric if m.label == label).replace(",", ""))


def warnings(at: AppTest) -> list[str]:
    """Warnings shown: Streamlit's, and the page's own (dashboard.safe.alert: URL values as text)."""
    return [w.value for w in at.warning] + [h.value for h in at.html if "safe-warning" in h.value]


def errors(at: AppTest) -> list[str]:
    """Error messages shown: Streamlit's own and the page's text-only ones (dashboard/safe.py),
    unescaped back to the text they show."""
    return [e.value for e in at.error] + [html.unescape(h.value) for h in at.html if "safe-error" in h.value]


def article_html(at: AppTest) -> str:
    """The opened article's text (the element with its marked claims)."""
    return next(h.value for h in at.html if "article-text" in h.value)


def no_traceback(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ---- first view and filters -----------------------------------------------------------------
def test_first_view_shows_every_claim(monkeypatch, table):
    path, frame = table
    at = run_app(monkeypatch, path)
    no_traceback(at)
    assert metric(at, "声明数") == len(frame)
    assert at.title[0].value == "各省区基层治理量化指标"      # the fixture has claims outside Inner Mongolia
    for name in ("province", "city", "county", "theme", "indicator", "doc", "qualifier"):
        assert box(at, name).value is None and box(at, name).placeholder.startswith("全部")
        assert all(re.search(r"（[\d,]+）$", o) for o in box(at, name).options), name   # counts beside options
    provinces = {o.rsplit("（", 1)[0]: int(o.rsplit("（", 1)[1][:-1].replace(",", "")) for o in box(at, "province").options}
    assert provinces == frame.groupby("province").size().to_dict()
    assert not [b for b in at.selectbox if b.label == "地点范围"]      # no scope column: no scope filter


@pytest.mark.parametrize("params, expect", [
    ({"city": "150400"}, lambda d: d.city_code == "150400"),
    ({"city": "150400", "county": "150425"}, lambda d: d.county_code == "150425"),
    ({"city": "150400", "county": CITY_LEVEL}, lambda d: (d.city_code == "150400") & (d.county_code == "")),
    ({"theme": "grid"}, lambda d: d.themes.str.split(";").map(lambda ts: "grid" in ts)),
    ({"qualifier": "approx"}, lambda d: d.qualifier == "approx"),
    ({"doc": "evil.txt"}, lambda d: d.doc == "evil.txt"),
    ({"indicator": "+服务群众"}, lambda d: d.indicator == "+服务群众"),
])
def test_url_sets_filters(monkeypatch, table, params, expect):
    path, frame = table
    at = run_app(monkeypatch, path, params)
    no_traceback(at)
    assert not warnings(at)
    for name, value in params.items():
        assert box(at, name).value == value
    assert metric(at, "声明数") == int(expect(frame).sum())
    assert at.query_params == {k: [v] for k, v in params.items()} or \
        {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()} == params


@pytest.mark.parametrize("params", [
    {"city": "999999"}, {"county": "150102x"}, {"theme": "nonsense"}, {"indicator": "<b>不存在</b>"},
    {"doc": "../../etc/passwd"}, {"qualifier": "maybe"}, {"lang": "fr"}, {"level": "planet"},
    {"measure": "sum", "value": "i:光年|光年||"}, {"value": "nonsense"}, {"tab": "secret"}, {"sort": "drop table"},
    {"compare": "i:不存在|个||county"}, {"page": "-3"}, {"province": "990000"},
    {"claim": "no-such-claim"}, {"city": "150400", "county": "150102"},
])
def test_unknown_url_value_gives_message(monkeypatch, table, params):
    path, frame = table
    at = run_app(monkeypatch, path, params)
    no_traceback(at)
    assert warnings(at), params
    assert metric(at, "声明数") <= len(frame)


def test_filter_change_updates_url_and_narrows_county(monkeypatch, table):
    path, frame = table
    at = run_app(monkeypatch, path)
    box(at, "city").set_value("150400").run()
    no_traceback(at)
    assert at.query_params["city"] in ("150400", ["150400"])
    counties = box(at, "county").options
    in_city = set(frame.loc[frame.city_code == "150400", "county"]) | {"（盟市级）"}
    assert all(o.rsplit("（", 1)[0] in in_city for o in counties)
    assert any(o.startswith("（盟市级）") for o in counties)      # city-level claims stay visible
    box(at, "county").set_value("150425").run()
    box(at, "city").set_value("150100").run()                    # a new city clears the county
    assert box(at, "county").value is None
    at.button(key="reset").click().run()                         # clear filters
    no_traceback(at)
    assert "city" not in at.query_params
    assert metric(at, "声明数") == len(frame)


def test_empty_result_shows_message(monkeypatch, table):
    path, frame = table
    doc = frame.loc[frame.city_code != "150400", "doc"].iloc[0]
    assert not ((frame.doc == doc) & (frame.city_code == "150400")).any()
    at = run_app(monkeypatch, path, {"city": "150400", "doc": doc})
    no_traceback(at)
    assert any("没有符合" in w.value for w in at.warning)


def test_english_switch(monkeypatch, table):
    path, _ = table
    at = run_app(monkeypatch, path, {"lang": "en"})
    no_traceback(at)
    assert at.title[0].value == "Grassroots-governance indicators: all provinces"
    at.segmented_control[0].set_value("zh").run()
    assert at.title[0].value == "各省区基层治理量化指标"


@pytest.mark.parametrize("table_file, message", [
    ("missing.parquet", "找不到表格文件"),
    ("broken.parquet", "无法读取表格"),
    ("empty.parquet", "还没有声明"),
])
def test_missing_broken_or_empty_table(monkeypatch, tmp_path, table_file, message):
    path = tmp_path / table_file
    if table_file == "broken.parquet":
        path.write_bytes(b"not a parquet file")
    elif table_file == "empty.parquet":
        write_table([], path)
    at = run_app(monkeypatch, path, {"city": "150400"})
    no_traceback(at)
    assert any(message in m for m in errors(at) + [i.value for i in at.info]), message


def _partitioned(folder: Path, frame: pd.DataFrame, record: bool = True) -> Path:
    """A folder of Parquet parts as `indicators extract --scheduler` writes it (two parts and,
    when the run finished, its completion record listing them)."""
    from extract.run.cluster import write_folder_record, write_part

    folder.mkdir()
    half = len(frame) // 2
    write_part(frame.iloc[:half].to_dict("records"), folder, "00000")
    write_part(frame.iloc[half:].to_dict("records"), folder, "00001")
    if record:
        write_folder_record(folder, ["part-00000.parquet", "part-00001.parquet"], [{"claims": len(frame)}])
    return folder


def test_partitioned_output_shows_only_the_parts_its_record_lists(monkeypatch, tmp_path, table):
    """Foreign Parquet files in the folder (a part of an older run, a copy in a subfolder) are
    not read, by the store and by the page."""
    _, frame = table
    own = frame.head(18)
    folder = _partitioned(tmp_path / "parts", own)
    foreign = frame.tail(4).assign(doc="foreign.txt")
    write_table(foreign, folder / "part-00099.parquet")
    (folder / "old").mkdir()
    write_table(foreign, folder / "old" / "part-00000.parquet")
    view = Store(folder).view()
    assert view.count() == 18
    assert "foreign.txt" not in {r["value"] for r in view.facet_rows("doc", Filters())}
    at = run_app(monkeypatch, folder)
    no_traceback(at)
    assert metric(at, "声明数") == 18


@pytest.mark.parametrize("case", ["folder without record", "file being written", "csv being written",
                                  "listed part gone"])
def test_incomplete_output_is_refused_with_its_reason(monkeypatch, tmp_path, table, case):
    from dashboard.store import TableError

    _, frame = table
    if case == "folder without record":
        path = _partitioned(tmp_path / "parts", frame.head(10), record=False)
        reason = "no completion record"
    elif case == "listed part gone":
        path = _partitioned(tmp_path / "parts", frame.head(10))
        (path / "part-00001.parquet").unlink()
        reason = "part-00001.parquet"
    else:   # an older complete table under the name, and a run writing it now (its state beside it)
        path = write_table(frame, tmp_path / ("t.csv" if case.startswith("csv") else "t.parquet"))
        (tmp_path / f"{path.name}.partial").mkdir()
        (tmp_path / f"{path.name}.partial" / "state.json").write_text("{}", encoding="utf-8")
        reason = "interrupted or is still running"
    with pytest.raises(TableError) as exc:
        Store(path)
    assert exc.value.kind == "incomplete" and reason in exc.value.detail
    at = run_app(monkeypatch, path)
    no_traceback(at)
    shown = errors(at)
    assert any("无法读取表格" in m and "incomplete" in m and reason in m for m in shown), shown
    assert not [m for m in at.metric if m.label == "声明数"]      # no claim of the output shown


def test_real_extractor_output(monkeypatch, real_table):
    at = run_app(monkeypatch, real_table)
    no_traceback(at)
    frame = read_table(real_table)
    if len(frame):
        assert metric(at, "声明数") == len(frame)
        cities = [c for c in frame.city_code if c]
        if cities:
            box(at, "city").set_value(cities[0]).run()
            no_traceback(at)
            assert metric(at, "声明数") == int((frame.city_code == cities[0]).sum())
    else:
        assert any("还没有声明" in i.value for i in at.info)


# ---- measures, charts, table, article ------------------------------------------------------
def test_sum_measure_adds_one_indicator_in_one_unit(monkeypatch, table):
    path, frame = table
    at = run_app(monkeypatch, path)
    radio(at, "度量").set_value("sum").run()
    no_traceback(at)
    picker = box(at, "可相加的指标（单位）")
    pick = aggregates_pick(picker.value)
    assert pick.unit not in ("%", "％") and "/" not in pick.unit
    view = Store(path).view()
    got = aggregates.by_region(view.groups(Filters(reprints=True), pick), Measure("sum", pick), "city")
    rows = frame[(frame.indicator == pick.name) & (frame.unit == pick.unit) & frame.value.notna()]
    assert got.set_index("code")["measure"].sort_index().round(6).to_dict() == \
        rows.groupby("city_code")["value"].sum().sort_index().round(6).to_dict()
    assert not any(o.split("（")[-1].startswith("%") for o in picker.options)


def aggregates_pick(url_value: str) -> Pick:
    from dashboard.state import pick_from_url
    return pick_from_url(url_value)


def test_charts_and_offline_map(monkeypatch, table):
    path, _ = table
    at = run_app(monkeypatch, path)
    no_traceback(at)
    keys = {e.key for e in at.main if getattr(e, "key", None)} | \
        {getattr(e, "key", None) for e in at.get("plotly_chart")}
    assert {"region_chart", "theme_chart", "heatmap", "compare_chart"} <= keys
    at = run_app(monkeypatch, path, {"level": "county"}, tab="地图")
    no_traceback(at)
    spec = next(e for e in at.get("plotly_chart") if e.key == "map_chart").proto.spec
    assert '"white-bg"' in spec and "choroplethmap" in spec
    assert not re.search(r"https?://(?!www\.w3\.org)", spec)        # no tiles, glyphs or sprites to fetch


def test_table_tab_pages_and_downloads(monkeypatch, table):
    path, frame = table
    at = run_app(monkeypatch, path, tab="数据表")
    no_traceback(at)
    shown = at.dataframe[0].value
    assert len(shown) == min(500, len(frame)) and "原句" in shown.columns
    assert (shown["旗县区"] == "（盟市级）").any()
    buttons = {b.key: b for b in at.download_button}
    assert set(buttons) == {"dl_csv", "dl_xlsx", "dl_parquet"}
    assert all(b.proto.ignore_rerun and b.proto.deferred_file_id for b in buttons.values())


def test_download_contents_are_safe(table):
    path, frame = table
    export = Store(path).view().export(Filters(doc="evil.txt"))
    data = exports.to_csv(export)
    assert data.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(csv.indicator) == {"'=HYPERLINK(\"http://x\")", "'+服务群众"}
    assert set(csv.sentence) == {"'-1+1 @cmd"}
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(export))).active
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)
    back = pd.read_parquet(io.BytesIO(exports.to_parquet(export)))
    assert list(back.columns) == list(ALL_COLUMNS)
    pd.testing.assert_frame_equal(back.reset_index(drop=True), export.reset_index(drop=True),
                                  check_dtype=False)


def test_article_is_text_with_every_claim_marked(monkeypatch, table, docs_dir):
    path, frame = table
    cid = frame.loc[frame.doc == "evil.txt", "claim_id"].iloc[0]
    at = run_app(monkeypatch, path, {"claim": cid}, docs=docs_dir)
    no_traceback(at)
    body = article_html(at)
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "**加粗**" in body and "[链接](http://example.com)" in body
    assert body.count("<mark") == 2 and 'id="selected-claim"' in body
    assert at.query_params["claim"] in (cid, [cid])


def test_article_of_gold_doc(monkeypatch, table):
    path, frame = table
    row = frame[frame.doc != "evil.txt"].iloc[0]
    at = run_app(monkeypatch, path, {"claim": row.claim_id})
    no_traceback(at)
    if any("article-text" in h.value for h in at.html):
        assert article_html(at).count("<mark") == int((frame.doc == row.doc).sum())
    else:                                   # texts not on this machine: a message, not a traceback
        assert any("找不到来源文件" in w.value for w in at.warning)


# ---- uploads -------------------------------------------------------------------------------
@pytest.mark.parametrize("name, data, status", [
    ("ok.txt", "赤峰市建成2610个党群服务中心。".encode("utf-8"), "ok"),
    ("gbk.txt", "赤峰市建成2610个党群服务中心。".encode("gb18030"), "ok"),
    ("bin.txt", bytes(range(256)) * 4, "binary"),
    ("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("empty.txt", b"  \n", "empty"),
    ("big.txt", b"a" * 100, "too_large"),
])
def test_process_upload(name, data, status):
    res = process_upload(name, data, limit=50 if name == "big.txt" else 5 * 1024 * 1024)
    assert res.status == status
    if status == "ok":
        assert res.text.startswith("赤峰市")


# ---- data layer ----------------------------------------------------------------------------
def test_facet_counts_match_pandas(table):
    path, frame = table
    view = Store(path).view()
    got = {r["value"]: r["n"] for r in view.facet_rows("qualifier", Filters(city="150400"))}
    want = frame[frame.city_code == "150400"].qualifier.value_counts().to_dict()
    assert got == want
    assert view.count(Filters(indicator="x' OR 1=1 --")) == 0


def test_table_formats_and_cache(tmp_path, table):
    """CSV, JSONL and Parquet tables give the same counts; a changed file is re-read, not stale."""
    path, frame = table
    want = Store(path).view().facet_rows("city", Filters())
    for suffix in (".csv", ".jsonl"):
        other = write_table(frame, tmp_path / f"t{suffix}")
        assert Store(other).view().facet_rows("city", Filters()) == want
    copy = write_table(frame, tmp_path / "copy.parquet")
    assert Store(copy).view().count() == len(frame)
    write_table(frame.head(5), copy)
    assert Store(copy).view().count() == 5
    assert Store(copy, cache=False).view().count() == 5


def test_paging_and_uploads_union(tmp_path):
    frame = synthetic_table(1203, seed=1)
    path = write_table(frame, tmp_path / "t.parquet")
    store = Store(path)
    view = store.view()
    pages = [view.page(Filters(), p, 500) for p in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [500, 500, 203, 0]
    assert len(set(pd.concat(pages).claim_id)) == 1203
    extra = to_frame(_evil_rows())
    assert store.view(extra).count() == 1205 and store.view().count() == 1203


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.lists(st.tuples(st.integers(0, 90), st.integers(0, 20)), max_size=6))
def test_highlight_never_makes_markup(text, raw):
    spans = [(s, s + n, f"c{i}", "<tip>") for i, (s, n) in enumerate(raw)]
    out = highlight_html(text, spans, "c0")
    inner = re.sub(r"</?mark[^>]*>", "", out.split(">", 1)[1].rsplit("</div>", 1)[0])
    assert html.unescape(inner) == text
    assert "<" not in inner


def test_batched_exports_equal_whole(tmp_path):
    frame = synthetic_table(2345, seed=2)
    store = Store(write_table(frame, tmp_path / "t.parquet"))
    f = Filters(theme="service")
    whole = pd.concat(list(store.view().export_batches(f, rows=10**6)), ignore_index=True)   # on-screen order
    assert exports.to_csv(store.view().export_batches(f, rows=700)) == exports.to_csv(whole)
    back = pd.read_parquet(io.BytesIO(exports.to_parquet(store.view().export_batches(f, rows=700))))
    pd.testing.assert_frame_equal(back, whole, check_dtype=False)
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(store.view().export_batches(f, rows=700)))).active
    assert sheet.max_row == min(len(whole), exports.EXCEL_MAX_ROWS) + 1


# ---- reprinted paragraphs (duplicate_of) ---------------------------------------------------
@pytest.fixture(scope="module")
def dup_table(tmp_path_factory, table) -> tuple[Path, pd.DataFrame, pd.Series]:
    """The fixture table plus one reprint: a copy of a 赤峰市 claim later in the same document,
    with duplicate_of naming the original (as the extractor marks a paragraph printed twice)."""
    _, frame = table
    original = frame[(frame.city_code == "150400") & frame.value.notna() & (frame.unit != "")].iloc[0]
    dup = original.copy()
    dup["start"], dup["end"] = int(original["start"]) + 5000, int(original["end"]) + 5000
    dup["claim_id"] = claim_id(dup["doc"], dup["start"], dup["end"])
    dup["duplicate_of"] = original["claim_id"]
    path = tmp_path_factory.mktemp("dup") / "claims.parquet"
    write_table(pd.concat([frame, dup.to_frame().T], ignore_index=True), path)
    full = read_table(path)
    assert (full.duplicate_of != "").sum() == 1
    return path, full, dup


def city_option_count(at: AppTest, city: str = "赤峰市") -> int:
    label = next(o for o in box(at, "city").options if o.startswith(city))
    return int(re.search(r"（([\d,]+)）$", label).group(1).replace(",", ""))


REPRINTS = "包含重复段落"


def test_reprints_hidden_by_default(monkeypatch, dup_table):
    path, full, dup = dup_table
    at = run_app(monkeypatch, path)
    no_traceback(at)
    originals = full[full.duplicate_of == ""]
    assert metric(at, "声明数") == len(originals) == len(full) - 1
    assert toggle(at, REPRINTS).value is False
    assert any("已隐藏 1 条重复段落" in c.value for c in at.sidebar.caption)
    assert city_option_count(at) == int((originals.city_code == "150400").sum())
    assert "reprints" not in at.query_params


def test_reprints_toggle_shows_them_and_counts_change(monkeypatch, dup_table):
    path, full, dup = dup_table
    at = run_app(monkeypatch, path)
    before = {"claims": metric(at, "声明数"), "city": city_option_count(at)}
    toggle(at, REPRINTS).set_value(True).run()
    no_traceback(at)
    assert metric(at, "声明数") == len(full) == before["claims"] + 1
    assert city_option_count(at) == int((full.city_code == "150400").sum()) == before["city"] + 1
    assert any("包含 1 条重复段落" in c.value for c in at.sidebar.caption)
    assert at.query_params["reprints"] in ("1", ["1"])
    toggle(at, REPRINTS).set_value(False).run()
    no_traceback(at)
    assert metric(at, "声明数") == before["claims"]
    assert "reprints" not in at.query_params
    toggle(at, REPRINTS).set_value(True).run()
    at.button(key="reset").click().run()                      # clear filters: back to the default view
    assert toggle(at, REPRINTS).value is False and metric(at, "声明数") == before["claims"]


@pytest.mark.parametrize("value, shown", [("1", True), ("true", True), ("0", False)])
def test_reprints_from_url(monkeypatch, dup_table, value, shown):
    path, full, _ = dup_table
    at = run_app(monkeypatch, path, {"reprints": value, "city": "150400"})
    no_traceback(at)
    assert not warnings(at)
    assert toggle(at, REPRINTS).value is shown
    want = full[(full.city_code == "150400") & ((full.duplicate_of == "") | shown)]
    assert metric(at, "声明数") == len(want)


def test_reprints_bad_url_value_warns(monkeypatch, dup_table):
    path, full, _ = dup_table
    at = run_app(monkeypatch, path, {"reprints": "maybe"})
    no_traceback(at)
    assert warnings(at) and toggle(at, REPRINTS).value is False
    assert metric(at, "声明数") == len(full) - 1


def test_reprints_in_data_layer(dup_table):
    """Counts, charts, map frames, facets and exports all leave reprints out by default."""
    path, full, dup = dup_table
    view = Store(path).view()
    originals = full[full.duplicate_of == ""]
    groups = view.groups(Filters(reprints=True))
    for reprints, rows in ((False, originals), (True, full)):
        f = Filters(reprints=reprints)
        assert view.count(f) == len(rows)
        s = aggregates.summarize(groups, view.facet_rows("doc", facet_key("doc", f)), f)
        assert (s["claims"], s["docs"], s["reprints"]) == (len(rows), rows.doc.nunique(), 1)
        counts = aggregates.by_region(groups, Measure(), "county", reprints).set_index("code")["n"].sort_index()
        code = rows.county_code.where(rows.county_code != "", rows.city_code)
        assert counts.to_dict() == code.value_counts().sort_index().to_dict()
        themes = aggregates.by_theme(groups, Measure(), reprints).set_index("theme")["n"].to_dict()
        assert themes == rows.themes.str.split(";").explode().loc[lambda s: s != ""].value_counts().to_dict()
        qual = {r["value"]: r["n"] for r in view.facet_rows("qualifier", f)}
        assert qual == rows[rows.qualifier != ""].qualifier.value_counts().to_dict()
        assert len(view.export(f)) == len(rows)
        assert len(view.page(f, 1, 10_000)) == len(rows)
    assert view.exists("doc", dup["doc"]) and view.claim(dup["claim_id"])["duplicate_of"] == dup["duplicate_of"]
