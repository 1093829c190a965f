"""extract/__init__.py and the package layout: the public API, no import cycle, and no module
importing another module's private names."""
from __future__ import annotations

import ast

import extract
from conftest import ROOT

PACKAGE = ROOT / "extract"


def module_imports() -> dict[str, list[tuple[str, str]]]:
    """For each module of extract/: (module imported, name imported) of each of its imports."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                found += [(target, a.name) for a in node.names]
            elif isinstance(node, ast.Import):
                found += [(a.name, "") for a in node.names]
        out[name] = [(t, n) for t, n in found if t.startswith("extract")]
    return out


def test_public_api():
    assert {"extract_text", "extract_file", "COLUMNS", "read_table", "write_table"} <= set(extract.__all__)
    rows = extract.extract_text("赤峰市建成2610个党群服务中心", doc="note.txt")
    assert [(r["value"], r["unit"], r["indicator"], r["city_code"]) for r in rows] == [
        (2610.0, "个", "党群服务中心", "150400")]


def test_no_private_names_across_modules():
    private = [(m, t, n) for m, imports in module_imports().items() for t, n in imports if n.startswith("_")]
    assert private == []


def test_no_import_cycle():
    imports = module_imports()
    graph = {m: {f"{t}.{n}" if f"{t}.{n}" in imports else t for t, n in found} & set(imports) - {m}
             for m, found in imports.items()}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join(path + (module,))
        if module in done:
            return
        for nxt in graph[module]:
            visit(nxt, path + (module,))
        done.add(module)

    for module in graph:
        if module != "extract":      # the package's __init__ imports its own public API
            visit(module, ())


def test_pipeline_does_not_read_files():
    assert not any(t.startswith(("extract.reading", "extract.run")) for t, _ in module_imports()["extract.pipeline"])
