"""extract.text.wordset: the trie of a word list matches what the flat, longest-first list does."""
import re

import pytest
import regex

from extract.text.wordset import alternation


def flat(words):
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


CASES = [
    # words, text, the matches of findall
    (["网格", "网格员", "网格化"], "网格员和网格化管理的网格", ["网格员", "网格化", "网格"]),
    (["党员", "党员干部", "党"], "党员干部带头，党委", ["党员干部", "党"]),
    (["a.b", "a"], "a.b axb", ["a.b", "a"]),            # an escaped character in a word
    (["上千", "上"], "上千人上了车", ["上千", "上"]),
    (["社区", "区"], "社区区", ["社区", "区"]),
    ([], "任何文字", []),
    (["", "村"], "村村", ["村", "村"]),                    # an empty word is ignored
]


@pytest.mark.parametrize("words,text,found", CASES)
def test_matches_as_the_flat_list_does(words, text, found):
    assert re.findall(alternation(words), text) == found
    assert regex.findall(alternation(words), text) == found
    if words and any(words):
        assert re.findall(flat([w for w in words if w]), text) == found


@pytest.mark.parametrize("words,text,first", [
    # with more pattern after the words, a shorter word is tried when the longer one fails
    (["上千", "上"], "上千万", "上千万"),
    (["上千", "上"], "上万", "上万"),
])
def test_backtracks_to_a_shorter_word(words, text, first):
    assert re.match(f"(?:{alternation(words)})万", text).group() == first
