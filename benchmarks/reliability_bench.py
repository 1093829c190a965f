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
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from make_corpus import parse_size, seed_paragraphs, size_label  # noqa: E402

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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=parse_size, default=parse_size("500MB"))
    ap.add_argument("--encoding", default="utf-8", help="utf-8, gb18030, utf-16, ...")
    ap.add_argument("--modes", default="read,extract")
    ap.add_argument("--keep-output", action="store_true", help="keep the JSONL table written by extract")
    args = ap.parse_args(argv)

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
