"""Data built from large source files, kept on disk between runs so that a process starts fast.

The gazetteer is built from jionlp's division list, the official town list and the place rule
files; building it takes seconds, reading back what was built a fraction of that. An entry is
a pickle under the user's cache folder ($INDICATORS_CACHE, else $XDG_CACHE_HOME or ~/.cache,
then grassroots-indicators/), stored with a fingerprint of everything it was built from: the
files the caller names (path, size, modification time), every file of the `extract` package
(its code and its rule files, wherever rulefiles.RULES points), and the versions of Python
and of this cache's format. Any change to one of them builds the entry again.

The cache can make a run faster, never different: an entry that is missing, stale, unreadable
or corrupt is built again, and a folder that cannot be written is simply not used.
`INDICATORS_CACHE=off` turns it off. Written by hand rather than with joblib.Memory or
diskcache because the key here is the state of source files, not a function's arguments, and
the whole job is twenty lines of pickle and os.replace.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")

FORMAT = 1
PACKAGE = Path(__file__).parent


def package_dir(name: str) -> Path | None:
    """The folder of an installed package, found without importing it (importing jionlp takes
    a while and prints a banner): where an entry's source files lie."""
    spec = importlib.util.find_spec(name)
    return Path(spec.origin).parent if spec is not None and spec.origin else None


def folder() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    env = os.environ.get("INDICATORS_CACHE", "")
    if env.lower() in ("off", "0", "no", "false"):
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "grassroots-indicators"


def _files(sources: Iterable[str | Path]) -> list[Path]:
    from .rulefiles import RULES   # read at call time: tests point it at a copy

    out = sorted(PACKAGE.rglob("*.py")) + sorted(p for p in Path(RULES).rglob("*") if p.is_file())
    for src in sources:
        src = Path(src)
        out.extend(sorted(p for p in src.rglob("*") if p.is_file()) if src.is_dir() else [src])
    return out


def fingerprint(sources: Iterable[str | Path]) -> str:
    """A hash of the state of every file the entry depends on (see the module's docstring)."""
    h = hashlib.sha256(f"{FORMAT}\x1f{sys.version}".encode())
    for path in _files(sources):
        try:
            st = path.stat()
            h.update(f"{path}\x1f{st.st_size}\x1f{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{path}\x1fmissing\n".encode())
    return h.hexdigest()


def load_or_build(name: str, sources: Iterable[str | Path], build: Callable[[], T]) -> T:
    """The entry `name` from the cache when its fingerprint matches, else build() (stored for
    the next run when the folder can be written)."""
    where = folder()
    if where is None:
        return build()
    key = fingerprint(sources)
    # one entry per checkout of the package, so that two checkouts do not overwrite each other's
    path = where / f"{name}-{hashlib.sha1(str(PACKAGE).encode()).hexdigest()[:8]}.pickle"
    try:
        with open(path, "rb") as fh:
            stored_key, value = pickle.load(fh)
        if stored_key == key:
            return value
    except Exception:       # missing, unreadable, corrupt or from another version: build again
        pass
    value = build()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        where.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:         # a folder that cannot be written: no cache, same result
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
    return value
