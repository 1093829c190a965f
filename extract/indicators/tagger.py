"""The part-of-speech tagger (jiojio, the segmenter jionlp uses), loaded once per process.

Loading takes seconds and a lot of memory, so it never happens at import: `load()` loads it
on first use (or ahead, in a process that is about to extract: run/runtime.warm_up), behind
a lock so that two threads never load it twice; `is_loaded()` says whether it is there.
"""
from __future__ import annotations

import ctypes
import re
import threading
from functools import lru_cache
from typing import Callable

from ..libs import collector_paused, quiet_import

_LOCK = threading.Lock()
_cut: Callable | None = None
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def load() -> Callable:
    """The tagger's cut function (text -> [(word, tag), ...]), loaded on the first call."""
    global _cut
    if _cut is None:
        with _LOCK:
            if _cut is None:
                jiojio = quiet_import("jiojio")
                with collector_paused():
                    jiojio.init(pos=True)
                _cut = jiojio.cut
    return _cut


def is_loaded() -> bool:
    return _cut is not None


@lru_cache(maxsize=65536)
def tag(text: str) -> tuple[tuple[str, str], ...]:
    """Words and part-of-speech tags of a short window. The tagger's C core rejects NUL and
    control characters, so they are blanked; should it fail anyway, the window has no words
    (the claim keeps no indicator rather than stopping the corpus)."""
    if not text:
        return ()
    try:
        return tuple((w, t) for w, t in load()(_CONTROL.sub(" ", text)))
    except (ValueError, TypeError, IndexError, ctypes.ArgumentError):
        return ()
