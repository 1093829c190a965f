"""One Streamlit server and one headless Chromium shared by the dashboard's browser tests.

The table is the fresh gold claims plus synthetic rows over every banner but EMPTY_COUNTY (so
each 盟市 has several themes, counties and indicators to chain filters over, and one banner has
no claims), with the contract's new columns filled. Skipped with a reason without /usr/bin/chromium or playwright.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EMPTY_COUNTY = "152524"   # 苏尼特右旗


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chain_table() -> pd.DataFrame:
    """With the contract's new columns (scope, outlet, published, period ...), so the scope and
    time filters are on the page too."""
    from fixtures.tables import add_contract_columns, gold_table, synthetic_table
    synthetic = synthetic_table(600, seed=5)
    synthetic = synthetic[synthetic.county_code != EMPTY_COUNTY]
    frame = add_contract_columns(pd.concat([gold_table(), synthetic], ignore_index=True), seed=5)
    assert not (frame.county_code == EMPTY_COUNTY).any()
    return frame


def _need_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    return pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")


@contextmanager
def streamlit_server(table: Path, docs: Path, tmp: Path):
    """`streamlit run dashboard/app.py` over `table` on a free loopback port; yields its URL and
    stops it after (its log's end printed, for a failing test's output)."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", "--",
           "--table", str(table), "--docs", str(docs)]
    log_path = tmp / "streamlit.log"
    log = open(log_path, "w")
    env = {**os.environ, "INDICATORS_CACHE": str(tmp / "cache")}
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("streamlit did not start: " + log_path.read_text())
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        print(log_path.read_text()[-3000:])


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One server for the session: (url, table path, frame)."""
    _need_browser()
    tmp = tmp_path_factory.mktemp("dashboard")
    frame = chain_table()
    table = tmp / "claims.parquet"
    frame.to_parquet(table, index=False)
    with streamlit_server(table, ROOT / "tests" / "data" / "fresh" / "docs", tmp) as url:
        yield url, table, frame


@pytest.fixture(scope="session")
def browser():
    sync_api = _need_browser()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
