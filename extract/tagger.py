"""Part-of-speech tags for the short windows around a numeral, from jieba-rs (rjieba).

rjieba ships jieba's dictionary inside its compiled module, so it loads in a fraction of a
second and tags a window in about a microsecond; the domain words a general dictionary
lacks (党群服务中心, 网格员, 嘎查 …) are added from the rule file tagger_words.tsv.
jieba's tag set is folded onto the one the phrase rules read (uj/ul/uz → u, ng → n,
nrt → nr, vg → v …), so the rules do not depend on the tagger's dialect.

The tagger is built once per process, on first use (never at import), under a lock, so
threads that start at once share one instance.
"""
from __future__ import annotations

import threading

from .datafiles import rows

_LOCK = threading.Lock()
_TAGGER = None
_LEX: dict[str, str] = {}

#: dictionary frequency of a custom word kept whole: high enough to win over the splits the
#: general dictionary prefers (占/比达 for 占比达)
WHOLE_FREQ = 100000

#: jieba tags folded onto the rules' tag set (a tag not listed keeps its value).
FOLD = {
    "uj": "u", "ul": "u", "uz": "u", "ug": "u", "uv": "u", "ud": "u",
    "ng": "n", "nrt": "nr", "nrfg": "nr", "vg": "v", "ag": "a", "dg": "d", "tg": "t",
    "mq": "m", "rr": "r", "rz": "r", "rg": "r", "df": "d", "yg": "y", "eng": "nx",
    "z": "n",       # jieba's "status words" include many noun compounds (邻里纠纷)
}


def custom_words() -> list[tuple[str, str, bool]]:
    """(word, tag, whole) of every line of tagger_words.tsv; whole: the word is also added to
    the segmenter's dictionary (kept in one piece), else only its tag is set."""
    out = []
    for number, fields in enumerate(rows("tagger_words.tsv"), 1):
        word = fields[0].strip()
        tag = (fields[1].strip() if len(fields) > 1 else "") or "n"
        whole = (fields[2].strip() if len(fields) > 2 else "") or "yes"
        if not word or whole not in ("yes", "no"):
            raise ValueError(f"tagger_words.tsv: rule line {number}: expected word, tag, yes|no: {fields!r}")
        out.append((word, tag, whole == "yes"))
    return out


def _jiojio_lexicon() -> dict[str, str]:
    """word -> tag of the words jiojio's dictionary lists with one dominant tag (its text files
    dictionary/<tag>.txt: word, share of that tag, count). Read as data, without jiojio's model."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jiojio")
    folder = Path(spec.origin).parent / "dictionary"
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        tag = path.stem
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            word = line.split("\t", 1)[0]
            if word:
                out.setdefault(word, tag)
    return out


def load():
    """The process's tagger, built on first call; thread-safe."""
    global _TAGGER
    if _TAGGER is None:
        with _LOCK:
            if _TAGGER is None:
                from rjieba import Jieba

                tagger = Jieba()
                global _LEX
                _LEX = _jiojio_lexicon()
                for word, tag, whole in custom_words():
                    if whole:
                        tagger.add_word(word, max(WHOLE_FREQ, tagger.suggest_freq(word)), tag)
                    _LEX[word] = tag
                _TAGGER = tagger
    return _TAGGER


def tag(text: str) -> list[tuple[str, str]]:
    """(word, tag) pairs of text, tags folded onto the rules' set."""
    fold = FOLD.get
    tagged = load().tag(text, False)
    lex = _LEX.get
    return [(w, lex(w) or fold(t, t)) for w, t in tagged]
