"""Uploads through Streamlit's AppTest, and text from data or the URL shown as text.

The extraction runs in the server's extraction process (dashboard.upload_jobs); a test waits
for its jobs and runs the page again, as the page's own polling does.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, safe, upload_jobs
from fixtures.tables import synthetic_table
from dashboard.uploads import UploadResult
from extract.tableio import write_table

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
DOCS = ROOT / "tests" / "data" / "documents"
EVIL = '<a href="http://127.0.0.1:9/phish">点我</a><b>粗</b>'
PHISH = "[点我领奖](http://127.0.0.1:9/phish)"


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    frame = synthetic_table(300, seed=5)
    return write_table(frame, tmp_path_factory.mktemp("up") / "t.parquet"), frame


def run_app(monkeypatch, path, params=None, tab=None) -> AppTest:
    monkeypatch.setenv("INDICATORS_TABLE", str(path))
    monkeypatch.setenv("INDICATORS_DOCS", str(DOCS))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in {**(params or {}), **({"tab": TABS[tab]} if tab else {})}.items():
        at.query_params[k] = v
    return at.run()


TABS = {"数据表": "table"}


def settle(at: AppTest) -> AppTest:
    """Wait for this session's upload jobs, then run the page (its collect() takes the results)."""
    registry = upload_jobs.jobs()
    for entry in at.session_state["upload_list"]:
        job = registry.get(entry["key"])
        if job is not None:
            job.future.exception(timeout=300)
    return at.run()


def claims(at: AppTest) -> int:
    return int(at.metric[0].value.replace(",", ""))


def html_text(at: AppTest) -> str:
    return "\n".join(h.value for h in at.html)


def test_each_format_and_a_bad_file_listed(monkeypatch, table):
    path, frame = table
    at = run_app(monkeypatch, path)
    files = [(n, (DOCS / n).read_bytes(), "application/octet-stream")
             for n in ("upload_article.txt", "upload_article.html", "upload_article.pdf", "upload_article.docx")]
    files.append(("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf"))
    at.file_uploader[0].set_value(files).run()
    assert "处理中" in html_text(at)                                   # shown at once
    at = settle(at)
    assert not at.exception
    shown = html_text(at)
    entries = {e["name"]: e for e in at.session_state["upload_list"]}
    for name, *_ in files[:4]:
        assert entries[name]["state"] == "ok" and entries[name]["n"] > 0
        assert f"{name}：抽取到 {entries[name]['n']} 条声明" in shown
    assert entries["scan.pdf"]["state"] == "failed" and "scan.pdf：无法读取" in shown
    uploads = at.session_state["uploads"]
    assert claims(at) == len(frame[frame.duplicate_of == ""]) + int((uploads.duplicate_of == "").sum())
    texts = at.session_state["upload_texts"]
    for row in uploads.itertuples():                                   # offsets index the reader's text
        assert texts[row.doc][row.start:row.end].startswith(row.number_text)


def test_upload_in_app(monkeypatch, table):
    """A good file's claims join the table and open in the article viewer; a binary file is
    listed with the reason."""
    path, frame = table
    at = run_app(monkeypatch, path)
    at.file_uploader[0].set_value([("new.txt", "赤峰市建成2610个党群服务中心。".encode(), "text/plain"),
                                   ("bad.txt", b"\x00\x01\x02binary", "text/plain")]).run()
    at = settle(at)
    assert not at.exception, [e.value for e in at.exception]
    shown = html_text(at)
    assert "new.txt：抽取到 1 条声明" in shown
    assert "bad.txt：不是可读的文本或文档" in shown and "safe-error" in shown
    uploads = at.session_state["uploads"]
    assert len(uploads) == 1
    assert claims(at) == len(frame[frame.duplicate_of == ""]) + len(uploads)
    from dataclasses import replace
    at.session_state["page_state"] = replace(at.session_state["page_state"], claim=uploads.claim_id.iloc[0])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    article = next(h.value for h in at.html if "article-text" in h.value)
    assert "党群服务中心" in article and "<mark" in article


def test_uploads_stay_in_their_session(monkeypatch, table):
    path, frame = table
    a = run_app(monkeypatch, path)
    a.file_uploader[0].set_value(("mine.txt", "赤峰市建成2610个党群服务中心。".encode(), "text/plain")).run()
    a = settle(a)
    b = run_app(monkeypatch, path)
    base = len(frame[frame.duplicate_of == ""])
    assert claims(b) == base
    assert claims(a) == base + len(a.session_state["uploads"]) and len(a.session_state["uploads"]) == 1


