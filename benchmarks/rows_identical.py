"""Write the tables of every gold set's texts and of a 10 MB benchmark corpus, or compare two such runs.

A change that must not change the rows (a restructure, a speed-up) is checked by running this
before and after it and comparing the two folders byte for byte:

    python benchmarks/rows_identical.py write /tmp/rows_before      # on the code before
    python benchmarks/rows_identical.py write /tmp/rows_after       # on the code after
    python benchmarks/rows_identical.py compare /tmp/rows_before /tmp/rows_after

Each set is extracted through the command line (`indicators extract ... --workers 1`), as a
user would, into CSV, JSON Lines and Parquet, with its manifest; every file must match byte
for byte (claim_id included), except what differs between any two runs of the same code (see
`same`). The corpus is made by make_corpus.py (same seed, same bytes)
under the output folder's parent, and reused.
"""
from __future__ import annotations

import argparse
import filecmp
import hashlib
import io
import json
import sys
from contextlib import redirect_stderr
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from make_corpus import make_corpus  # noqa: E402

SHARED = Path("/work/shared")
SETS = {
    "seeds": [SHARED / "seeds"],
    "corpus": [SHARED / "corpus"],
    "pages": [SHARED / "pages"],
    "fresh": [ROOT / "tests" / "data" / "fresh" / "docs"],
}
FORMATS = (".csv", ".jsonl", ".parquet")
CORPUS_BYTES = 10 * 1024 * 1024


def corpus_dir(out: Path) -> Path:
    """The 10 MB benchmark corpus beside `out`, made once (a marker says it is whole)."""
    corpus = out.parent / "rows_identical_corpus-10MB"
    marker = corpus / ".complete"
    if not marker.exists():
        make_corpus(corpus, CORPUS_BYTES)
        marker.write_text("ok")
    return corpus


def write(out: Path) -> dict[str, int]:
    """Every set's tables into `out`; returns the row count per set."""
    from extract.cli import main

    out.mkdir(parents=True, exist_ok=True)
    sets = dict(SETS, bench10MB=[corpus_dir(out)])
    counts = {}
    for name, dirs in sets.items():
        for suffix in FORMATS:
            table = out / f"{name}{suffix}"
            with redirect_stderr(io.StringIO()) as err:
                status = main(["extract", *map(str, dirs), "-o", str(table), "--workers", "1",
                               "--manifest", str(out / f"{name}{suffix}.manifest.csv")])
            if status not in (0, 1):
                raise SystemExit(f"{name}: exit {status}: {err.getvalue()}")
        counts[name] = sum(1 for _ in open(out / f"{name}.jsonl", encoding="utf-8"))
    (out / "counts.json").write_text(json.dumps(counts, indent=1))
    (out / "root.json").write_text(json.dumps(str(ROOT)))     # the checkout, for comparing manifests
    return counts


#: fields of a completion record (<table>.run.json) that differ between any two runs
VOLATILE = ("output", "manifest", "started", "finished")


def same(a: Path, b: Path) -> bool:
    """Whether two outputs of the same set agree: byte for byte, except where two runs of the
    same code differ anyway. A completion record is compared without its paths and times; a
    manifest with each run's repository folder taken out of its paths (tests/data/fresh lies in
    the checkout); a Parquet table by its rows and schema, metadata included (its row groups
    follow the run state's commit times)."""
    if filecmp.cmp(a, b, shallow=False):
        return True
    if a.name.endswith(".run.json"):
        ja, jb = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
        return {k: v for k, v in ja.items() if k not in VOLATILE} == \
            {k: v for k, v in jb.items() if k not in VOLATILE}
    if a.name.endswith(".manifest.csv"):
        ra, rb = (json.loads((p.parent / "root.json").read_text()) if (p.parent / "root.json").exists() else ""
                  for p in (a, b))
        return bool(ra) and a.read_text(encoding="utf-8").replace(ra, "") == b.read_text(encoding="utf-8").replace(rb, "")
    if a.suffix == ".parquet":
        import pyarrow.parquet as pq

        ta, tb = pq.read_table(a), pq.read_table(b)
        return ta.schema.equals(tb.schema, check_metadata=True) and ta.equals(tb)
    return False


def compare(before: Path, after: Path) -> int:
    names = sorted(p.name for p in before.iterdir() if p.is_file() and p.name != "root.json")
    missing = [n for n in names if not (after / n).exists()]
    differ = [n for n in names if n not in missing and not same(before / n, after / n)]
    counts = json.loads((before / "counts.json").read_text())
    for n in names:
        digest = hashlib.sha1((before / n).read_bytes()).hexdigest()[:12]
        print(f"{n}\t{'MISSING' if n in missing else 'DIFFERS' if n in differ else 'same'}\t{digest}")
    print("rows per set:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    if missing or differ:
        print(f"NOT identical: {len(differ)} differ, {len(missing)} missing")
        return 1
    print(f"identical: {len(names)} files")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.command == "write":
        print(write(args.out))
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
