"""Dashboard at scale: a 1,000,000-row synthetic table; cold start, filter change, peak memory.

    .venv/bin/python benchmarks/dashboard_bench.py [--rows 1000000] [--json out.json]

The table is generated in this process and written to Parquet; the measurements run in two
fresh child processes (so peak RSS is the dashboard's, not the generator's):

- data layer: Store() load + every query of the first view; then (after the background
  conversion to a .duckdb file has finished) each filter change (facets with counts, summary,
  units, the chart aggregates for both measures and one 500-row page), uncached;
- app: streamlit.testing.v1.AppTest first run of dashboard/app.py (imports done beforehand),
  then reruns after changing a filter widget (new filter values, so no cache hits);
- wall time (time.perf_counter) and, because the machine may be shared, this process's CPU
  time (time.process_time, all threads): CPU time does not grow with other processes' load;
- peak memory: VmHWM (peak RSS) of each child, from /proc/self/status.

Each child starts with an empty .duckdb cache folder (its cold start loads the Parquet file
into memory and starts the background conversion), except "app-warm", which reuses the cache
built by the "data" child: that is the cold start of every later server start on the same
table file.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import peak_rss_mb  # noqa: E402

FILTER_CHANGES = [
    {"city": "150400"}, {"city": "150400", "county": "150425"}, {"theme": "grid"},
    {"qualifier": "approx"}, {"city": "152500", "theme": "economy"}, {},
]


def first_view(view, f, level="city"):
    """Every query one dashboard run makes for filters f (charts tab + table page), as
    dashboard/page.py makes them: the facets (each on the filters it depends on), the count
    groups from which the summary and the region/theme/region x theme frames come, the value
    pickers, one value measure's groups and frames, the comparison, one 500-row page."""
    from dataclasses import replace
    from dashboard import aggregates
    from dashboard.aggregates import Measure
    from dashboard.queries import FACETS, Pick, facet_key
    facets = {name: view.facet_rows(name, facet_key(name, f)) for name in FACETS}
    groups = view.groups(replace(f, reprints=True))
    aggregates.summarize(groups, facets["doc"] if not f.doc else [], f)
    units = aggregates.with_additivity(view.units(f))
    measures = [(groups, Measure())]
    add = units[units.additive]
    if len(add):
        pick = Pick(add["key"].iloc[0], add["unit"].iloc[0])
        measures.append((view.groups(replace(f, reprints=True), pick), Measure("sum", pick)))
    for g, m in measures:
        aggregates.by_region(g, m, level, f.reprints)
        aggregates.by_theme(g, m, f.reprints)
        aggregates.by_region_theme(g, m, level, f.reprints)
    opts = view.compare_options(f)
    if len(opts):
        r = opts.iloc[0]
        view.pick_points(f, Pick(r.key, r.unit, r.level, r.geo))
    view.page(f, 1, 500)
    view.count(f)


def measure_data(path: str) -> dict:
    """Child 1: the data layer alone (no Streamlit)."""
    from dashboard.queries import Filters
    from dashboard.store import Store
    out: dict = {}
    t0 = time.perf_counter()
    store = Store(path)
    out["load_s"] = time.perf_counter() - t0
    view = store.view()
    t1 = time.perf_counter()
    first_view(view, Filters())
    out["first_view_queries_s"] = time.perf_counter() - t1
    out["data_cold_start_s"] = time.perf_counter() - t0
    t = time.perf_counter()
    out["converted"] = store.wait_converted(300)
    out["background_conversion_wait_s"] = time.perf_counter() - t
    times, cpu = [], []
    for fc in FILTER_CHANGES[:-1]:
        t, c = time.perf_counter(), time.process_time()
        first_view(view, Filters(**fc), "county" if "city" in fc else "city")
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    out["data_filter_change_s"] = {"median": statistics.median(times), "max": max(times)}
    out["data_filter_change_cpu_s"] = {"median": statistics.median(cpu), "max": max(cpu)}
    out["data_peak_rss_mb"] = peak_rss_mb()
    return out


def measure_app(path: str) -> dict:
    """Child 2: the whole app under AppTest (Streamlit imported before timing)."""
    from streamlit.testing.v1 import AppTest
    import dashboard.charts, dashboard.page  # noqa: F401  (imports are not part of the run time)
    out: dict = {}
    os.environ["INDICATORS_TABLE"] = path
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    t, c = time.perf_counter(), time.process_time()
    at.run()
    out["app_cold_start_s"] = time.perf_counter() - t
    out["app_cold_start_cpu_s"] = time.process_time() - c
    assert not at.exception, [e.value for e in at.exception]
    times, cpu = [], []
    for label, value in (("盟市", "150400"), ("旗县区", "150425"), ("盟市", "152500"),
                         ("主题", "economy"), ("限定", "approx"), ("盟市", "150100")):
        next(b for b in at.selectbox if b.label == label).set_value(value)
        t, c = time.perf_counter(), time.process_time()
        at.run()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        assert not at.exception, [e.value for e in at.exception]
    out["app_filter_change_s"] = {"median": statistics.median(times), "max": max(times)}
    out["app_filter_change_cpu_s"] = {"median": statistics.median(cpu), "max": max(cpu)}
    at.query_params["tab"] = "table"
    at2 = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at2.query_params["tab"] = "table"
    t = time.perf_counter()
    at2.run()
    out["app_table_tab_s"] = time.perf_counter() - t
    next(b for b in at2.selectbox if b.label == "主题").set_value("service")
    t = time.perf_counter()
    at2.run()
    out["app_table_filter_change_s"] = time.perf_counter() - t
    out["app_peak_rss_mb"] = peak_rss_mb()
    return out


