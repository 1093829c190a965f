"""memo.py: sentence caches bounded in memory: long texts never fill the large cache."""
from __future__ import annotations

import pytest

from extract.memo import MAX_CHARS, short_text_cache


def counted():
    calls = []

    @short_text_cache(maxsize=100, max_chars=10, long_maxsize=2)
    def length(text: str, extra: int = 0) -> int:
        calls.append(text)
        return len(text) + extra
    return length, calls


@pytest.mark.parametrize("texts,calls,large", [
    (["短句", "短句", "短句"], 1, 1),                       # short: cached
    (["长" * 11, "长" * 11], 1, 0),                          # long, one after the other: the small cache
    (["长" * 11, "长" * 12, "长" * 13, "长" * 11], 4, 0),     # small cache of 2: the first fell out
    (["长" * 11, "短", "长" * 11], 2, 1),
])
def test_calls_and_what_the_large_cache_holds(texts, calls, large):
    length, seen = counted()
    assert [length(t) for t in texts] == [len(t) for t in texts]
    assert len(seen) == calls
    assert length.cache_info().currsize == large


def test_every_text_argument_counts_and_clear_empties_both():
    length, seen = counted()
    assert length("短", 1) == 2 and length("短", 1) == 2
    assert length("长" * 11, 1) == 12
    length.cache_clear()
    length("短", 1)
    length("长" * 11, 1)
    assert len(seen) == 4 and length.cache_info().currsize == 1


def test_sentence_caches_of_the_pipeline_are_bounded():
    """The period caches are keyed by sentences: a 2,000-character sentence (a line without
    punctuation is cut there) never enters their large caches. (The theme cache is keyed by the
    keyword scores of the clause and sentence, not by their text.)"""
    from extract import extract_text
    from extract.periods import claim_time, sentence_times

    for cache in (claim_time, sentence_times):
        cache.cache_clear()
    line = "".join(f"第{i}组建成{i + 10}个服务站又培训网格员{i + 3}名" for i in range(60))
    assert len(line) > MAX_CHARS
    rows = extract_text(line, doc="line.txt")
    assert [r["value"] for r in rows if r["unit"] == "个"] == [float(i + 10) for i in range(60)]
    assert [r["value"] for r in rows if r["unit"] == "名"] == [float(i + 3) for i in range(60)]
    assert all(r["theme"] and r["kind"] for r in rows)
    for cache in (claim_time, sentence_times):
        assert cache.cache_info().currsize == 0
