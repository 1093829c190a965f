"""Traditional characters read as simplified ones, character for character, so offsets hold.

Archives and reposts often carry 繁體 text (內蒙古巴彥淖爾市…). The extractor's rules and
division names are simplified; jionlp's one-to-one character table (tra2sim, mode="char")
maps the text for reading, while every row still quotes the original characters.
"""
from __future__ import annotations

from functools import lru_cache

import regex

TRADITIONAL_SHARE = 0.02   # convert when this share of the Han characters is traditional-only
_HAN = regex.compile(r"\p{Han}")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    import jionlp

    jionlp.tra2sim("", mode="char")      # loads the table
    converter = jionlp.tra2sim.__self__ if hasattr(jionlp.tra2sim, "__self__") else None
    table = dict(converter.tra2sim_char) if converter is not None else {}
    # characters that are also ordinary simplified characters stay as they are
    return {t: s for t, s in table.items() if t != s and len(s) == 1}


def for_reading(text: str) -> str:
    """`text` with traditional characters replaced by simplified ones (same length), or `text`."""
    table = _table()
    if not table:
        return text
    han = len(_HAN.findall(text[:20000])) or 1
    traditional = sum(1 for ch in text[:20000] if ch in table)
    if traditional / han < TRADITIONAL_SHARE:
        return text
    return text.translate(str.maketrans(table))
