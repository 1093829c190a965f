"""Extraction throughput, scaling and memory, measured against a bare digit scan.

For each corpus size (made by make_corpus.py from the seed pages, and kept in
benchmarks/out/ for the next run) this runs, each in a fresh Python process so
no memory or warm caches are shared:

  bare scan        read each file and run re.finditer(r"\\d+") over it (best of 3)
  extract, 1 proc  the full extractor (run.files.process_file) over every file
  extract, N procs the same through extract.run.pool.run_parallel on N processes
  extract, Dask    (with --dask) extract.run.cluster.run_dask on a local Dask cluster

and prints a markdown table: wall time and characters per second per core,
CPU time and characters per CPU-second (which other programs competing for the
cores do not distort), the cost relative to the bare scan, and peak resident
memory (ru_maxrss) of the process and of its largest worker. Rows are counted
and dropped as they come, as a streaming consumer would, so peak memory shows
what the extraction itself needs; it should not grow with corpus size.

Loading the extractor's data and starting the workers ("start-up") is timed
separately and left out of the throughput figures.

    python benchmarks/extract_bench.py                      # 10MB and 50MB
    python benchmarks/extract_bench.py --dask --large       # and Dask, and 200MB
    python benchmarks/extract_bench.py --cold               # and 1 process with caches emptied per file
    python benchmarks/extract_bench.py --profile 5MB        # cProfile of 1 process

Targets (issue 4): >= 1,000,000 chars/s per core, within 20x of the bare scan,
peak memory flat in corpus size.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from make_corpus import make_corpus, parse_size, size_label  # noqa: E402

TARGET_CHARS_PER_S = 1_000_000
TARGET_RATIO = 20.0


def _rss_mb(who=resource.RUSAGE_SELF) -> float:
    kb = resource.getrusage(who).ru_maxrss          # kilobytes on Linux
    return kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024


def _peak_rss_of(pid: int) -> float:
    """Peak resident set size of a live process in MB (Linux /proc VmHWM), 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# ---------------------------------------------------------------- children (one measurement each)

def _walk(corpus: str):
    """The corpus files in run.files.iter_input_files order, without importing extract (and pandas)."""
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".txt"):
                yield Path(root) / name


def child_scan(corpus: str, repeats: int = 3) -> dict:
    """The bare scan, best of `repeats` passes (it is short, so one pass is at the mercy of noise)."""
    digits = re.compile(r"\d+")
    best = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        files = chars = nbytes = matches = 0
        for path in _walk(corpus):
            data = path.read_bytes()
            text = data.decode("utf-8-sig")
            files += 1
            nbytes += len(data)
            chars += len(text)
            matches += sum(1 for _ in digits.finditer(text))
        run = {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0}
        best = run if best is None or run["seconds"] < best["seconds"] else best
    return dict(best, files=files, chars=chars, bytes=nbytes, matches=matches, rss_mb=_rss_mb())


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) used so far by a live process, from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _consume(results) -> dict:
    files = failed = claims = 0
    for result in results:
        files += 1
        if result.ok:
            claims += len(result.rows)
        else:
            failed += 1
    return {"files": files, "failed": failed, "claims": claims}


def cold_process_file():
    """run.files.process_file with the extractor's result caches emptied before every file.

    The recombined corpus repeats five pages, so the same sentences recur and the caches (the
    tagger's windows, the phrases', the measures', the themes', place resolution) mostly hit.
    Emptying them per file models an archive whose articles do not repeat each other: only what
    one file repeats is reused. Every lru_cache of every loaded extract module is emptied
    (except the size-1 ones that hold loaded rule files, and those marked `reads_files`, which
    hold what the disk says of a folder or a sidecar file, not results of text)."""
    from extract.run.files import process_file  # (loads the pipeline's modules)

    caches = [f for name, mod in list(sys.modules.items())
              if name == "extract" or name.startswith("extract.")
              for f in vars(mod).values()
              if hasattr(f, "cache_info") and f.cache_info().maxsize not in (1, None)
              and not getattr(f, "reads_files", False)]

    def run(path, *args):
        for cache in caches:
            cache.cache_clear()
        return process_file(path, *args)
    return run


