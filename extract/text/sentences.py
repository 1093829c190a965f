"""Sentences and clauses, with offsets into the page text.

A paragraph broken by a blank line in the middle of a sentence (a long line that does
not end in sentence punctuation) is joined to the next one; a short unpunctuated line
is a heading and stands alone.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

from .lines import HEADING_MAX, SENTENCE_END, Block, blocks

_STOPS = SENTENCE_END                   # end a sentence
_CLOSERS = "”’」』\"')）"              # stay with the sentence they close
_END = re.compile(f"[{_STOPS}]+[{_CLOSERS}]*")
#: the marks that end a clause, and those with a line end (a phrase read back from a figure)
CLAUSE_CUTS = "，,；;：:。！？!?"
CLAUSE_MARKS = CLAUSE_CUTS + "\n"
_CLAUSE = re.compile(f"[{CLAUSE_CUTS}]")
_COMMA = re.compile(r"[，,]")
_HEADING_PUNCT = re.compile(r"[，,。！？!?；;]")
_LINEBREAK = re.compile(r"\s*\n\s*")
#: The longest sentence split_sentences makes: a longer run without a sentence end is cut at
#: its last clause mark (，；：、) within the limit, else hard (never inside a numeral), so the
#: work per claim and the evidence stay bounded on a line of any length.
SENTENCE_MAX = 2000
#: A row carries its whole sentence up to this length; a longer one as a window of
#: EVIDENCE_SIDE characters either side of the claim, marked with … where it was cut
#: (sentence_start/sentence_end still give the whole sentence in the text).
EVIDENCE_MAX = 400
EVIDENCE_SIDE = 150
_CUT_AT = "，,；;：:、"
_NUMERAL_CHARS = frozenset("0123456789０１２３４５６７８９.．,，零〇一二两三四五六七八九十百千万亿余多"
                           "\u200b\u200c\u200d\u2060\ufeff")
_SENTENCE_ENDS = _STOPS + _CLOSERS


class Sentence(NamedTuple):
    start: int
    end: int
    text: str       # the sentence with line breaks and surrounding blanks removed
    heading: bool   # a headline or subheading line


def squash(s: str) -> str:
    """A sentence as shown: line breaks and the blanks around them removed."""
    return _LINEBREAK.sub("", s).strip()


def split_sentences(text: str, start: int = 0, end: int | None = None,
                    lines: list[Block] | None = None) -> list[Sentence]:
    """Sentences of text[start:end], in order, as offsets into `text`.

    `lines` are the non-empty lines of that range (lines.blocks, absolute offsets), when the
    caller has them already."""
    end = len(text) if end is None else end
    if lines is None:
        lines = [Block(b.start + start, b.end + start, b.text) for b in blocks(text[start:end])]
    bl = lines
    out: list[Sentence] = []
    i = 0
    while i < len(bl):
        b = bl[i]
        if len(b.text) <= HEADING_MAX and not _END.search(b.text[-2:] if b.text else "") \
                and not _COMMA.search(b.text):
            out.append(Sentence(b.start, b.end, b.text, True))
            i += 1
            continue
        # a paragraph, extended over blank lines while it stops mid-sentence
        para_start, para_end = b.start, b.end
        while i + 1 < len(bl) and not _ends_sentence(text, para_start, para_end) \
                and not _is_heading(bl[i + 1].text):
            i += 1
            para_end = bl[i].end
        i += 1
        pos = para_start
        for m in _END.finditer(text, para_start, para_end):
            if m.end() > pos:
                _add(out, text, pos, m.end())
            pos = m.end()
        if pos < para_end:
            _add(out, text, pos, para_end)
    return out


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether the paragraph text[start:end] (which ends in a non-blank) ends a sentence."""
    return end > start and (text[end - 1] in _SENTENCE_ENDS or end - start <= HEADING_MAX)


def _is_heading(line: str) -> bool:
    return len(line) <= HEADING_MAX and not _HEADING_PUNCT.search(line)


def _add(out: list[Sentence], text: str, s: int, e: int) -> None:
    while e - s > SENTENCE_MAX:
        cut = _cut_point(text, s, s + SENTENCE_MAX)
        _add_one(out, text, s, cut)
        s = cut
    _add_one(out, text, s, e)


def _cut_point(text: str, s: int, limit: int) -> int:
    """Where to end an over-long sentence text[s:...] at or before `limit`: after its last
    clause mark in the second half, else before the numeral that straddles the limit."""
    best = max(text.rfind(mark, s + SENTENCE_MAX // 2, limit) for mark in _CUT_AT)
    if best >= 0:
        return best + 1
    cut = limit
    while cut > s + SENTENCE_MAX // 2 and text[cut - 1] in _NUMERAL_CHARS:
        cut -= 1
    return cut


def evidence(text: str, start: int, end: int, claim_start: int, claim_end: int,
             whole: str | None = None) -> str:
    """What a row shows of its sentence text[start:end] (squashed): all of it up to EVIDENCE_MAX
    characters, else a window of EVIDENCE_SIDE characters either side of the claim, with …
    where it was cut. `whole` is the squashed sentence when the caller has it."""
    if end - start <= EVIDENCE_MAX:
        return whole if whole is not None else squash(text[start:end])
    lo, hi = max(start, claim_start - EVIDENCE_SIDE), min(end, claim_end + EVIDENCE_SIDE)
    return ("…" if lo > start else "") + squash(text[lo:hi]) + ("…" if hi < end else "")


def _add_one(out: list[Sentence], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        sentence = text[s:e]
        out.append(Sentence(s, e, squash(sentence) if "\n" in sentence else sentence, False))


def clause_cuts(text: str, sentence: Sentence) -> list[int]:
    """Offsets of the clause punctuation (commas, semicolons, colons) inside `sentence`: found
    once per sentence, for clause_bounds of each of its claims."""
    return [m.start() for m in _CLAUSE.finditer(text, sentence.start, sentence.end)]


def clause_bounds(text: str, sentence: Sentence, pos: int,
                  cuts: list[int] | None = None) -> tuple[int, int]:
    """Offsets of the clause (between commas, semicolons, colons) of `sentence` holding `pos`
    (`cuts`: clause_cuts of the sentence, when the caller has them)."""
    if cuts is None:
        cuts = clause_cuts(text, sentence)
    k = bisect_left(cuts, pos)
    return (cuts[k - 1] + 1 if k else sentence.start), (cuts[k] if k < len(cuts) else sentence.end)


def clause_start(text: str, lo: int, pos: int, marks: str = CLAUSE_CUTS) -> int:
    """Where the clause holding text[pos] starts: after the last of `marks` before pos, not
    before lo."""
    last = lo - 1
    for ch in marks:
        at = text.rfind(ch, lo, pos)
        if at > last:
            last = at
    return last + 1
