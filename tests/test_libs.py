"""libs.py: quiet imports and the paused collector."""
from __future__ import annotations

import gc

import pytest


def test_collector_paused_restores_the_collector():
    """The tagger loads with the garbage collector off (extract.libs.collector_paused), which
    must leave the collector as it found it, also when loading fails."""
    import gc

    from extract.libs import collector_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("load failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()      # a host that had it off keeps it off
    finally:
        gc.enable()


def test_quiet_import_drops_the_banner(capsys):
    import sys

    from extract.libs import quiet_import

    loaded = sys.modules.pop("jiojio", None)      # import it afresh, banner and all
    try:
        module = quiet_import("jiojio")
        assert module.__name__ == "jiojio" and capsys.readouterr().out == ""
    finally:
        if loaded is not None:
            sys.modules["jiojio"] = loaded


def test_quiet_import_from_threads(capsys, tmp_path, monkeypatch):
    """Two threads importing a module that prints, at once: nothing is printed, stdout is the
    same object afterwards, and both get the module."""
    import sys
    import threading

    from extract.libs import quiet_import

    (tmp_path / "noisy_banner_mod.py").write_text("import time\nprint('# banner')\ntime.sleep(0.2)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    stdout = sys.stdout
    got = []
    threads = [threading.Thread(target=lambda: got.append(quiet_import("noisy_banner_mod"))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sys.stdout is stdout
    assert len(got) == 2 and got[0] is got[1]
    assert "banner" not in capsys.readouterr().out
    sys.modules.pop("noisy_banner_mod", None)
