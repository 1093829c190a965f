"""Two threads importing noisy modules at once through extract.libs.quiet_import leave
sys.stdout as it was, and neither banner is printed (the redirect is process-wide, so the
first imports must not overlap)."""
from __future__ import annotations

import sys
import threading


def test_concurrent_first_imports_restore_stdout(tmp_path, capsys, monkeypatch):
    from extract.libs import quiet_import
    gate = tmp_path / "_qi_gate.py"
    gate.write_text("import threading\na_in, b_in, a_go, b_go = (threading.Event() for _ in range(4))\n")
    (tmp_path / "_qi_a.py").write_text("import _qi_gate as g\nprint('banner a')\ng.a_in.set()\ng.a_go.wait(5)\n")
    (tmp_path / "_qi_b.py").write_text("import _qi_gate as g\nprint('banner b')\ng.b_in.set()\ng.b_go.wait(5)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import _qi_gate as g
    before = sys.stdout
    a = threading.Thread(target=quiet_import, args=("_qi_a",))
    b = threading.Thread(target=quiet_import, args=("_qi_b",))
    a.start()
    assert g.a_in.wait(5)
    b.start()
    g.b_in.wait(1)            # with the imports serialised, b waits for a: not in yet
    g.a_go.set()              # a leaves first (it restores stdout first) ...
    a.join(5)
    g.b_go.set()              # ... then b
    b.join(5)
    assert sys.stdout is before
    print("after")
    assert capsys.readouterr().out == "after\n"
    for name in ("_qi_a", "_qi_b", "_qi_gate"):
        sys.modules.pop(name, None)
