"""run/runtime.py: a process made ready to extract (collector tuned, and restored)."""
from __future__ import annotations

import gc

from extract import extract_text
from extract.run.runtime import GC_THRESHOLD, extracting


# ---------------------------------------------------------------- garbage collector

def test_extracting_tunes_the_collector_and_restores_it():
    before = gc.get_threshold()
    with extracting():
        assert gc.get_threshold() == GC_THRESHOLD
        assert gc.get_freeze_count() > 0
        with extracting():              # nested: still tuned after the inner exit
            pass
        assert gc.get_threshold() == GC_THRESHOLD
        rows = extract_text("赤峰市建成2610个党群服务中心。")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert [r["value"] for r in rows] == [2610.0]
