"""Imported once by the process pool's fork server (see extract.parallel.make_executor).

It loads the extractor (warm.warm_up) and tunes the garbage collector (warm.tune_gc) in the
fork server once; every pool worker forked from it then starts warm, shares those pages
copy-on-write instead of loading its own copy, and keeps the collector settings.

The fork server also asks to die with the process that started it (lifeline), so that a
killed `indicators extract` leaves no fork server behind, and with it no worker.
"""
from .lifeline import die_with_parent

die_with_parent()

try:
    from .warm import tune_gc, warm_up

    warm_up()
    tune_gc()
except Exception:  # noqa: BLE001 - a failed warm-up must not break the pool: workers load lazily
    pass
