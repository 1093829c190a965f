"""The `indicators` command: extract tables from texts, and open the dashboard."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .table import COLUMNS, write_table


def cmd_extract(args) -> int:
    from .runner import run_files

    rows, failed, total = [], 0, 0
    for result in run_files(args.paths):
        total += 1
        if result.ok:
            rows.extend(result.rows)
        else:
            failed += 1
            print(f"indicators: {result.path}: {result.status}: {result.reason}", file=sys.stderr)
    write_table(rows, args.output)
    print(f"{len(rows)} claims from {total - failed} of {total} files -> {args.output}", file=sys.stderr)
    return 1 if failed else 0


def cmd_columns(args) -> int:
    for name, meaning in COLUMNS.items():
        print(f"{name}\t{meaning}")
    return 0


def cmd_dashboard(args) -> int:
    import subprocess

    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.port", str(args.port), "--", "--table", str(args.table)]
    return subprocess.call(cmd)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="indicators", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract claims from text files or folders into a table")
    ex.add_argument("paths", nargs="+", help="text files or folders (searched recursively)")
    ex.add_argument("-o", "--output", required=True, help="table to write: .csv, .parquet or .jsonl")
    ex.set_defaults(func=cmd_extract)

    co = sub.add_parser("columns", help="list the table's columns and what they mean")
    co.set_defaults(func=cmd_columns)

    da = sub.add_parser("dashboard", help="open the dashboard on a table")
    da.add_argument("--table", default="out/seeds.parquet", help="table written by `indicators extract`")
    da.add_argument("--port", type=int, default=8501)
    da.set_defaults(func=cmd_dashboard)
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
