"""A regular expression for a set of words from a rule file (theme keywords, people nouns,
province names): it matches the longest of the words that start at a place, as the flat list
`longest|long|…` does, but is written as their trie (网格(?:员|长|化)?), so the engine follows
one branch per character instead of trying every word in turn. (The `regex` and `re` engines
both take the same source; neither builds the trie itself.)"""
from __future__ import annotations

import re
from typing import Iterable

_END = ""      # a key no character is: the word that ends at this node


def alternation(words: Iterable[str]) -> str:
    """Regex source matching any of `words` (empty ones ignored), the longest where several start
    at one place; a pattern that never matches when there are none."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _source(trie) or "(?!)"


def _source(node: dict) -> str:
    branches = [re.escape(ch) + _source(child) for ch, child in node.items() if ch != _END]
    if not branches:
        return ""
    if _END in node:            # a word ends here: go on to a longer one where it matches
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
