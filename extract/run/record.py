"""The completion record of a run, and the check readers make with it (extract.run.state
writes it; extract.tableio.read_table reads it): an output whose run did not finish is refused."""
from __future__ import annotations

import json
from pathlib import Path

RECORD_SUFFIX = ".run.json"     # OUT.run.json beside a table file
FOLDER_RECORD = "_run.json"     # OUT/_run.json in a folder of Parquet parts


class IncompleteOutput(ValueError):
    """An output whose run has not finished (interrupted, or still running)."""


def partial_dir(output: str | Path) -> Path:
    return Path(f"{output}.partial")


def record_path(output: str | Path) -> Path:
    """Where the completion record of a run writing `output` goes."""
    output = Path(output)
    return output / FOLDER_RECORD if output.is_dir() else Path(f"{output}{RECORD_SUFFIX}")


def check_complete(output: str | Path) -> dict | None:
    """The completion record of `output`, None for a table no run wrote (write_table's);
    IncompleteOutput if a run that writes it was interrupted or is running, or if it is a
    folder of parts without its record."""
    output = Path(output)
    state = partial_dir(output) / "state.json"
    if state.exists():
        raise IncompleteOutput(
            f"{output} is incomplete: the run writing it was interrupted or is still running "
            f"(its state is in {state.parent}); finish it with `indicators extract ... --resume` "
            "or run it again")
    record = record_path(output)
    if not record.exists():
        if output.is_dir():
            raise IncompleteOutput(f"{output} is incomplete: no completion record {FOLDER_RECORD} "
                                   "(the run writing it did not finish)")
        return None
    return json.loads(record.read_text(encoding="utf-8"))
