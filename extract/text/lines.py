"""The non-empty lines of a text, and which of them are headings.

Articles and sentences both read a page line by line; the lines and the heading test are
made here, once.
"""
from __future__ import annotations

import re
from typing import NamedTuple

SENTENCE_END = "。！？!?；;…"
HEADING_MAX = 40          # a heading is at most this many characters
_HEADING_BREAK = re.compile("[" + re.escape(SENTENCE_END + ",，") + "]")
# a line's text without the blanks around it (\s is str.isspace, as str.strip uses)
BLOCK_RE = re.compile(r"[^\S\n]*(\S(?:[^\n]*\S)?)")


class Block(NamedTuple):
    """A non-empty line of the text: start/end offsets, its text stripped of surrounding blanks."""
    start: int
    end: int
    text: str


def blocks(text: str) -> list[Block]:
    """The non-empty lines of `text`, stripped of surrounding blanks, with their offsets."""
    return [Block(m.start(1), m.end(1), m.group(1)) for m in BLOCK_RE.finditer(text)]


def is_heading(line: str) -> bool:
    """A short line with no sentence punctuation: a headline, subheading or section marker."""
    return len(line) <= HEADING_MAX and _HEADING_BREAK.search(line) is None
