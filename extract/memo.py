"""Result caches for functions of sentence text, bounded in memory as well as in entries.

A reprinted paragraph repeats its sentences, so the period, kind and theme of a sentence's
claims are cached by its text. A sentence can be up to 2,000 characters long (a line without
punctuation is cut there), and an entry holds its key: 65,536 entries of long sentences would
hold a quarter of a gigabyte that grows with the length of the input's lines. Calls whose
text arguments are longer than `max_chars` therefore go to a second, small cache: it still
serves the claims of one long sentence after each other, and the memory of both stays
bounded (maxsize × max_chars, long_maxsize × the longest sentence).
"""
from __future__ import annotations

from functools import lru_cache, wraps
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

#: the longest text argument a cached call may have (the `sentence` column's own limit)
MAX_CHARS = 400


def short_text_cache(maxsize: int, max_chars: int = MAX_CHARS, long_maxsize: int = 64) -> Callable[[F], F]:
    """lru_cache(maxsize) for calls whose str arguments are all at most max_chars long; other
    calls go to an lru_cache(long_maxsize). cache_info and cache_clear are the large cache's
    (cache_clear empties both)."""
    def decorate(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize)(fn)
        cached_long = lru_cache(maxsize=long_maxsize)(fn)

        @wraps(fn)
        def call(*args):
            for arg in args:
                if isinstance(arg, str) and len(arg) > max_chars:
                    return cached_long(*args)
            return cached(*args)

        def clear() -> None:
            cached.cache_clear()
            cached_long.cache_clear()
        call.cache_info = cached.cache_info
        call.cache_clear = clear
        return call
    return decorate
