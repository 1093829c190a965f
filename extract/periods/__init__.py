"""When a figure was true and what kind of figure it is: the period and kind columns.

period.py reads time expressions (rules/time_words.tsv) and resolves them against the date
published; kind.py tells stock, flow, change, target and forecast (rules/kind_words.tsv).
"""
from __future__ import annotations

from ..memo import short_text_cache
from .kind import KINDS, kind_of
from .period import Period, TimeExpr, find_times, period_for, resolve


def time_columns(text: str, sentence: tuple[int, int], start: int, end: int, unit: str, unit_kind: str,
                 published: str = "", times: list[TimeExpr] | None = None) -> dict:
    """The period, period_start, period_end and kind of the claim text[start:end] in its sentence."""
    lo, hi = sentence
    times = find_times(text, lo, hi) if times is None else times
    expr = period_for(times, start, lo)
    period = resolve(expr, published) if expr else Period()
    future = bool(published and period.period_start and period.period_start > published)
    row = period.as_row()
    row["kind"] = kind_of(text, lo, start, end, unit, unit_kind, future=future)
    return row


@short_text_cache(maxsize=1 << 16)
def sentence_times(sentence: str) -> tuple[TimeExpr, ...]:
    """find_times of a sentence's own text (offsets into it), once per distinct sentence."""
    return tuple(find_times(sentence))


@short_text_cache(maxsize=1 << 16)
def claim_time(sentence: str, start: int, end: int, unit: str, unit_kind: str, published: str = "") -> dict:
    """time_columns of the claim sentence[start:end], once per distinct sentence, claim and date:
    a reprinted paragraph costs a look-up. Callers must not change the dict they get."""
    return time_columns(sentence, (0, len(sentence)), start, end, unit, unit_kind, published,
                        list(sentence_times(sentence)))


__all__ = ["claim_time", "sentence_times", "KINDS", "Period", "TimeExpr", "find_times", "kind_of", "period_for", "resolve", "time_columns"]
