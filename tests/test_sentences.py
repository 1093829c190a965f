"""text/sentences.py: clause bounds from cuts match a scan."""
from __future__ import annotations

from hypothesis import given, strategies as st

from extract.text.sentences import clause_bounds, clause_cuts, split_sentences

from conftest import QUICK, mixed_text


PIECES, TEXT = mixed_text()


# ---------------------------------------------------------------- clauses

SENTENCE_TEXT = st.lists(st.one_of(PIECES, st.sampled_from(["！", "？", "；", "…", "”", "）", " ", "\n\n", "　",
                                                             "。”", "\t", "a"])), max_size=40).map("".join)


def reference_clause(text: str, sentence, pos: int) -> tuple[int, int]:
    """The clause holding pos: after the last clause mark before it, up to the next one."""
    marks = "，,；;：:。！？!?"
    left = max((i + 1 for i in range(sentence.start, pos) if text[i] in marks), default=sentence.start)
    right = next((i for i in range(pos, sentence.end) if text[i] in marks), sentence.end)
    return left, right


@QUICK
@given(SENTENCE_TEXT)
def test_clause_bounds_from_cuts_match_a_scan(text):
    for sentence in split_sentences(text):
        cuts = clause_cuts(text, sentence)
        for pos in range(sentence.start, sentence.end + 1):
            want = reference_clause(text, sentence, pos)
            assert clause_bounds(text, sentence, pos, cuts) == want
            assert clause_bounds(text, sentence, pos) == want