def test_same_name_twice_is_kept_apart(monkeypatch, table):
    path, _ = table
    at = run_app(monkeypatch, path)
    at.file_uploader[0].set_value(("note.txt", "赤峰市建成2610个党群服务中心。".encode(), "text/plain")).run()
    at.file_uploader[0].set_value([("note.txt", "赤峰市建成2610个党群服务中心。".encode(), "text/plain"),
                                   ("note.txt", "通辽市选派楼栋长2399人。".encode(), "text/plain")]).run()
    at = settle(at)
    docs = sorted(at.session_state["upload_texts"])
    assert docs == ["note (2).txt", "note.txt"]
    assert sorted(set(at.session_state["uploads"].doc)) == docs


def test_upload_name_and_url_values_are_text(monkeypatch, table):
    path, _ = table
    at = run_app(monkeypatch, path, params={"indicator": PHISH})
    assert not at.warning and not at.exception
    page = html_text(at)
    assert safe.escape(PHISH) in page and "<a " not in page          # the URL value, as written
    name = f"{EVIL}.txt"
    at.file_uploader[0].set_value((name, b"\x00\x01binary", "text/plain")).run()
    at = settle(at)
    page = html_text(at)
    assert safe.escape(name) in page and "<b>" not in page and "<a href" not in page
    assert all("phish" not in m.value for m in at.markdown)


def test_plotly_text_is_escaped():
    points = pd.DataFrame({"claim_id": ["c1"], "value": [3.0], "label": [EVIL], "region": ["<b>旗</b>"],
                           "shown": ["3个"], "citation": ["<b>报</b>"], "year": ["2024"]})
    fig = charts.compare(points, "<i>x</i>", "个", True, "zh")
    label = fig.data[1].customdata[0][1]
    assert label == "&lt;a href=\"http://127.0.0.1:9/phish\"&gt;点我&lt;/a&gt;&lt;b&gt;粗&lt;/b&gt;"
    assert "<" not in fig.layout.title.text and "<b>" not in str(fig.data[0].x)
    assert fig.data[1].customdata[0][3] == "&lt;b&gt;报&lt;/b&gt;"
    line = charts.over_time(points, "<i>x</i>", "个", True, "zh")
    assert "<" not in line.layout.title.text and line.data[0].name == "&lt;b&gt;旗&lt;/b&gt;"
    frame = pd.DataFrame({"name": ["<b>旗</b>"], "city": ["赤峰市"], "measure": [1.0], "n": [1], "code": ["150402"]})
    bar = charts.region_bar(frame, "county", "声明", "zh")
    assert list(bar.data[0].y) == ["&lt;b&gt;旗&lt;/b&gt;"]
    assert safe.plotly_text(np.array(["a&b", 3], dtype=object)).tolist() == ["a&amp;b", 3]


def test_extractor_loaded_once_for_concurrent_first_uploads():
    """Two first uploads at once: one extraction process, started once; both results arrive."""
    calls = []

    class Probe(upload_jobs.Extractor):
        def _start_locked(self):
            if self._pool is None:
                calls.append(threading.get_ident())
            super()._start_locked()

    registry = upload_jobs.Jobs(Probe(init=_no_init), process=_fake_process)
    barrier = threading.Barrier(2)
    out = {}

    def first_upload(name):
        barrier.wait()
        out[name] = registry.submit(name, name.encode()).future.result(timeout=120)

    threads = [threading.Thread(target=first_upload, args=(n,)) for n in ("a.txt", "b.txt")]
    stdout = sys.stdout
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    registry.extractor.shutdown()
    assert len(calls) == 1 and registry.extractor.starts == 1
    assert {n: r.status for n, r in out.items()} == {"a.txt": "ok", "b.txt": "ok"}
    assert sys.stdout is stdout


def _no_init():
    pass


def _fake_process(name, data, limit):
    return UploadResult(name, "ok", len(data), text=data.decode(), rows=[])


def test_server_lifespan_starts_the_extractor_and_stops_it(monkeypatch):
    """dashboard/app.py's st.App: the extractor starts loading when the server starts (before any
    session) and stops with the server."""
    import ast
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    registry = upload_jobs.Jobs(upload_jobs.Extractor(init=_no_init), process=_fake_process)
    monkeypatch.setattr(upload_jobs, "_JOBS", registry)

    async def serve():
        async with upload_jobs.server_lifespan(None):
            assert registry.extractor.starts == 1
            registry.extractor._ready.result(timeout=120)
            assert registry.extractor.ready()
    # in a thread of its own: an earlier test of the session may have left this thread's event
    # loop running (Streamlit's AppTest), and asyncio.run refuses to nest in one
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, serve()).result(timeout=180)
    assert registry.extractor._pool is None
    # `streamlit run dashboard/app.py` serves the file with that lifespan (found the way
    # Streamlit's app discovery finds it)
    from streamlit.web.server.app_discovery import discover_asgi_app
    found = discover_asgi_app(Path(APP))
    assert found.is_asgi_app and found.import_string == "app:app"
    tree = ast.parse(Path(APP).read_text(encoding="utf-8"))
    assert "server_lifespan" in ast.dump(tree)
