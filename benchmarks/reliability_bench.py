"""One huge input file, processed in bounded memory: peak RSS and time of the streamed path.

Makes a single text file of --size (default 500MB) from the seed paragraphs
(benchmarks/make_corpus.py's seed_paragraphs, shuffled with a fixed seed,
separated by blank lines, in --encoding), kept in benchmarks/out/ for the next
run, then measures, each in a fresh Python process:

  read      reading.open_stream over the file: encoding check pass plus
            incremental decoding into paragraph-cut pieces, nothing else
  extract   runner.process_file on the file (over runner.STREAM_BYTES, so it is
            extracted piece by piece with global offsets) with every row streamed
            to a JSONL table through tablewriter.TableWriter, as `indicators
            extract` does

and prints a markdown table of wall time, throughput, claims and peak resident
memory (ru_maxrss): the peak while processing, and how much that is above the
resident memory after imports and warm-up (the extractor's dictionaries are
loaded by a first call before the clock starts; the peak counter is then reset
through /proc/self/clear_refs, as loading peaks higher than it stays). Memory that does not grow with the file is the
point; holding the text of a 500 MB file alone would take over 1 GB.

    python benchmarks/reliability_bench.py                            # 500MB, utf-8
    python benchmarks/reliability_bench.py --size 100MB --encoding gb18030
    python benchmarks/reliability_bench.py --modes read               # just the reader

Issue 14's load and fault cases (each on text that does not repeat, benchmarks/fresh_text.py):

  oneline   a --oneline-size (25MB) file of one line with no punctuation, through
            `indicators extract --workers 1` in one process: peak RSS above the
            process's own after start-up (peak reset as above)
  corpus    a --corpus-size (500MB) corpus of 16 KB files through `indicators extract
            --workers 2` in a child: the summed PSS of the child and every process it
            starts, sampled every 0.5 s, against the same figure for a 16 KB input
            (the start-up figure)
  faults    --runs (10) runs of `indicators extract --workers 2` over a 2 MB corpus, each
            with one pool worker sent SIGKILL at a random moment: every input path once in
            the manifest, the table's rows per file equal to the manifest's claims and to
            an undisturbed run, no claim_id twice
  mainkill  --runs runs over a --kill-corpus-size (32MB) corpus with the main process sent
            SIGKILL at a random moment (0.5-8 s after its workers appear): processes of the
            run alive 5 s later, *.tmp files left beside the output and in its state folder
  resume    --runs runs interrupted by SIGKILL at a random moment, then `--resume`d: the
            table equal to an uninterrupted run
  (mainkill and resume with --scheduler local: the same on the Dask path, -o a folder of parts)

    python benchmarks/reliability_bench.py --modes oneline,corpus --corpus-size 100MB
    python benchmarks/reliability_bench.py --modes faults,mainkill,resume --runs 10
    python benchmarks/reliability_bench.py --modes mainkill,resume --runs 10 --scheduler local
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from make_corpus import parse_size, seed_paragraphs, size_label  # noqa: E402
import fresh_text  # noqa: E402

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[4])
mode, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
from extract import reading
from extract.run import files as runner
from extract.pipeline import extract_text
from extract.tableio import TableWriter
extract_text("赤峰市建成2610个党群服务中心。")          # load dictionaries before the clock
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:                                    # reset the peak to the current RSS (Linux): loading the
    with open("/proc/self/clear_refs", "w") as fh:   # dictionaries peaks higher than they stay
        fh.write("5")
except OSError:
    pass
base = peak()
t = time.perf_counter()
if mode == "read":
    stream = reading.open_stream(path)
    chars = pieces = 0
    for offset, piece in stream:
        chars += len(piece)
        pieces += 1
    res = {"status": "ok", "claims": 0, "chars": chars, "pieces": pieces, "encoding": stream.encoding}
else:
    with TableWriter(out) as table:
        result = runner.process_file(path, table.write)
    res = {"status": result.status, "reason": result.reason, "claims": result.claims,
           "encoding": result.encoding, "rows_written": table.rows}
res.update(seconds=time.perf_counter() - t, base_mb=base, peak_mb=peak())
print(json.dumps(res))
"""


