"""The part-of-speech tagger of the indicator step: jieba-rs (rjieba), loaded once per process.

rjieba ships jieba's dictionary inside its compiled module, so it loads in a fraction of a
second and tags a short window in microseconds (jiojio, used before, took seconds and
gigabytes to load its model). jieba's dictionary tags are context-free and often off for this
text (超市 v, 有序 n), so a word's tag is taken, in this order, from rules/tagger_words.tsv
(the domain words: 党群服务中心, 网格员, 嘎查, and corrected tags), from jiojio's own word
lists (its dictionary/<tag>.txt files, read as data: the words it gives one dominant tag),
else from jieba, with jieba's tag names folded onto the ones rules/pos_tags.tsv uses
(uj/ul → u, ng → n …). Unknown characters are not merged by jieba's HMM (hmm=False), so a
unit after a numeral (个村, 户牧户) never fuses with the word after it.

Loading never happens at import: `load()` builds the tagger on first use (or ahead, in a
process about to extract: run/runtime.warm_up), behind a lock so that two threads never
build it twice; `is_loaded()` says whether it is there.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

from ..diskcache import load_or_build, package_dir
from ..rulefiles import rows

_LOCK = threading.Lock()
_tagger = None
_lexicon: dict[str, str] = {}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: dictionary frequency of a custom word kept whole: high enough to win over the splits the
#: general dictionary prefers (占/比达 for 占比达)
WHOLE_FREQ = 100000

#: jieba tags folded onto the rules' tag set (a tag not listed keeps its value)
FOLD = {
    "uj": "u", "ul": "u", "uz": "u", "ug": "u", "uv": "u", "ud": "u",
    "ng": "n", "nrt": "nr", "nrfg": "nr", "vg": "v", "ag": "a", "dg": "d", "tg": "t",
    "mq": "m", "rr": "r", "rz": "r", "rg": "r", "df": "d", "yg": "y", "eng": "nx",
    "z": "n",       # jieba's "status words" include many noun compounds (邻里纠纷)
}


def custom_words() -> list[tuple[str, str, bool]]:
    """(word, tag, whole) of every line of rules/tagger_words.tsv; whole: the word is also
    added to the segmenter's dictionary (kept in one piece), else only its tag is set."""
    out = []
    for fields in rows("tagger_words.tsv"):
        tag = fields[1] if len(fields) > 1 else "n"
        whole = fields[2] if len(fields) > 2 else "yes"
        out.append((fields[0], tag, whole == "yes"))
    return out


def _jiojio_dictionary() -> Path | None:
    jiojio = package_dir("jiojio")
    return jiojio / "dictionary" if jiojio else None


def jiojio_lexicon() -> dict[str, str]:
    """word -> tag of the words jiojio's dictionary lists under one dominant tag, kept in the
    disk cache (extract/diskcache.py) while jiojio's files are unchanged."""
    folder = _jiojio_dictionary()
    if folder is None:
        return {}
    return load_or_build("jiojio_lexicon", [folder], read_jiojio_lexicon)


def read_jiojio_lexicon() -> dict[str, str]:
    """jiojio_lexicon read from jiojio's text files dictionary/<tag>.txt (word, share of that
    tag, count), without loading jiojio's model. Read by hand because jiojio offers no call
    that returns its lexicon without loading the model."""
    folder = _jiojio_dictionary()
    if folder is None:
        return {}
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            word = line.split("\t", 1)[0]
            if word:
                out.setdefault(word, path.stem)
    return out


def load():
    """The process's tagger, built on the first call; thread-safe."""
    global _tagger, _lexicon
    if _tagger is None:
        with _LOCK:
            if _tagger is None:
                from rjieba import Jieba

                tagger, lexicon = Jieba(), jiojio_lexicon()
                for word, tag, whole in custom_words():
                    if whole:
                        tagger.add_word(word, max(WHOLE_FREQ, tagger.suggest_freq(word)), tag)
                    lexicon[word] = tag
                _lexicon = lexicon
                _tagger = tagger
    return _tagger


def is_loaded() -> bool:
    return _tagger is not None


@lru_cache(maxsize=65536)
def tag(text: str) -> tuple[tuple[str, str], ...]:
    """Words and part-of-speech tags of a short window (control characters blanked)."""
    if not text:
        return ()
    tagged = load().tag(_CONTROL.sub(" ", text), False)
    lex, fold = _lexicon.get, FOLD.get
    return tuple((w, lex(w) or fold(t, t)) for w, t in tagged)
