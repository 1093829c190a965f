"""The `indicators` command: extract tables from texts, and open the dashboard."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .rulefiles import RuleError, check_all
from .table import COLUMNS


def cmd_extract(args) -> int:
    """Check the rule files, then extract; a broken rule file stops the run before any input is read."""
    workers = getattr(args, "workers", None)
    if workers is not None and workers < 1:
        print("indicators: --workers must be 1 or more", file=sys.stderr)
        return 2
    try:
        check_all()
        return _extract(args)
    except RuleError as exc:
        print(f"indicators: RuleError: {exc}", file=sys.stderr)
        return 2


def _extract(args) -> int:
    from .run.cluster import run_dask
    from .run.manifest import ManifestWriter, default_manifest_path
    from .run.pool import run_parallel
    from .tableio import TableWriter

    manifest = args.manifest or default_manifest_path(args.output)
    workers, scheduler = getattr(args, "workers", None), getattr(args, "scheduler", None)
    if scheduler:   # -o is a folder of Parquet part files, written by the Dask workers
        try:
            log = ManifestWriter(manifest)
        except (ValueError, OSError) as exc:
            print(f"indicators: {exc}", file=sys.stderr)
            return 2
        with log:
            try:
                entries = run_dask(args.paths, scheduler, args.output, local_workers=workers)
            except (OSError, TimeoutError, ValueError) as exc:   # no scheduler there, a bad address
                print(f"indicators: Dask scheduler {scheduler}: {exc}", file=sys.stderr)
                return 2
            for entry in entries:
                log.write(entry)
                if entry["status"] != "ok":
                    print(f"indicators: {entry['path']}: {entry['status']}: {entry['reason']}", file=sys.stderr)
        print(f"{sum(e['claims'] for e in entries)} claims from {log.total - log.failed} of {log.total} files"
              f" -> {args.output}/part-*.parquet (manifest: {manifest})", file=sys.stderr)
        return 1 if log.failed else 0
    try:
        table, log = TableWriter(args.output), ManifestWriter(manifest)
    except (ValueError, OSError) as exc:
        print(f"indicators: {exc}", file=sys.stderr)
        return 2
    with table, log:
        for result in run_parallel(args.paths, workers=workers, sink=table.write):
            log.write(result)
            if not result.ok:
                print(f"indicators: {result.path}: {result.status}: {result.reason}", file=sys.stderr)
    print(f"{table.rows} claims from {log.total - log.failed} of {log.total} files -> {args.output}"
          f" (manifest: {manifest})", file=sys.stderr)
    return 1 if log.failed else 0


def cmd_columns(args) -> int:
    for name, meaning in COLUMNS.items():
        print(f"{name}\t{meaning}")
    return 0


def cmd_dashboard(args) -> int:
    import subprocess

    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    # Options on the command line, not only in .streamlit/config.toml: Streamlit reads that file
    # from the current directory, which `indicators dashboard` leaves unchanged.
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
           "--server.maxUploadSize", "5",
           "--server.port", str(args.port), "--server.address", "0.0.0.0" if args.public else args.address,
           "--", "--table", str(args.table)]
    for folder in args.docs or []:
        cmd += ["--docs", str(folder)]
    return subprocess.call(cmd)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="indicators", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract claims from text files or folders into a table")
    ex.add_argument("paths", nargs="+", help="text files or folders (searched recursively)")
    ex.add_argument("-o", "--output", required=True,
                    help="table to write: .csv, .parquet or .jsonl; with --scheduler, a folder that "
                         "receives partitioned Parquet (part-00000.parquet, ...)")
    ex.add_argument("--workers", type=int, default=None, metavar="N",
                    help="processes to extract with (default: all cores; 1 = in this process); "
                         "with --scheduler local, the number of local Dask workers")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="run on a Dask cluster: a scheduler address such as tcp://127.0.0.1:8786, or "
                         "'local' to start one on this machine; -o is then a folder of partitioned "
                         "Parquet, and workers must see the input and output paths")
    ex.add_argument("--manifest", metavar="FILE",
                    help="what became of each input file, .csv or .jsonl (default: <output stem>"
                         ".manifest.csv beside the output); the exit status is 1 if any file failed")
    ex.set_defaults(func=cmd_extract)

    co = sub.add_parser("columns", help="list the table's columns and what they mean")
    co.set_defaults(func=cmd_columns)

    da = sub.add_parser("dashboard", help="open the dashboard on a table")
    da.add_argument("--table", default="out/seeds.parquet", help="table written by `indicators extract`")
    da.add_argument("--port", type=int, default=8501)
    da.add_argument("--address", default="127.0.0.1",
                    help="interface to listen on (default 127.0.0.1: this machine only)")
    da.add_argument("--public", action="store_true",
                    help="listen on every interface (0.0.0.0), so other machines can open the dashboard")
    da.add_argument("--docs", action="append", metavar="DIR",
                    help="folder holding the source texts, to show articles (default: seeds/); repeatable")
    da.set_defaults(func=cmd_dashboard)
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
