"""The field's libraries, imported without their banners.

jionlp and jiojio print a line to standard output when first imported ("# jionlp - 微信公众号…",
"# jiojio - Successfully load C funcs…"). A command-line tool whose output may be piped, and a
worker process, should print nothing it was not asked for, so the first import happens here
with standard output set aside.
"""
from __future__ import annotations

import contextlib
import importlib
import io
from types import ModuleType


def quiet_import(name: str) -> ModuleType:
    """importlib.import_module(name), with whatever the import prints to stdout dropped."""
    with contextlib.redirect_stdout(io.StringIO()):
        return importlib.import_module(name)
