"""Imported once by the process pool's fork server (see extract.parallel.make_executor).

It runs the extractor on one short sentence, so its lazily loaded data (the word
segmenter, the gazetteer, compiled patterns) is loaded in the fork server once;
every pool worker forked from it then starts warm and shares those pages
copy-on-write instead of loading its own copy.
"""
try:
    from .pipeline import extract_text

    extract_text("赤峰市克什克腾旗经棚镇建成2610个党群服务中心,选派楼栋长2399人,党员占比18.5%。",
                 doc="warmup")
except Exception:  # noqa: BLE001 - a failed warm-up must not break the pool: workers load lazily
    pass
