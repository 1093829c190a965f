"""dashboard.exports: the downloads follow the page (filters, sort, labels), are named after the
view, carry a readable workbook (widths, frozen header, autofilter, about and sources sheets)
and survive characters a spreadsheet refuses."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from dashboard import exports
from dashboard.queries import Filters
from dashboard.store import Store
from dashboard.download_view import labels, spec
from fixtures.tables import synthetic_table
from extract.tableio import read_table, write_table


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    frame = synthetic_table(600, seed=3)
    frame.loc[0, "sentence"] = "第一页\x0c第二页\x0b竖排\x1b[31m红字"
    frame.loc[0, "city_code"], frame.loc[0, "city"] = "150400", "赤峰市"
    path = write_table(frame, tmp_path_factory.mktemp("exports") / "t.parquet")
    return Store(path), frame


def _batches(store, f, sort, desc, rows=97):
    return lambda: store.view().export_batches(f, rows=rows, sort=sort, descending=desc)


def test_csv_follows_filters_sort_and_labels(store):
    st_, frame = store
    f = Filters(city="150400")
    data = exports.to_csv(_batches(st_, f, "value", False)(), labels("zh"))
    got = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    want = frame[frame.city_code == "150400"]
    want = want[want.duplicate_of.fillna("") == ""]
    assert len(got) == len(want)
    assert list(got.columns[:3]) == ["数值", "单位", "指标"]
    values = pd.to_numeric(got["数值"], errors="coerce").dropna().tolist()
    assert values == sorted(values)                              # the page's sort, ascending
    assert "主题 (themes)" in got.columns and "主题" in got.columns   # keys and shown labels
    shown = got["主题"].str.split("、").str[0]
    assert not shown.str.fullmatch(r"[a-z_]+").any()                  # labels, not keys


def test_illegal_characters_cleaned_everywhere(store):
    st_, frame = store
    f = Filters(city="150400")
    for fmt in ("csv", "xlsx", "parquet"):
        maker = exports.WRITERS[fmt]
        data = maker(_batches(st_, f, "value", True)(), labels("zh")) if fmt != "parquet" \
            else maker(_batches(st_, f, "value", True)())
        assert data
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(_batches(st_, f, "value", True)(), labels("zh"))))
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    hit = [c for c in cells if c.startswith("第一页")]
    assert hit == ["第一页 第二页 竖排 [31m红字"]                   # one space per character: same length
    assert len(hit[0]) == len(frame.loc[0, "sentence"])
    csv = exports.to_csv(_batches(st_, f, "value", True)(), labels("zh")).decode("utf-8-sig")
    assert "\x0c" not in csv and "\x1b" not in csv and "第一页 第二页" in csv


def test_xlsx_layout_about_and_sources(store):
    st_, frame = store
    f = Filters(city="150400", theme="grid")
    page = st_.view().page(f, 1, 500, "value", True)
    sp = spec(f, page, "value", True, "zh", source="t.parquet")
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(_batches(st_, f, "value", True)(), labels("zh"), sp)))
    rows, about, sources = book.worksheets
    assert (rows.title, about.title, sources.title) == ("声明", "说明", "来源")
    assert rows.freeze_panes == "A2"
    n = st_.view().count(f)
    assert rows.auto_filter.ref.endswith(str(n + 1)) and rows.max_row == n + 1
    assert rows.column_dimensions["D"].width >= 30                   # the sentence column is wide
    text = [[c for c in r if c is not None] for r in about.iter_rows(values_only=True)]
    assert ["  盟市", "赤峰市"] in text and ["  主题", "网格化治理"] in text
    assert any(r[:2] == ["单位", "unit"] and "measure word" in r[2] for r in text if len(r) == 3)
    docs = {r[0] for r in sources.iter_rows(min_row=2, values_only=True)}
    want = frame[(frame.city_code == "150400") & frame.themes.str.contains("grid")]
    assert docs == set(want[want.duplicate_of.fillna("") == ""].doc)
    assert [c.value for c in sources[1]] == [labels("zh").column(c) for c in exports.SOURCE_COLUMNS]


def test_file_named_after_the_view(store):
    st_, _ = store
    f = Filters(city="150400", theme="grid")
    page = st_.view().page(f, 1, 50, "value", True)
    sp = spec(f, page, "value", True, "zh")
    sp = exports.Spec(sp.filters, sp.name_parts, made=dt.date(2026, 12, 1))
    assert exports.file_name(sp, "csv") == "claims_赤峰市_grid_2026-12-01.csv"
    odd = exports.Spec(name_parts=("a/b:c", "  ", "x" * 90), made=dt.date(2026, 12, 1))
    assert exports.file_name(odd, "xlsx") == f"claims_a-b-c_{'x' * 40}_2026-12-01.xlsx"


def test_parquet_keeps_keys_and_reads_back(store, tmp_path):
    st_, frame = store
    data = exports.to_parquet(_batches(st_, Filters(), "start", False)())
    path = tmp_path / "back.parquet"
    path.write_bytes(data)
    back = read_table(path)
    assert len(back) == len(frame[frame.duplicate_of.fillna("") == ""])
    assert set(back.themes.str.split(";").explode()) <= set(frame.themes.str.split(";").explode())


def test_a_failed_export_leaves_a_message():
    failures = exports.Failures()

    def broken() -> bytes:
        raise ValueError("disk full")

    with pytest.raises(ValueError):
        failures.guarded("s1", "xlsx", broken)()
    assert failures.pop("s1") == ["XLSX: ValueError: disk full"] and failures.pop("s1") == []
    assert failures.guarded("s1", "csv", lambda: b"ok")() == b"ok"
