"""Uploads in a real headless Chromium, on a fresh server each (the tagger not yet loaded):

- a .txt, then an .html, a .pdf and a .docx while the first is still being processed;
- two sessions uploading at once (two first uploads on one server);
- a second file, a tab click and the language switch while the first file is processed.

Every file must end with its outcome listed and its claims counted. After each step the
visible claim count is checked against a DuckDB query over the table plus the extractor's
rows for the files uploaded so far (extract_text on the text each file carries, made by
tests/data/documents/make_documents.py).

Needs /usr/bin/chromium and the playwright package; skipped with a reason otherwise.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import CHROMIUM, streamlit_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "tests" / "data" / "documents"
TITLE = "内蒙古基层治理量化指标"
WAIT = 180_000         # ms: a first upload on a fresh server waits for the tagger (10 s idle, over 60 s on a loaded machine)

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")

sys.path.insert(0, str(DOCS))
import make_documents  # noqa: E402

sys.path.pop(0)


class Expected:
    """The extractor's rows for each fixture file, computed in a child process while the first
    server starts (loading the tagger in this process would stall the browser driver)."""

    SCRIPT = ("import pickle, sys; sys.path.insert(0, sys.argv[1]); import make_documents as m; "
              "from extract import extract_text; "
              "pickle.dump({n: extract_text(m.expected_text(n), doc=n) for n in m.SOURCES}, open(sys.argv[2], 'wb'))")

    def __init__(self, out: Path):
        self.out = out
        self._proc = subprocess.Popen([sys.executable, "-c", self.SCRIPT, str(DOCS), str(out)], cwd=ROOT)
        self._rows: dict[str, list[dict]] | None = None

    def rows(self, name: str) -> list[dict]:
        if self._rows is None:
            assert self._proc.wait(timeout=300) == 0
            import pickle
            self._rows = pickle.loads(self.out.read_bytes())
        return self._rows[name]


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    return Expected(tmp_path_factory.mktemp("expected") / "rows.pickle")


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    from fixtures.tables import synthetic_table
    from extract.tableio import write_table
    return write_table(synthetic_table(400), tmp_path_factory.mktemp("uploads") / "claims.parquet")


@pytest.fixture
def server(table, tmp_path):
    """A fresh server of its own for each test (the tagger not yet loaded)."""
    with streamlit_server(table, DOCS, tmp_path) as url:
        yield url


def shown_count(table: Path, uploaded: list[list[dict]]) -> int:
    """What the 声明 metric must show with no filter: the table's rows and the uploaded rows
    that are not reprints, counted by DuckDB."""
    import duckdb
    import pandas as pd
    rows = [r for rows in uploaded for r in rows]
    up = pd.DataFrame({"duplicate_of": [r.get("duplicate_of") or "" for r in rows]}, dtype=str)
    con = duckdb.connect()
    con.register("up", up)
    n = con.execute(f"SELECT count(*) FROM (SELECT duplicate_of FROM read_parquet('{table}') "
                "UNION ALL SELECT duplicate_of FROM up) WHERE coalesce(duplicate_of, '') = ''").fetchone()[0]
    con.close()
    return int(n)


def open_page(browser, url, query: str = ""):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600})
    ctx.set_default_timeout(WAIT)         # a loaded machine answers a click slowly
    page = ctx.new_page()
    page.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda r: r.abort())
    page.goto(url + query)
    page.get_by_role("heading", name=TITLE).wait_for(timeout=WAIT)
    return ctx, page


def uploader(page):
    """The uploader: in the sidebar, on every tab."""
    zone = page.locator('[data-testid="stSidebar"] [data-testid="stFileUploaderDropzoneInput"]').first
    zone.wait_for(state="attached", timeout=WAIT)
    return zone


def add_file(page, name: str) -> None:
    uploader(page).set_input_files(str(DOCS / name))


def seen(page, locator, what: str, timeout: int = WAIT) -> None:
    """Wait for locator; on a timeout fail with what the page shows (and a screenshot)."""
    try:
        locator.wait_for(timeout=timeout)
    except sync_api.TimeoutError:
        shot = Path(os.environ.get("PYTEST_SCREENSHOTS", "/tmp")) / f"upload-test-{int(time.time())}.png"
        page.screenshot(path=str(shot), full_page=True)
        pytest.fail(f"not seen: {what} (screenshot {shot}); the page shows:\n" + page.locator("body").inner_text())


def outcome(page, name: str, n: int) -> None:
    """Wait until the file's outcome says n claims (in either language)."""
    pattern = re.compile(re.escape(name) + rf"\s*[：:]\s*(?:抽取到\s*)?{n}\s*(?:条声明|claims?\b)")
    seen(page, page.get_by_text(pattern).first, f"{name}: {n} claims")


def claims_metric(page, n: int) -> None:
    seen(page, page.locator('[data-testid="stMetricValue"]').first.filter(has_text=re.compile(f"^{n:,}$")),
         f"claims metric {n}")


def progress(page, name: str) -> None:
    """A visible state for the file within 10 s: processing, or, when the extractor (fast since
    the jieba-rs tagger) finished before the page could show that, its outcome (checked exactly
    by outcome())."""
    seen(page, page.get_by_text(re.compile(re.escape(name) + r".*(处理中|processing|抽取到|claims extracted)", re.I)
                                ).first, f"{name}: processing or its outcome", timeout=10_000)


ENGLISH = ("Drag and drop", "per file", "Browse files", "Upload", "add icon")


