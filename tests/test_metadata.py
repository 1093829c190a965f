"""Document metadata: sidecar files, HTML metadata, datelines and date lines, paths."""
from __future__ import annotations

import json

import pytest

from extract.reading.metadata import (DocMeta, SidecarError, document_meta, find_sidecar, html_meta, path_meta,
                             read_sidecar, sidecar_for, text_date)
from extract.reading import read_document
from extract.reading.metadata import meta_for
from tests.conftest import read_cases

CASES = read_cases("metadata.tsv")


def _dash(v: str) -> str:
    return "" if v == "-" else v


@pytest.mark.parametrize("kind,given,year_from,published,source,extra",
                         [pytest.param(*r, id=f"{r[0]}-{r[1][:24]}") for r in CASES])
def test_metadata_cases(kind, given, year_from, published, source, extra):
    if kind == "path":
        meta = path_meta(given)
        assert (meta.published, meta.published_source, meta.page) == (_dash(published), _dash(source), _dash(extra))
    elif kind == "text":
        assert text_date(given.replace("\\n", "\n"), _dash(year_from)) == (_dash(published), _dash(source))
    else:
        meta = html_meta(given)
        outlet, url, title = (_dash(v) for v in extra.split("|"))
        assert (meta.published, meta.published_source, meta.outlet, meta.url, meta.doc_title) == \
            (_dash(published), _dash(source), outlet, url, title)


def test_cases_cover_every_source():
    assert {r[0] for r in CASES} == {"path", "text", "html"}
    assert {r[4] for r in CASES} >= {"path", "text_release", "text_date_line", "text_dateline", "html", "-"}


def test_real_sidecar_beside_the_pages(shared):
    """../shared/pages/sources.csv: doc, outlet, date, page, source (the source column is not the outlet)."""
    meta = sidecar_for(shared / "pages" / "p05_20200111_02.txt")
    assert meta == DocMeta(outlet="人民日报", published="2020-01-11", published_source="sidecar", page="2")
    # (find_sidecar gives the resolved path: ../shared may be a link)
    assert find_sidecar(shared / "pages" / "p01_20190218_11.txt") == (shared / "pages" / "sources.csv").resolve()


def test_sidecar_csv_and_jsonl(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "meta.csv").write_text("文件,媒体,发布日期,标题,链接\nx.txt,赤峰日报,2024年3月5日,赤峰市建成党群服务中心,"
                                       "https://example.com/x\n", encoding="utf-8-sig")
    meta = sidecar_for(tmp_path / "a" / "x.txt")        # found one folder up
    assert meta == DocMeta("赤峰日报", "2024-03-05", "sidecar", "https://example.com/x", "", "赤峰市建成党群服务中心")
    side = tmp_path / "given.jsonl"
    side.write_text(json.dumps({"file": "a/x.txt", "publisher": "内蒙古日报", "date": "20230601", "page": "03"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    meta = sidecar_for(tmp_path / "a" / "x.txt", explicit=side)     # keyed by the path relative to the file
    assert (meta.outlet, meta.published, meta.page) == ("内蒙古日报", "2023-06-01", "3")


def test_a_bad_date_in_a_sidecar_stays_empty(tmp_path):
    (tmp_path / "sources.csv").write_text("doc,outlet,date\nx.txt,人民日报,2019-02-30\n", encoding="utf-8")
    meta = sidecar_for(tmp_path / "x.txt")
    assert (meta.outlet, meta.published, meta.published_source) == ("人民日报", "", "")


def test_a_broken_sidecar_says_where(tmp_path):
    (tmp_path / "meta.jsonl").write_text('{"doc": "x.txt"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(SidecarError, match=r"meta.jsonl:2: not a JSON object"):
        read_sidecar(tmp_path / "meta.jsonl")


def test_sources_in_order(tmp_path):
    """Sidecar, then HTML, then the text, then the path; each field from the first that has it."""
    text = "标题\n　　本报北京2月11日电 正文"
    meta = document_meta("x/20200212-07-01.txt", text)
    assert (meta.published, meta.published_source, meta.page, meta.doc_title) == ("2020-02-11", "text_dateline", "7", "标题")
    meta = document_meta("x/20200212-07-01.txt", text, sidecar=DocMeta(outlet="人民日报"))
    assert (meta.outlet, meta.published, meta.published_source) == ("人民日报", "2020-02-11", "text_dateline")
    meta = document_meta("x/notes.txt", text)
    assert (meta.published, meta.published_source) == ("", "")      # no year anywhere: nothing guessed


def test_html_file_through_the_reader(tmp_path):
    page = tmp_path / "2024-01-02_page.html"
    page.write_text('<html><head><title>标题</title><meta property="og:site_name" content="正北方网">'
                    '<meta property="article:published_time" content="2024-03-05"></head>'
                    '<body><p>赤峰市建成2610个党群服务中心。</p></body></html>', encoding="utf-8")
    meta = meta_for(read_document(page))
    assert (meta.outlet, meta.published, meta.published_source, meta.doc_title) == ("正北方网", "2024-03-05", "html", "标题")


def test_every_page_row_has_its_date_and_outlet(shared):
    from extract.run.files import run_files

    rows = [row for result in run_files([shared / "pages"]) if result.ok for row in result.rows
            if row["doc"].startswith("p")]
    assert rows and all(r["outlet"] == "人民日报" and r["published_source"] == "sidecar" for r in rows)
    assert {r["doc"][4:12]: r["published"].replace("-", "") for r in rows} == {d: d for d in {r["doc"][4:12] for r in rows}}


def test_cli_meta_option(tmp_path):
    from extract.cli import main
    from extract.tableio import read_table

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("今年以来,赤峰市化解矛盾纠纷530余件。", encoding="utf-8")
    (tmp_path / "m.csv").write_text("doc,outlet,date,url\na.txt,赤峰日报,2024-03-05,https://example.com/a\n",
                                    encoding="utf-8")
    assert main(["extract", str(tmp_path / "docs"), "-o", str(tmp_path / "out.csv"), "--workers", "1",
                 "--meta", str(tmp_path / "m.csv")]) == 0
    [row] = read_table(tmp_path / "out.csv").to_dict("records")
    assert (row["outlet"], row["published"], row["url"], row["period"], row["period_start"], row["period_end"],
            row["kind"], row["value_low"]) == ("赤峰日报", "2024-03-05", "https://example.com/a", "今年以来",
                                               "2024-01-01", "2024-03-05", "flow", 530.0)
    assert row["value_high"] != row["value_high"]      # NaN: open above
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    assert main(["extract", str(tmp_path / "docs"), "-o", str(tmp_path / "out2.csv"), "--workers", "1",
                 "--meta", str(tmp_path / "bad.jsonl")]) == 2


def test_a_broken_sidecar_beside_the_texts_loses_nothing(tmp_path):
    """A sidecar found beside the texts that cannot be read is skipped: the file is still
    extracted, with its metadata from the text and path, and the reason says why."""
    from extract.run.files import process_file

    (tmp_path / "20240305-02-01.txt").write_text("　　本报呼和浩特3月4日电 赤峰市建成2610个党群服务中心。",
                                                 encoding="utf-8")
    (tmp_path / "meta.jsonl").write_text("{broken\n", encoding="utf-8")
    result = process_file(tmp_path / "20240305-02-01.txt")
    assert result.ok and result.rows and "meta.jsonl:1: not JSON" in result.reason
    row = result.rows[0]
    assert (row["published"], row["published_source"], row["page"]) == ("2024-03-04", "text_dateline", "2")
