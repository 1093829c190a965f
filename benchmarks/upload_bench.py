"""First uploads on a fresh dashboard server: how soon progress shows, how long after the
extractor has loaded the result shows, how often the extractor loads, and peak memory.

    python benchmarks/upload_bench.py [--runs 2]

Each run starts `streamlit run dashboard/app.py` anew (nothing loaded), opens the page in
headless Chromium and, in scenario *one*, uploads one file (with the sidebar's uploader, as
soon as the page is shown: the first page run starts loading the extractor); in scenario *two*, two sessions
upload a different file each at the same moment. Memory is the summed RSS of the server and
its children (the extraction process), sampled every 50 ms with psutil. The moment the
extractor finished loading is the one the server logs ("extractor loaded … at <epoch>").
The files are fresh-set articles (tests/data/documents), text that no other run repeats.
"""
from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "documents"
CHROMIUM = "/usr/bin/chromium"
TITLE = "内蒙古基层治理量化指标"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Peak(threading.Thread):
    """Peak summed RSS (bytes) of a process and all its children."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc, self.peak, self.stop = psutil.Process(pid), 0, threading.Event()
        self.children_seen: set[int] = set()

    def run(self):
        while not self.stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                self.children_seen |= {p.pid for p in procs[1:]}
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)


def serve(tmp: Path):
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from fixtures.tables import synthetic_table
    from extract.tableio import write_table
    table = write_table(synthetic_table(400), tmp / "t.parquet")
    port = free_port()
    log = tmp / "server.log"
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
                             "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port",
                             str(port), "--server.fileWatcherType", "none", "--", "--table", str(table)],
                            cwd=ROOT, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return proc, url, log


def idle(page, timeout: float = 120.0) -> None:
    """Wait until the page's run has finished (Streamlit's running indicator gone for 1 s)."""
    end, quiet = time.time() + timeout, 0.0
    while time.time() < end and quiet < 1.0:
        busy = page.locator('[data-testid="stStatusWidget"]').count() > 0
        quiet = 0.0 if busy else quiet + 0.1
        time.sleep(0.1)


def run(scenario: str, settle: bool = False) -> dict:
    from playwright.sync_api import sync_playwright
    files = ["upload_article.txt"] if scenario == "one" else ["upload_article.txt", "upload_second.txt"]
    with tempfile.TemporaryDirectory() as tmp:
        proc, url, log = serve(Path(tmp))
        peak = Peak(proc.pid)
        peak.start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                pages = []
                for _ in files:
                    page = browser.new_context(viewport={"width": 1400, "height": 1400}).new_page()
                    page.goto(url)
                    page.get_by_role("heading", name=TITLE).wait_for(timeout=120_000)
                    pages.append(page)
                if settle:
                    for page in pages:
                        idle(page)
                sent, shown, done = [], [], []
                for page, name in zip(pages, files):
                    sent.append(time.time())
                    page.locator('[data-testid="stSidebar"] [data-testid="stFileUploaderDropzoneInput"]').first \
                        .set_input_files(str(DOCS / name))
                for page, name in zip(pages, files):
                    # processing, or already the outcome when the extractor was quicker than the page
                    page.get_by_text(re.compile(re.escape(name) + "：(处理中|抽取到)")).first.wait_for(timeout=120_000)
                    shown.append(time.time())
                for page, name in zip(pages, files):
                    page.get_by_text(re.compile(re.escape(name) + r"：抽取到 \d+ 条声明")).first.wait_for(timeout=300_000)
                    done.append(time.time())
                browser.close()
        finally:
            peak.stop.set()
            peak.join()
            proc.terminate()
            proc.wait(timeout=30)
        text = log.read_text()
        loads = re.findall(r"extractor loaded in ([\d.]+) s .* at ([\d.]+)\)", text)
        loaded_at = float(loads[0][1]) if loads else float("nan")
        return {"scenario": scenario + (" (page settled)" if settle else ""), "loads": len(loads), "load_s": float(loads[0][0]) if loads else None,
                "progress_s": max(s - t for s, t in zip(shown, sent)),
                "after_load_s": max(d - max(loaded_at, t) for d, t in zip(done, sent)),
                "total_s": max(d - t for d, t in zip(done, sent)), "peak_gb": peak.peak / 2**30,
                "processes": 1 + len(peak.children_seen)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--settle", action="store_true",
                    help="upload once the page's first run has finished, not as soon as its title shows")
    args = ap.parse_args()
    results = [run(s, args.settle) for _ in range(args.runs) for s in ("one", "two")]
    print("| scenario | extractor loads | load s | progress shown s | done after load s | total s | peak RSS GB |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['scenario']} | {r['loads']} | {r['load_s']:.1f} | {r['progress_s']:.2f} | {r['after_load_s']:.2f} "
              f"| {r['total_s']:.1f} | {r['peak_gb']:.2f} |")
    for s in ("one", "two"):
        after = [r["after_load_s"] for r in results if r["scenario"].split()[0] == s]
        print(f"{s}: median done-after-load {statistics.median(after):.2f} s")


if __name__ == "__main__":
    main()