def child_small(path: str) -> dict:
    """`indicators extract` on one small file, as a user runs it: wall time and the peak RSS of
    the command's process (this child does nothing else, so RUSAGE_CHILDREN is that command's)."""
    import tempfile

    exe = Path(sys.executable).parent / "indicators"
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        proc = subprocess.run([str(exe), "extract", path, "-o", str(Path(tmp) / "out.jsonl")],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"indicators extract failed: {proc.stderr[-500:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "rss_mb": _rss_mb(resource.RUSAGE_CHILDREN), "chars": len(Path(path).read_text(encoding="utf-8"))}


def child_extract(corpus: str, workers: int, cold: bool = False) -> dict:
    t0 = time.perf_counter()
    from extract.run.files import process_file
    from extract.run.pool import make_executor, process_chunk, run_parallel
    from extract.run.runtime import WARMUP_TEXT, warm_up

    pool = None
    if workers == 1:
        warm_up(everything=True)   # lazy dictionaries, patterns, cn2an (run_parallel also tunes the collector)
    else:
        # Start every worker and have each extract a line, so start-up is not counted as
        # throughput (the parent itself never extracts, so it never loads the extractor's data).
        pool = make_executor(workers)
        warm = Path(corpus).parent / "_warmup.txt"
        warm.write_text(WARMUP_TEXT, encoding="utf-8")
        list(pool.map(process_chunk, [[str(warm)]] * (workers * 4)))
    startup = time.perf_counter() - t0
    pids = list(pool._processes) if pool is not None else []
    cpu0 = time.process_time() + sum(_cpu_of(pid) for pid in pids)
    t1 = time.perf_counter()
    func = cold_process_file() if cold else process_file
    out = _consume(run_parallel([corpus], workers=workers, executor=pool, func=func))
    seconds = time.perf_counter() - t1
    # CPU seconds of this process and its workers: unlike wall time, not inflated by other
    # programs competing for the cores.
    cpu = time.process_time() + sum(_cpu_of(pid) for pid in pids) - cpu0
    worker_rss = None
    if pool is not None:
        # Workers are children of the forkserver, not of this process, so RUSAGE_CHILDREN does
        # not see them: read each one's peak RSS (VmHWM) before the pool ends.
        worker_rss = max((_peak_rss_of(pid) for pid in list(pool._processes)), default=0.0)
        pool.shutdown(wait=True)
        worker_rss = max(worker_rss, _rss_mb(resource.RUSAGE_CHILDREN))
    out.update(seconds=seconds, cpu_seconds=cpu, startup=startup, rss_mb=_rss_mb(),
               worker_rss_mb=worker_rss)
    return out


def peak_rss_mb() -> float:
    """This process's peak RSS in MB (VmHWM from /proc, else ru_maxrss, which Linux carries
    across fork+exec from the parent). Also used by dashboard_bench.py."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _rss_mb()


def child_dask(corpus: str, workers: int, out_dir: str) -> dict:
    import shutil

    from distributed import Client

    from extract.run.cluster import local_cluster, run_dask

    t0 = time.perf_counter()
    with local_cluster(workers) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("extract.run.runtime").run.runtime.warm_up())
        startup = time.perf_counter() - t0
        # CPU of the workers, and of this process (client and scheduler)
        cpu0 = sum(client.run(time.process_time).values()) + time.process_time()
        t1 = time.perf_counter()
        entries = run_dask([corpus], client, out_dir)
        seconds = time.perf_counter() - t1
        cpu = sum(client.run(time.process_time).values()) + time.process_time() - cpu0
        worker_rss = max(client.run(peak_rss_mb).values())
    parts = len(list(Path(out_dir).glob("part-*.parquet")))
    shutil.rmtree(out_dir, ignore_errors=True)
    return {"seconds": seconds, "cpu_seconds": cpu, "startup": startup, "files": len(entries), "parts": parts,
            "failed": sum(e["status"] != "ok" for e in entries), "claims": sum(e["claims"] for e in entries),
            "rss_mb": _rss_mb(), "worker_rss_mb": worker_rss}


def child_profile(corpus: str, top: int) -> None:
    import cProfile
    import pstats

    from extract.run.pool import run_parallel
    from extract.run.runtime import warm_up

    warm_up()
    prof = cProfile.Profile()
    prof.enable()
    summary = _consume(run_parallel([corpus], workers=1))
    prof.disable()
    print(f"profile of the 1-process extraction of {corpus}: {summary}")
    stats = pstats.Stats(prof).sort_stats("tottime")
    print(f"\n== top {top} by own time (tottime) ==")
    stats.print_stats(top)
    stats.sort_stats("cumulative")
    print(f"\n== top {top} in extract/ by cumulative time ==")
    stats.print_stats(r"extract/", top)


def run_child(mode: str, corpus: Path, workers: int = 1) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--corpus", str(corpus),
           "--workers", str(workers), "--out", str(corpus.parent / f"dask-parts-{corpus.name}")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child {mode} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- driver

def ensure_corpus(size: int, out_root: Path, file_kb: int) -> Path:
    """The corpus of `size` bytes under out_root, made once and reused (a marker says it is whole)."""
    corpus = out_root / f"corpus-{size_label(size)}"
    marker = corpus / ".complete"
    params = {"size": size, "file_kb": file_kb, "seed": 20261123}
    if marker.exists() and json.loads(marker.read_text()) == params:
        return corpus
    if corpus.exists():
        import shutil
        shutil.rmtree(corpus)
    t0 = time.perf_counter()
    info = make_corpus(corpus, size, file_kb=file_kb)
    print(f"made {corpus}: {info['files']} files, {info['chars']:,} chars "
          f"in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    marker.write_text(json.dumps(params))
    return corpus


COLD = "extract, 1 proc, caches emptied per file"


def measure(size: int, out_root: Path, file_kb: int, workers: int, dask: bool = False,
            cold: bool = False) -> dict:
    corpus = ensure_corpus(size, out_root, file_kb)
    label = size_label(size)
    print(f"[{label}] bare scan ...", file=sys.stderr)
    scan = run_child("scan", corpus)
    print(f"[{label}] extract, 1 process ...", file=sys.stderr)
    runs = {"bare scan": scan, "extract, 1 proc": run_child("extract", corpus, 1)}
    if cold:
        print(f"[{label}] extract, 1 process, caches emptied per file ...", file=sys.stderr)
        runs[COLD] = run_child("extract-cold", corpus, 1)
    if workers > 1:
        print(f"[{label}] extract, {workers} processes ...", file=sys.stderr)
        runs[f"extract, {workers} procs"] = run_child("extract", corpus, workers)
    if dask:
        print(f"[{label}] extract on a local Dask cluster of {workers} workers ...", file=sys.stderr)
        runs[f"extract, Dask {workers} workers"] = run_child("dask", corpus, workers)
    chars = scan["chars"]
    for name, run in runs.items():
        procs = 1 if name in ("bare scan", "extract, 1 proc", COLD) else workers
        run["procs"] = procs
        run["cps_wall_per_core"] = chars / run["seconds"] / procs
        run["cps_cpu"] = chars / run["cpu_seconds"] if run.get("cpu_seconds") else None
        run["ratio_wall"] = run["seconds"] * procs / scan["seconds"]
        run["ratio_cpu"] = run["cpu_seconds"] / scan["cpu_seconds"] if run.get("cpu_seconds") else None
    return {"size": label, "files": scan["files"], "chars": chars, "bytes": scan["bytes"],
            "workers": workers, "runs": runs}


def ensure_unique(out_root: Path, passes: int) -> Path:
    from unique_corpus import make_unique_corpus

    corpus = out_root / f"unique-{passes}p"
    marker = corpus / ".complete"
    if not marker.exists():
        if corpus.exists():
            import shutil
            shutil.rmtree(corpus)
        info = make_unique_corpus(corpus, passes)
        marker.write_text(json.dumps(info))
    return corpus


UNIQUE_COLD = "extract, 1 proc, caches emptied per file"


def measure_unique(out_root: Path, passes: int, workers: int) -> list[dict]:
    """Records for the unique corpus of `passes` passes (1 process, caches emptied per file) and
    for its first pass alone (bare scan, 1 process cold, and the pool, whose workers keep their
    caches but meet no repeated paragraph within one pass)."""
    records = []
    many = ensure_unique(out_root, passes)
    for corpus, runs_wanted in ((many / "p00", ("cold", "pool")), (many, ("cold",))):
        scan = run_child("scan", corpus)
        runs = {"bare scan": scan}
        runs[UNIQUE_COLD] = run_child("extract-cold", corpus, 1)
        if "pool" in runs_wanted and workers > 1:
            runs[f"extract, {workers} procs"] = run_child("extract", corpus, workers)
        for name, run in runs.items():
            procs = workers if name.startswith(f"extract, {workers} procs") else 1
            run["procs"] = procs
            run["cps_wall_per_core"] = scan["chars"] / run["seconds"] / procs
            run["cps_cpu"] = scan["chars"] / run["cpu_seconds"] if run.get("cpu_seconds") else None
            run["ratio_wall"] = run["seconds"] * procs / scan["seconds"]
            run["ratio_cpu"] = run["cpu_seconds"] / scan["cpu_seconds"] if run.get("cpu_seconds") else None
        label = "1 pass" if corpus.name == "p00" else f"{passes} passes"
        records.append({"size": f"unique text, {label}", "files": scan["files"], "chars": scan["chars"],
                        "bytes": scan["bytes"], "workers": workers, "runs": runs})
    return records


def unique_report(out_root: Path, passes: int, workers: int) -> str:
    started, load = time.gmtime(), os.getloadavg()[0]
    records = measure_unique(out_root, passes, workers)
    first = ensure_unique(out_root, passes) / "p00"
    small_file = min((p for p in first.glob("*.txt") if p.stat().st_size > 2000), key=lambda p: p.stat().st_size)
    small = run_child("small", small_file)
    header = (f"{time.strftime('%Y-%m-%d %H:%M', started)}-{time.strftime('%H:%M UTC', time.gmtime())}, "
              f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {workers} worker processes, "
              f"load average {load:.1f} at the start and {os.getloadavg()[0]:.1f} at the end")
    lines = [header, "", markdown(records), ""]
    cold = [r["runs"][UNIQUE_COLD] for r in records]
    pool = [run for r in records for name, run in r["runs"].items() if name.startswith("extract, ") and "procs" in name]
    worst = min(run["cps_cpu"] for run in cold + pool)
    ratio = max(run["ratio_cpu"] for run in cold + pool)
    ok = lambda cond: "met" if cond else "MISSED"  # noqa: E731
    lines += [
        f"- chars per CPU-second per core, slowest run: {fmt_rate(worst)} (target >= 2.00 M): {ok(worst >= 2e6)}",
        f"- cost vs the bare scan, CPU, worst run: {ratio:.1f}x (target <= 20x): {ok(ratio <= 20)}",
        f"- `indicators extract` on one small file ({small_file.name}, {small['chars']:,} chars): "
        f"{small['seconds']:.2f} s wall (target <= 1.5 s): {ok(small['seconds'] <= 1.5)}, "
        f"{small['cpu_seconds']:.2f} s CPU, peak RSS {small['rss_mb']:.0f} MB (target <= 400 MB): "
        f"{ok(small['rss_mb'] <= 400)}",
    ]
    if pool:
        lines.append(f"- largest pool worker: {max(run['worker_rss_mb'] for run in pool):.0f} MB "
                     f"(target <= 300 MB): {ok(max(run['worker_rss_mb'] for run in pool) <= 300)}")
    (out_root / "unique_bench.json").write_text(json.dumps({"header": header, "records": records,
                                                           "small": small}, indent=2, ensure_ascii=False))
    return "\n".join(lines)


def fmt_rate(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v / 1e6:.2f} M" if v >= 1e6 else f"{v / 1e3:.0f} k"


def markdown(records: list[dict]) -> str:
    lines = [
        "| corpus | run | wall time | chars/s per core (wall) | CPU time | chars per CPU-second | "
        "cost vs bare scan (wall x procs / CPU) | claims | start-up | peak RSS |",
        "|" + " --- |" * 10,
    ]
    for r in records:
        for name, run in r["runs"].items():
            first = name == "bare scan"
            corpus = f"{r['size']}: {r['files']:,} files, {r['chars'] / 1e6:.1f} M chars" if first else ""
            rss = f"{run['rss_mb']:.0f} MB"
            if run.get("worker_rss_mb"):
                rss = f"{run['rss_mb']:.0f} MB + largest worker {run['worker_rss_mb']:.0f} MB"
            lines.append(
                f"| {corpus} | {name} | {run['seconds']:.2f} s | {fmt_rate(run['cps_wall_per_core'])} | "
                f"{run['cpu_seconds']:.2f} s | {fmt_rate(run['cps_cpu'])} | "
                + ("1x | " if first else f"{run['ratio_wall']:.1f}x / {run['ratio_cpu']:.1f}x | ")
                + ("- | " if first else f"{run['claims']:,} | ")
                + ("- | " if first else f"{run['startup']:.1f} s | ")
                + f"{rss} |")
    return "\n".join(lines)


def verdicts(records: list[dict]) -> str:
    # the targets are judged on the corpus as it is; the cold-cache run is reported on its own
    extracts = [(r, name, run) for r in records for name, run in r["runs"].items()
                if name not in ("bare scan", COLD)]
    worst_wall = min(run["cps_wall_per_core"] for _, _, run in extracts)
    worst_cpu = min(run["cps_cpu"] for _, _, run in extracts)
    # the ratio per kind of run (worst over the corpus sizes): one process is the extractor's
    # own cost; the pool and Dask add what it costs to spread the work over processes
    ratios: dict[str, float] = {}
    for _, name, run in extracts:
        ratios[name] = max(ratios.get(name, 0.0), run["ratio_cpu"])
    small, large = records[0], records[-1]
    one_s, one_l = small["runs"]["extract, 1 proc"], large["runs"]["extract, 1 proc"]
    ok = lambda cond: "met" if cond else "MISSED"  # noqa: E731
    out = [
        f"- throughput: slowest run {fmt_rate(worst_cpu)} chars per CPU-second per core, "
        f"{fmt_rate(worst_wall)} chars/s per core of wall time "
        f"(target >= {fmt_rate(TARGET_CHARS_PER_S)}): {ok(worst_cpu >= TARGET_CHARS_PER_S)}",
        f"- cost relative to the bare digit scan, CPU time, worst corpus (target <= {TARGET_RATIO:.0f}x): "
        + "; ".join(f"{name} {ratio:.1f}x: {ok(ratio <= TARGET_RATIO)}" for name, ratio in ratios.items()),
    ]
    cold = [(r["size"], r["runs"][COLD]) for r in records if COLD in r["runs"]]
    if cold:
        out.append("- caches emptied per file (no repeated text across files): "
                   + ", ".join(f"{size} {fmt_rate(run['cps_cpu'])} chars per CPU-second, "
                               f"{run['ratio_cpu']:.0f}x the bare scan" for size, run in cold))
    if len(records) > 1:
        growth = {name: large["runs"][name]["rss_mb"] / small["runs"][name]["rss_mb"]
                  for name in small["runs"] if name in large["runs"] and name != COLD}
        workers = {name: large["runs"][name]["worker_rss_mb"] / small["runs"][name]["worker_rss_mb"]
                   for name in small["runs"] if name in large["runs"]
                   and small["runs"][name].get("worker_rss_mb")}
        flat = all(g <= 1.25 for g in list(growth.values()) + list(workers.values()))
        out += [
            f"- linear cost: {large['chars'] / small['chars']:.1f}x the characters took "
            f"{one_l['cpu_seconds'] / one_s['cpu_seconds']:.2f}x the CPU time and "
            f"{one_l['seconds'] / one_s['seconds']:.2f}x the wall time (1 process)",
            f"- memory from {small['size']} to {large['size']}: peak RSS x"
            + ", x".join(f"{g:.2f} ({name})" for name, g in growth.items())
            + ("; largest worker x" + ", x".join(f"{g:.2f} ({name})" for name, g in workers.items())
               if workers else "")
            + f": {ok(flat)} (flat = within 25%)",
        ]
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10MB,50MB", help="comma-separated corpus sizes (default 10MB,50MB)")
    ap.add_argument("--large", action="store_true", help="add a 200MB corpus")
    ap.add_argument("--workers", type=int, default=0, help="processes for the parallel runs (default: all cores)")
    ap.add_argument("--file-kb", type=int, default=16, help="size of each corpus file in KB (default 16)")
    ap.add_argument("--out", default=str(HERE / "out"), help="where corpora and results go (benchmarks/out)")
    ap.add_argument("--dask", action="store_true", help="also time run_dask on a local Dask cluster")
    ap.add_argument("--cold", action="store_true",
                    help="also time 1 process with the extractor's caches emptied before every file")
    ap.add_argument("--unique", type=int, metavar="PASSES", default=0,
                    help="instead: the unique-text corpus (benchmarks/unique_corpus.py) PASSES times, caches "
                         "emptied per file, the pool on one pass, and `indicators extract` on one small file")
    ap.add_argument("--profile", metavar="SIZE", help="instead: cProfile the 1-process extraction of a corpus of SIZE")
    ap.add_argument("--top", type=int, default=25, help="rows of profile output (default 25)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child == "scan":
        print(json.dumps(child_scan(args.corpus)))
        return 0
    if args.child == "dask":
        print(json.dumps(child_dask(args.corpus, args.workers, args.out)))
        return 0
    if args.child == "small":
        print(json.dumps(child_small(args.corpus)))
        return 0
    if args.child in ("extract", "extract-cold"):
        print(json.dumps(child_extract(args.corpus, args.workers, cold=args.child == "extract-cold")))
        return 0

    # The driver stays small and never imports extract (or pandas): on Linux a child's ru_maxrss
    # starts from its parent's size at fork time, which would hide the child's own peak.
    try:
        default_workers = len(os.sched_getaffinity(0))
    except AttributeError:
        default_workers = os.cpu_count() or 1

    out_root = Path(args.out)
    out_root.mkdir(parents=True, exist_ok=True)
    if args.profile:
        corpus = ensure_corpus(parse_size(args.profile), out_root, args.file_kb)
        child_profile(str(corpus), args.top)
        return 0

    workers = args.workers or default_workers
    if args.unique:
        print(unique_report(out_root, args.unique, workers))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if args.large:
        sizes.append(parse_size("200MB"))
    start_load, started = os.getloadavg()[0], time.gmtime()
    records = [measure(size, out_root, args.file_kb, workers, args.dask, args.cold)
               for size in sorted(set(sizes))]
    header = (f"{time.strftime('%Y-%m-%d %H:%M', started)}-{time.strftime('%H:%M UTC', time.gmtime())}, "
              f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {workers} worker processes, "
              f"files of ~{args.file_kb} KB, load average {start_load:.1f} at the start and "
              f"{os.getloadavg()[0]:.1f} at the end")
    table = markdown(records)
    summary = verdicts(records)
    print(header + "\n\n" + table + "\n\n" + summary)
    (out_root / "extract_bench.json").write_text(json.dumps(
        {"header": header, "records": records}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
