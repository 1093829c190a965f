"""The field's libraries, imported without their banners and loaded without the collector.

jionlp and jiojio print a line to standard output when first imported ("# jionlp - 微信公众号…",
"# jiojio - Successfully load C funcs…"). A command-line tool whose output may be piped, and a
worker process, should print nothing it was not asked for, so the first import happens here
with standard output set aside.
"""
from __future__ import annotations

import contextlib
import gc
import importlib
import io
import sys
import threading
from types import ModuleType

_IMPORT_LOCK = threading.Lock()


def quiet_import(name: str) -> ModuleType:
    """importlib.import_module(name), with whatever its first import prints to stdout dropped.

    Redirecting stdout is process-wide: the first import runs under a lock, so two threads
    never redirect at once (one would restore the other's redirect and print the banner), and
    a module already imported is returned without redirecting anything."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    with _IMPORT_LOCK:
        module = sys.modules.get(name)
        if module is not None:
            return module
        with contextlib.redirect_stdout(io.StringIO()):
            return importlib.import_module(name)


@contextlib.contextmanager
def collector_paused():
    """Within: no garbage collection. For loading large, long-lived data (the tagger's model):
    the collector would walk the millions of objects being built again and again for nothing
    (benchmarks/README.md has the cost). The division list loads as fast either way."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