SESSION_CHANGES = [("盟市", "150400"), ("主题", "grid"), ("度量", "sum"), ("限定", "exact"), ("盟市", "150500"),
                   ("主题", "service"), ("限定", "approx"), ("度量", "count"), ("盟市", "152500"), ("主题", "economy")]


def measure_sessions(path: str, sessions: int = 10) -> dict:
    """Child 3: `sessions` AppTest sessions in threads of one process (one server's shared
    caches, the GIL and two cores, as under `streamlit run`), each making ten filter changes
    in its own order (so the sessions rarely hit each other's cached results); the wall time of
    every change."""
    from streamlit.testing.v1 import AppTest
    import dashboard.charts, dashboard.page  # noqa: F401
    os.environ["INDICATORS_TABLE"] = path
    first = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=300)
    first.run()                                            # the table is loaded once per server
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def session(i: int) -> None:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=300)
        at.run()
        order = SESSION_CHANGES[i % len(SESSION_CHANGES):] + SESSION_CHANGES[:i % len(SESSION_CHANGES)]
        for label, value in order:
            widgets = [w for w in list(at.selectbox) + list(at.radio) if w.label == label]
            if not widgets:
                continue
            w = widgets[0]
            w.set_value(value)
            t = time.perf_counter()
            at.run()
            with lock:
                times.append(time.perf_counter() - t)
                if at.exception:
                    errors.append(at.exception[0].value)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return {"sessions": sessions, "changes": len(times), "errors": errors[:3],
            "concurrent_change_s": {"median": statistics.median(times), "p90": sorted(times)[int(len(times) * 0.9)],
                                    "max": max(times)},
            "concurrent_total_s": time.perf_counter() - t, "sessions_peak_rss_mb": peak_rss_mb()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None, help="default 1,000,000 (240,000 with --sessions)")
    ap.add_argument("--table", help="use this table instead of generating one")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--sessions", type=int, default=0,
                    help="instead: N concurrent sessions changing filters (default table 240,000 rows)")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.rows = args.rows or (240_000 if args.sessions else 1_000_000)
    if args.measure:
        kind, path = args.measure.split(":", 1)
        if kind.startswith("sessions"):
            print(json.dumps(measure_sessions(path, int(kind.split("=")[1]))))
        else:
            print(json.dumps(measure_data(path) if kind == "data" else measure_app(path)))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        path = args.table
        gen = {}
        if not path:
            sys.path.insert(0, str(ROOT / "tests"))
            from fixtures.tables import synthetic_table
            from extract.tableio import write_table
            t = time.perf_counter()
            frame = synthetic_table(args.rows, seed=42)
            path = str(write_table(frame, Path(tmp) / "synthetic.parquet"))
            gen = {"rows": len(frame), "generate_s": round(time.perf_counter() - t, 2),
                   "parquet_mb": round(Path(path).stat().st_size / 2**20, 1)}
            del frame
        result = {**gen, "cpus": os.cpu_count(), "loadavg_1min_before": os.getloadavg()[0]}
        kinds = (("data", "c1"), ("app", "c2"), ("app-warm", "c1")) if not args.sessions \
            else ((f"sessions={args.sessions}", "c3"),)
        for kind, cache in kinds:
            env = {**os.environ, "INDICATORS_CACHE": str(Path(tmp) / cache)}
            proc = subprocess.run([sys.executable, __file__, "--measure", f"{kind}:{path}"], capture_output=True,
                                  text=True, cwd=ROOT, env=env)
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            got = json.loads(proc.stdout.strip().splitlines()[-1])
            if kind == "app-warm":
                got = {k.replace("app_", "app_warm_"): v for k, v in got.items()}
            result.update(got)
        result["loadavg_1min_after"] = os.getloadavg()[0]
    print(json.dumps(result, indent=2))
    if args.sessions:
        got = result["concurrent_change_s"]["median"]
        print(f"{'concurrent_change_s.median':28s} {got:10.3f}  target <= 2.0  {'ok' if got <= 2.0 else 'OVER'}")
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2))
        return 0
    targets = [("app_cold_start_s", result["app_cold_start_s"], 3.0),
               ("app_warm_cold_start_s", result["app_warm_cold_start_s"], 3.0),
               ("data_filter_change_s.max", result["data_filter_change_s"]["max"], 0.5),
               ("app_filter_change_s.median", result["app_filter_change_s"]["median"], 0.5),
               ("app_peak_rss_mb", result["app_peak_rss_mb"], 1536)]
    for name, got, limit in targets:
        print(f"{name:28s} {got:10.3f}  target <= {limit}  {'ok' if got <= limit else 'OVER'}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
