"""Traditional characters read as simplified ones, character for character, so offsets hold.

Archives and reposts often carry 繁體 text (內蒙古巴彥淖爾市…). The extractor's rules and
division names are simplified; jionlp's one-to-one character table (tra2sim, mode="char")
maps the text for reading, while every row still quotes the original characters.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..diskcache import load_or_build, package_dir
from ..libs import quiet_import
from ..rulefiles import rows

TRADITIONAL_SHARE = 0.02   # convert when this share of the Han characters is traditional-only
SAMPLE = 4000              # characters looked at to decide
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """traditional -> simplified, kept in the disk cache (extract/diskcache.py) while jionlp's
    character table is unchanged, so that a process does not import jionlp to read text."""
    jionlp = package_dir("jionlp")
    if jionlp is None:
        return {}
    # the one file the table is read from: jionlp unzips its other dictionaries into the same
    # folder when it is first imported, which must not count as a change
    return load_or_build("traditional_table", [jionlp / "dictionary" / "tra2sim_char.txt"], build_table)


def build_table() -> dict[str, str]:
    """The table built from jionlp's character table and rules/simplified_also.txt."""
    jionlp = quiet_import("jionlp")

    jionlp.tra2sim("", mode="char")      # loads the table
    converter = jionlp.tra2sim.__self__ if hasattr(jionlp.tra2sim, "__self__") else None
    table = dict(converter.tra2sim_char) if converter is not None else {}
    # characters that are also ordinary simplified characters stay as they are
    also = {r[0] for r in rows("simplified_also.txt")}
    return {t: s for t, s in table.items() if t != s and len(s) == 1 and t not in also}


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern:
    return re.compile("[" + re.escape("".join(sorted(_table()))) + "]")


@lru_cache(maxsize=1)
def _mapper() -> dict[int, str]:
    return str.maketrans(_table())


def for_reading(text: str) -> str:
    """`text` with traditional characters replaced by simplified ones (same length), or `text`."""
    table = _table()
    if not table:
        return text
    sample = text[:SAMPLE]
    # simplified text (nearly every page) stops at this search, before anything is counted
    if _traditional_re().search(sample) is None:
        return text
    traditional = len(_traditional_re().findall(sample))
    han = len(_HAN.findall(sample)) or 1
    if traditional / han < TRADITIONAL_SHARE:
        return text
    return text.translate(_mapper())
