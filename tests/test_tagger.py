"""indicators/tagger.py: one tagger per process, loaded on first use, once however many threads ask."""
from __future__ import annotations

import threading

from extract.indicators import tagger


def test_load_from_threads_gives_one_tagger():
    got: list = []
    threads = [threading.Thread(target=lambda: got.append(tagger.load())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(cut is got[0] for cut in got)
    assert tagger.is_loaded()
    assert tagger.load() is got[0]


def test_tag_words_and_blank_windows():
    assert tagger.tag("") == ()
    words = tagger.tag("党群服务中心")
    assert "".join(w for w, _ in words) == "党群服务中心" and all(t for _, t in words)
    # the C core rejects control characters: they are read as blanks, never raised
    assert "".join(w for w, _ in tagger.tag("网格\x00员")).replace(" ", "") == "网格员"
