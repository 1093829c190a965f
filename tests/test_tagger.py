"""The indicator step's tagger (jieba-rs with the rule file's domain words): loaded once,
thread-safely, never at import; domain words kept whole; corrected tags."""
from __future__ import annotations

import subprocess
import sys
import threading

from extract.indicators import tagger


def test_importing_the_tagger_does_not_load_it():
    out = subprocess.run([sys.executable, "-c", "import extract.indicators.tagger as t; print(t.is_loaded())"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_threads_that_start_at_once_share_one_tagger():
    seen, start = [], threading.Barrier(8)

    def worker():
        start.wait()
        seen.append(tagger.load())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(s is seen[0] for s in seen) and tagger.is_loaded()


def test_domain_words_are_kept_whole_and_tags_corrected():
    assert ("党群服务中心", "n") in tagger.tag("个党群服务中心和网格员队伍")
    assert ("网格员", "n") in tagger.tag("个党群服务中心和网格员队伍")
    assert ("超市", "n") in tagger.tag("个超市要货")          # jieba's dictionary says v
    assert ("旗级", "b") in tagger.tag("个旗级党群服务中心")


def test_a_unit_after_a_numeral_never_fuses_with_the_next_word():
    assert tagger.tag("个村全部达到")[0] == ("个", "q")


def test_control_characters_do_not_stop_the_tagger():
    assert [w for w, _ in tagger.tag("\x00党员\x07")] == [" ", "党员", " "]


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
