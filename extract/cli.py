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


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the run is, so that its clean-up runs as for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


def _trap_signals() -> dict:
    """SIGTERM and SIGHUP raise Interrupted (in the main thread; elsewhere nothing is changed)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _raise_interrupted) for sig in (signal.SIGTERM, signal.SIGHUP)}


def _restore_signals(saved: dict) -> None:
    import signal

    for sig, handler in saved.items():
        signal.signal(sig, handler)


class _Progress:
    """Files done of all, claims, rate and time left on stderr, when stderr is a terminal (tqdm)."""

    def __init__(self, total: int, done: int = 0, claims: int = 0):
        self.claims = claims
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit="files", file=sys.stderr, dynamic_ncols=True,
                            mininterval=0.5, smoothing=0.1)
            self.bar.set_postfix_str(f"claims={claims}", refresh=False)

    def update(self, result) -> None:
        self.claims += result.claims
        if self.bar is not None:
            self.bar.set_postfix_str(f"claims={self.claims}", refresh=False)
            self.bar.update(1)

    def say(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _extract(args) -> int:
    from concurrent.futures.process import BrokenProcessPool

    from .run.files import OutputError
    from .run.manifest import default_manifest_path
    from .run.state import (EXIT_FILES_FAILED, EXIT_OK, EXIT_OUTPUT, EXIT_RUN_FAILED, EXIT_USAGE, Run,
                           RunError, check_output)

    manifest = args.manifest or default_manifest_path(args.output)
    workers, scheduler = getattr(args, "workers", None), getattr(args, "scheduler", None)
    if workers is not None and workers < 1:
        print("indicators: --workers must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    run_with = {}
    if getattr(args, "meta", None):
        from functools import partial

        from .reading.metadata import SidecarError, read_sidecar
        from .run.files import process_file
        try:
            read_sidecar(args.meta)        # a broken --meta file stops the run before it starts
        except SidecarError as exc:
            print(f"indicators: --meta: {exc}", file=sys.stderr)
            return EXIT_USAGE
        run_with["func"] = partial(process_file, meta_file=str(Path(args.meta).resolve()))
    # Everything about the output is checked, and the output locked, before any input is read.
    run = Run(args.output, manifest, args.paths, resume=getattr(args, "resume", False),
              partitioned=bool(scheduler))
    try:
        check_output(args.output, manifest, partitioned=bool(scheduler))
        run.open()
    except RunError as exc:
        print(f"indicators: {exc}", file=sys.stderr)
        return exc.code
    saved = _trap_signals()
    try:
        record = (_extract_dask(args, run, scheduler, workers, run_with) if scheduler
                  else _extract_pool(args, run, workers, run_with))
    except RunError as exc:
        run.abort()
        print(f"indicators: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt as exc:          # Ctrl-C, or SIGTERM/SIGHUP (Interrupted)
        import signal

        signum = getattr(exc, "signum", signal.SIGINT)
        run.abort()
        print(f"indicators: stopped by signal {signum}: {args.output} is incomplete; "
              f"`--resume` continues the run", file=sys.stderr)
        return 128 + signum
    except OutputError as exc:
        run.abort(keep_work=False)
        print(f"indicators: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except OSError as exc:                    # the output, at its end (the inputs never raise)
        run.abort(keep_work=False)
        print(f"indicators: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except BrokenProcessPool as exc:
        run.abort()
        print(f"indicators: the worker processes kept dying, the run stopped: {exc}; "
              f"`--resume` continues it", file=sys.stderr)
        return EXIT_RUN_FAILED
    finally:
        _restore_signals(saved)
    target = f"{args.output}/part-*.parquet" if scheduler else args.output
    print(f"{record['rows']} claims from {record['ok']} of {record['files']} files -> {target}"
          f" (manifest: {manifest})", file=sys.stderr)
    return EXIT_FILES_FAILED if record["failed"] else EXIT_OK


def _extract_pool(args, run, workers, run_with: dict) -> dict:
    from .run.files import iter_input_files
    from .run.pool import run_parallel

    files = list(iter_input_files(args.paths))
    todo = run.todo(files)
    done = len(files) - len(todo)
    progress = _Progress(len(files), done, sum(int(r.get("claims", 0) or 0) for r in run.done.values()))
    if run.resumed:
        progress.say(f"indicators: resuming: {done} of {len(files)} files were done")
    try:
        for result in run_parallel(todo, workers=workers, sink=run.add_rows, **run_with):
            run.file_done(result)
            progress.update(result)
            if result.failed:
                progress.say(f"indicators: {result.path}: {result.status}: {result.reason}")
    finally:
        progress.close()
    return run.finish()


def _extract_dask(args, run, scheduler, workers, run_with: dict) -> dict:
    import json

    from .run.cluster import run_dask
    from .run.state import FOLDER_RECORD, RunError

    done = run.done_batches() if run.resumed else {}
    if run.resumed:
        print(f"indicators: resuming: {sum(len(e) for e in done.values())} files in {len(done)} batches "
              "were done", file=sys.stderr)
    try:
        entries = run_dask(args.paths, scheduler, args.output, local_workers=workers, done=done,
                           on_batch=run.batch_done, **run_with)
    except (OSError, TimeoutError, ValueError) as exc:   # no scheduler there, a bad address
        raise RunError(2, f"Dask scheduler {scheduler}: {exc}") from exc
    run.done = {}
    for seq, entry in enumerate(entries):
        run.done[seq] = {k: v for k, v in entry.items() if k not in ("seq", "part")}
        if entry["status"] not in ("ok", "skipped"):
            print(f"indicators: {entry['path']}: {entry['status']}: {entry['reason']}", file=sys.stderr)
    own = json.loads((Path(args.output) / FOLDER_RECORD).read_text(encoding="utf-8"))
    return run.finish(parts=own["parts"])


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
    ex.add_argument("--meta", metavar="FILE",
                    help="document metadata for the inputs: CSV or JSON lines, one record per text file "
                         "keyed by file name (doc, outlet, date, url, page, title); default: a sources.csv, "
                         "metadata.csv or meta.jsonl found beside the texts")
    ex.add_argument("--resume", action="store_true",
                    help="continue an interrupted run of the same inputs into the same output "
                         "(its state is in <output>.partial/); the table is then the one an "
                         "uninterrupted run writes")
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