def make_big_file(path: Path, size: int, encoding: str, seed: int = 7) -> Path:
    """size bytes (at least) of shuffled seed paragraphs, one blank line apart, written as it goes."""
    if path.exists() and path.stat().st_size >= size:
        return path
    paragraphs = seed_paragraphs()
    rng = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    written = 0
    with open(tmp, "wb") as fh:
        while written < size:
            rng.shuffle(paragraphs)
            block = ("\n\n".join(paragraphs) + "\n\n").encode(encoding)
            fh.write(block)
            written += len(block)
    tmp.replace(path)
    return path


def run(mode: str, path: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(out), str(ROOT)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


ONELINE_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from extract.cli import main
from extract.pipeline import extract_text
extract_text("赤峰市建成2610个党群服务中心。")          # load dictionaries before the clock
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
except OSError:
    pass
base = peak()
t = time.perf_counter()
code = main(["extract", sys.argv[1], "-o", sys.argv[2], "--workers", "1"])
print(json.dumps({"code": code, "seconds": time.perf_counter() - t, "base_mb": base, "peak_mb": peak()}))
"""


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [pid], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _pss_mb(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _env_tag() -> tuple[dict, bytes]:
    tag = f"RELIAB_BENCH={os.getpid()}-{time.monotonic_ns()}"
    return dict(os.environ, RELIAB_BENCH=tag.split("=", 1)[1]), tag.encode()


def _tagged(tag: bytes) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                env = Path(f"/proc/{entry}/environ").read_bytes()
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if tag in env.split(b"\0") and state not in "ZX":
                out.append(int(entry))
    return out


def cli(args: list[str], env=None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "extract.cli", "extract", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def run_sampled(args: list[str]) -> dict:
    """The command in a child; the peak of the summed PSS of its process tree, and its time."""
    t = time.perf_counter()
    proc = cli(args)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _pss_mb(_tree(proc.pid)))
        time.sleep(0.5)
    err = proc.stderr.read().decode()
    return {"code": proc.returncode, "seconds": time.perf_counter() - t, "peak_pss_mb": peak, "stderr": err[-500:]}


def bench_oneline(size: int) -> dict:
    path = HERE / "out" / f"oneline-{size_label(size)}.txt"
    if not path.exists():
        fresh_text.write_one_line(path, size)
    out = HERE / "out" / "oneline.jsonl"
    proc = subprocess.run([sys.executable, "-c", ONELINE_CHILD, str(path), str(out), str(ROOT)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"oneline failed:\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    rows = sum(1 for _ in open(out, encoding="utf-8"))
    res.update(mode="oneline", file=f"{path.stat().st_size / 2**20:.0f} MB, one line", rows=rows,
               grew_mb=res["peak_mb"] - res["base_mb"])
    out.unlink(missing_ok=True)
    return res


def bench_corpus(size: int) -> dict:
    folder = HERE / "out" / f"fresh-{size_label(size)}"
    if not folder.exists():
        tmp = folder.with_name(folder.name + ".part")
        fresh_text.write_corpus(tmp, size)
        tmp.rename(folder)
    tiny = HERE / "out" / "fresh-16KB"
    if not tiny.exists():
        fresh_text.write_corpus(tiny, 16 * 1024)
    base = run_sampled([str(tiny), "-o", str(HERE / "out" / "tiny.parquet"), "--workers", "2"])
    big = run_sampled([str(folder), "-o", str(HERE / "out" / "fresh.parquet"), "--workers", "2"])
    nbytes = sum(p.stat().st_size for p in folder.rglob("*.txt"))
    return {"mode": "corpus", "file": f"{nbytes / 2**20:.0f} MB in {sum(1 for _ in folder.rglob('*.txt'))} files",
            "code": big["code"], "seconds": big["seconds"], "base_mb": base["peak_pss_mb"],
            "peak_mb": big["peak_pss_mb"], "grew_mb": big["peak_pss_mb"] - base["peak_pss_mb"],
            "stderr": big["stderr"]}


def _fault_corpus(size: int = 2 * 1024 * 1024) -> Path:
    folder = HERE / "out" / f"fresh-{size_label(size)}"
    if not folder.exists():
        fresh_text.write_corpus(folder, size)
    return folder


def _reference(folder: Path) -> Path:
    ref = HERE / "out" / ("fault-ref.parquet" if folder.name == "fresh-2MB" else f"ref-{folder.name}.parquet")
    if not ref.exists():
        proc = cli([str(folder), "-o", str(ref), "--workers", "2"])
        proc.wait()
    return ref


def _check(out: Path, folder: Path, ref: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from extract.run.files import iter_input_files
    from extract.run.manifest import read_manifest
    from extract.tableio import read_table

    manifest = read_manifest(out.with_name(out.stem + ".manifest.csv"))
    table, expected = read_table(out), read_table(ref)
    paths = [r["path"] for r in manifest]
    per_doc = table.groupby("doc").size().to_dict()
    return {"files_once": paths == [str(p) for p in iter_input_files([folder])],
            "claims_match": all(per_doc.get(str(Path(r["path"]).relative_to(folder)), 0) == r["claims"]
                                for r in manifest),
            "ids_unique": bool(table["claim_id"].is_unique),
            "rows_equal": table.sort_values("claim_id").reset_index(drop=True).equals(
                expected.sort_values("claim_id").reset_index(drop=True)),
            "failed": sum(r["status"] != "ok" for r in manifest)}


def bench_faults(runs: int, seed: int = 14) -> list[dict]:
    folder = _fault_corpus()
    ref = _reference(folder)
    rng = random.Random(seed)
    out_rows = []
    for i in range(3 * runs):
        if sum(r["killed"] for r in out_rows) >= runs:
            break                                    # `runs` runs with a worker killed
        out = HERE / "out" / f"fault-{i}.parquet"
        proc = cli([str(folder), "-o", str(out), "--workers", "2"])
        victim = None
        while proc.poll() is None and victim is None:       # wait for the pool's workers
            # pool workers: the fork server's children (they carry its command line)
            servers = [p for p in _tree(proc.pid)[1:] if "forkserver" in _cmd(p) and _ppid(p) == proc.pid]
            workers = [p for p in _tree(proc.pid)[1:] if _ppid(p) in servers]
            if len(workers) >= 2:
                time.sleep(rng.uniform(0.0, 1.0))
                workers = [p for p in workers if p in _tree(proc.pid)]
                if workers:
                    try:
                        os.kill(rng.choice(workers), signal.SIGKILL)
                        victim = True
                    except ProcessLookupError:       # it ended meanwhile: pick again
                        pass
            time.sleep(0.05)
        proc.wait()
        res = {"run": i, "code": proc.returncode, "killed": victim is not None}
        res.update(_check(out, folder, ref) if proc.returncode in (0, 1) else {"stderr": proc.stderr.read().decode()[-800:]})
        out_rows.append(res)
        print(json.dumps(res), file=sys.stderr, flush=True)
    return out_rows


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _cmd(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def bench_mainkill(runs: int, seed: int = 15, resume: bool = False, scheduler: str | None = None,
                   size: int = 32 * 1024 * 1024) -> list[dict]:
    """With `scheduler` ("local"): the Dask path, -o a folder of parts. Runs go on until `runs`
    of them were killed before they finished (a run that ended first does not count)."""
    import shutil

    folder = _fault_corpus(size)
    ref = _reference(folder) if resume else None
    rng = random.Random(seed)
    rows = []
    extra = ["--scheduler", scheduler] if scheduler else []
    for i in range(3 * runs):
        if sum(not r["finished_before_kill"] for r in rows) >= runs:
            break
        work = HERE / "out" / f"kill-{i}"
        shutil.rmtree(work, ignore_errors=True)            # nothing of an earlier bench run counted
        work.mkdir(parents=True, exist_ok=True)
        out = work / ("parts" if scheduler else "t.parquet")
        env, tag = _env_tag()
        proc = cli([str(folder), "-o", str(out), "--workers", "2", *extra], env=env)
        while proc.poll() is None and len(_tree(proc.pid)) < 4:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.5, 8.0))
        finished = proc.poll() is not None
        journal = Path(f"{out}.partial") / "manifest.jsonl"
        journaled = sum(1 for _ in open(journal, encoding="utf-8")) if journal.exists() else 0
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        time.sleep(5)
        left = _tagged(tag)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        state = Path(f"{out}.partial")
        tmps = [p for p in work.rglob("*") if p.name.endswith(".tmp")]
        res = {"run": i, "finished_before_kill": finished, "files_done_at_kill": journaled,
               "processes_left": len(left),
               "tmp_files": sum(state not in p.parents for p in tmps),     # beside the output
               "tmp_in_state": sum(state in p.parents for p in tmps)}     # in OUT.partial/ (removed by the next run)
        if resume:
            again = cli([str(folder), "-o", str(out), "--workers", "2", "--resume", *extra])
            again.wait()
            res["resume_code"] = again.returncode
            res["tmp_after_resume"] = len([p for p in work.rglob("*") if p.name.endswith(".tmp")])
            res.update(_check(out, folder, ref) if again.returncode in (0, 1) else
                       {"stderr": again.stderr.read().decode()[-800:]})
        rows.append(res)
        print(json.dumps(res), file=sys.stderr, flush=True)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=parse_size, default=parse_size("500MB"))
    ap.add_argument("--encoding", default="utf-8", help="utf-8, gb18030, utf-16, ...")
    ap.add_argument("--modes", default="read,extract")
    ap.add_argument("--keep-output", action="store_true", help="keep the JSONL table written by extract")
    ap.add_argument("--oneline-size", type=parse_size, default=parse_size("25MB"))
    ap.add_argument("--corpus-size", type=parse_size, default=parse_size("500MB"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--kill-corpus-size", type=parse_size, default=parse_size("32MB"),
                    help="the corpus mainkill and resume interrupt (fresh text)")
    ap.add_argument("--scheduler", default=None,
                    help="mainkill and resume on the Dask path (`local`: --scheduler local)")
    args = ap.parse_args(argv)
    modes = args.modes.split(",")
    (HERE / "out").mkdir(exist_ok=True)
    new = [m for m in modes if m in ("oneline", "corpus", "faults", "mainkill", "resume")]
    if new:
        for mode in new:
            if mode in ("oneline", "corpus"):
                res = bench_oneline(args.oneline_size) if mode == "oneline" else bench_corpus(args.corpus_size)
                print(json.dumps(res), file=sys.stderr)
                print(f"| {mode} | {res['file']} | {res['seconds']:.0f} s | exit {res['code']} | "
                      f"start-up {res['base_mb']:.0f} MB | peak {res['peak_mb']:.0f} MB | grew {res['grew_mb']:.0f} MB |",
                      flush=True)
            else:
                rows = (bench_faults(args.runs) if mode == "faults" else
                        bench_mainkill(args.runs, resume=mode == "resume", scheduler=args.scheduler,
                                       size=args.kill_corpus_size))
                for row in rows:
                    print(f"| {mode} | " + " | ".join(f"{k}={v}" for k, v in row.items() if k != "stderr") + " |",
                          flush=True)
        return 0

    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    path = make_big_file(out_dir / f"big-{size_label(args.size)}-{args.encoding}.txt", args.size, args.encoding)
    nbytes = path.stat().st_size
    table_out = out_dir / f"big-{size_label(args.size)}-{args.encoding}.jsonl"
    print(f"file: {path.name}, {nbytes / 2**20:.0f} MB ({args.encoding})", file=sys.stderr)
    print("| mode | file | seconds | MB/s | claims | peak RSS MB | grew MB |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for mode in args.modes.split(","):
        res = run(mode, path, table_out)
        print(f"| {mode} | {nbytes / 2**20:.0f} MB {args.encoding} | {res['seconds']:.1f} | "
              f"{nbytes / 2**20 / res['seconds']:.1f} | {res['claims']} | {res['peak_mb']:.0f} | "
              f"{res['peak_mb'] - res['base_mb']:.0f} |", flush=True)
        print(json.dumps(res), file=sys.stderr)
        if res["status"] != "ok":
            return 1
    if not args.keep_output:
        table_out.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