def dropzone_in_chinese(page, empty: bool = True) -> None:
    """Streamlit's own dropzone texts are not shown in the Chinese page; ours say the app's limit
    (while the uploader is empty: with files it shows their chips instead)."""
    side = page.locator('[data-testid="stSidebar"]')
    shown = side.inner_text()
    assert not [w for w in ENGLISH if w in shown], shown
    assert "200MB" not in shown.replace(" ", "")
    if not empty:
        return
    zone = side.locator('[data-testid="stFileUploaderDropzoneInstructions"]').first
    assert "单个文件不超过 5 MB" in zone.evaluate("e => getComputedStyle(e, '::after').content")
    button = side.locator('[data-testid="stFileUploaderDropzone"] button').first
    assert "选择文件" in button.evaluate("e => getComputedStyle(e, '::after').content")


def test_each_format_while_another_is_processing(server, browser, table, expected):
    ctx, page = open_page(browser, server)
    claims_metric(page, shown_count(table, []))
    dropzone_in_chinese(page)
    first, others = "upload_article.txt", ["upload_article.html", "upload_article.pdf", "upload_article.docx"]
    add_file(page, first)
    progress(page, first)
    for name in others:            # while the first waits for the tagger or is being extracted
        add_file(page, name)
    done = [first] + others
    for name in done:
        rows = expected.rows(name)
        assert rows, name
        outcome(page, name, len(rows))
    claims_metric(page, shown_count(table, [expected.rows(n) for n in done]))
    # each uploaded document's text is the reader's: its rows' spans are its claims
    text = make_documents.expected_text("upload_article.pdf")
    for r in expected.rows("upload_article.pdf"):
        assert text[r["start"]:r["end"]].startswith(r["number_text"])
    ctx.close()


def test_two_sessions_upload_at_once(server, browser, table, expected):
    phish = "[点我领奖](http://127.0.0.1:9/phish)"
    (ctx_a, a), (ctx_b, b) = open_page(browser, server), open_page(browser, server, "?indicator=" + quote(phish))
    base = shown_count(table, [])
    # a URL value is shown as written, never as a live link (issue 14 #11)
    b.get_by_text(phish, exact=False).first.wait_for(timeout=WAIT)
    assert b.locator('a[href*="phish"]').count() == 0
    add_file(a, "upload_article.txt")
    add_file(b, "upload_article.docx")
    progress(a, "upload_article.txt")
    progress(b, "upload_article.docx")
    outcome(a, "upload_article.txt", len(expected.rows("upload_article.txt")))
    outcome(b, "upload_article.docx", len(expected.rows("upload_article.docx")))
    claims_metric(a, shown_count(table, [expected.rows("upload_article.txt")]))
    claims_metric(b, shown_count(table, [expected.rows("upload_article.docx")]))
    # neither session sees the other's file
    assert a.get_by_text("upload_article.docx").count() == 0
    assert b.get_by_text("upload_article.txt").count() == 0
    assert shown_count(table, [expected.rows("upload_article.txt")]) > base
    ctx_a.close()
    ctx_b.close()


def test_second_file_tab_and_language_during_upload(server, browser, table, expected):
    ctx, page = open_page(browser, server)
    add_file(page, "upload_article.txt")
    progress(page, "upload_article.txt")
    add_file(page, "upload_second.txt")
    page.get_by_role("tab", name="地图").click()
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=re.compile("Inner Mongolia")).first.wait_for(timeout=WAIT)
    both = [expected.rows("upload_article.txt"), expected.rows("upload_second.txt")]
    claims_metric(page, shown_count(table, both))           # while on the map tab, in English
    page.locator('[role="tab"][aria-selected="true"]', has_text="Map").first.wait_for(timeout=WAIT)
    outcome(page, "upload_article.txt", len(both[0]))
    outcome(page, "upload_second.txt", len(both[1]))
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    page.get_by_role("heading", name=TITLE).first.wait_for(timeout=WAIT)
    dropzone_in_chinese(page, empty=False)
    outcome(page, "upload_article.txt", len(both[0]))
    outcome(page, "upload_second.txt", len(both[1]))
    claims_metric(page, shown_count(table, both))
    # a file added at the moment of a tab click (a tab's content is rebuilt then: an uploader
    # inside a tab lost such a file)
    page.get_by_role("tab", name="数据表").click()
    add_file(page, "upload_article.html")
    progress(page, "upload_article.html")
    third = both + [expected.rows("upload_article.html")]
    outcome(page, "upload_article.html", len(third[2]))
    claims_metric(page, shown_count(table, third))
    ctx.close()


def test_extractor_loads_when_the_server_starts(table, browser, tmp_path, expected):
    """The server loads the extractor before any browser connects, once: a first upload then
    does not wait for it (its outcome is checked; how fast is benchmarks/upload_bench.py's)."""
    with streamlit_server(table, DOCS, tmp_path) as url:
        log = tmp_path / "streamlit.log"
        deadline = time.time() + WAIT / 1000
        while "extractor loaded" not in log.read_text() and time.time() < deadline:
            time.sleep(0.2)
        assert "extractor loaded" in log.read_text(), log.read_text()    # no page opened yet
        ctx, page = open_page(browser, url)
        add_file(page, "upload_second.txt")
        outcome(page, "upload_second.txt", len(expected.rows("upload_second.txt")))
        assert log.read_text().count("extractor loaded") == 1
        ctx.close()
