"""Instructions per character of one pass over the unique corpus, counted by valgrind's callgrind:
the extractor (caches emptied per file, as extract_bench.py --unique) and the bare digit scan.

CPU seconds on this shared VM move by a third between runs of the same code (the host's load
changes the clock a core gets), which hides a change of a few per cent. Instructions do not:
the same code on the same input counts the same to within a few hundredths of a per cent, so
this is the figure to compare two commits by, and its ratio extract / bare scan is the issue's
"times the bare scan" without the noise. (Instructions are not time: a cache miss costs more
than an add. Report seconds from extract_bench.py beside these.)

Only the measured pass is counted: each child loads the extractor, extracts every file once
(so lazy patterns are compiled), then runs the measured pass through itertools.starmap, and
callgrind collects only inside starmap's next function (--toggle-collect=starmap_next), which
the extractor never calls itself (checked below).

    python benchmarks/instructions.py                # the unique corpus, 1 pass
    python benchmarks/instructions.py --corpus DIR   # any folder of .txt files
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD_EXTRACT = """
import itertools, sys
sys.path.insert(0, {here!r})
from pathlib import Path
import extract_bench
files = sorted(Path({corpus!r}).glob("*.txt"))
run = extract_bench.cold_process_file()
from extract.run.runtime import warm_up
warm_up(everything=True)
for f in files:
    run(f)
for _ in itertools.starmap(run, [(f,) for f in files]):
    pass
"""

CHILD_SCAN = """
import itertools, re
from pathlib import Path
files = sorted(Path({corpus!r}).glob("*.txt"))
digits = re.compile(r"\\d+")
def scan(path):
    return sum(1 for _ in digits.finditer(path.read_bytes().decode("utf-8-sig")))
for f in files:
    scan(f)
for _ in itertools.starmap(scan, [(f,) for f in files]):
    pass
"""


def _uses_starmap() -> list[str]:
    return [str(p.relative_to(ROOT)) for p in (ROOT / "extract").rglob("*.py")
            if "starmap" in p.read_text(encoding="utf-8")]


def _version() -> str:
    """The commit measured, with +changes when extract/ differs from it."""
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain", "extract") else "")


def count(child: str) -> int:
    """Instructions callgrind collects inside itertools.starmap while `child` runs."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "child.py"
        script.write_text(child, encoding="utf-8")
        # this checkout's extract/, also where the venv's editable install points elsewhere
        env = dict(os.environ, PYTHONHASHSEED="0",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        proc = subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=starmap_next",
                               "--collect-atstart=no", f"--callgrind-out-file={tmp}/out",
                               sys.executable, str(script)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", help="a folder of .txt files (default: one pass of the unique corpus)")
    args = ap.parse_args(argv)
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode != 0:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    if _uses_starmap():
        raise SystemExit(f"the extractor calls itertools.starmap ({', '.join(_uses_starmap())}): "
                         "the measured region would be cut short")
    if args.corpus:
        corpus = Path(args.corpus)
    else:
        sys.path.insert(0, str(HERE))
        from extract_bench import ensure_unique
        corpus = ensure_unique(HERE / "out", 1) / "p00"
    chars = sum(len(p.read_text(encoding="utf-8-sig")) for p in corpus.glob("*.txt"))
    head = _version()          # before the runs: the code they measure
    extract = count(CHILD_EXTRACT.format(here=str(HERE), corpus=str(corpus)))
    scan = count(CHILD_SCAN.format(corpus=str(corpus)))
    print(f"commit {head}, {corpus}: {chars:,} characters")
    print("| run | instructions | per character | vs bare scan |")
    print("| --- | --- | --- | --- |")
    print(f"| bare scan | {scan:,} | {scan / chars:,.0f} | 1x |")
    print(f"| extract, caches emptied per file | {extract:,} | {extract / chars:,.0f} | {extract / scan:.0f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
