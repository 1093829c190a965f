"""The rule files: every one has a schema and follows it; a broken copy is refused with its
file and line; a broken rule stops the command line before any input is read."""
from __future__ import annotations

import shutil

import pytest

from extract import rulefiles
from extract.cli import main
from extract.rulefiles import RULES, SCHEMAS, RuleError, grouped, load, rows

from conftest import read_cases

BROKEN = read_cases("broken_rules.tsv")


def first_rule_line(path) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            return number
    raise AssertionError(f"{path} has no rule line")


def broken_copy(tmp_path, name: str, line: str):
    """A copy of rules/<name> with its first rule line replaced by `line`; (path, line number)."""
    number = first_rule_line(RULES / name)
    lines = (RULES / name).read_text(encoding="utf-8").splitlines()
    lines[number - 1] = line
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, number


def test_every_rule_file_has_a_schema():
    assert sorted(p.name for p in RULES.iterdir() if p.is_file()) == sorted(SCHEMAS)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_rule_file_loads(name):
    lines = rows(name)
    assert lines, f"{name} has no rules"
    schema = SCHEMAS[name]
    assert all(schema.required <= len(fields) <= len(schema.columns) for fields in lines)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_rule_file_is_tested_broken(name):
    assert name in {case[0] for case in BROKEN}


@pytest.mark.parametrize("name,line,why", [pytest.param(*c, id=f"{c[0]}:{c[2][:30]}") for c in BROKEN])
def test_broken_copy_is_refused_with_file_and_line(tmp_path, name, line, why):
    path, number = broken_copy(tmp_path, name, line.replace("\\t", "\t"))
    with pytest.raises(RuleError) as caught:
        load(path)
    assert str(caught.value) == f"{name} line {number}: {why}"
    assert (caught.value.file, caught.value.line, caught.value.why) == (name, number, why)


def test_a_later_line_is_named_too(tmp_path):
    lines = (RULES / "units.tsv").read_text(encoding="utf-8").splitlines()
    lines.append("公斤 公斤 weight")
    (tmp_path / "units.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RuleError, match=rf"^units.tsv line {len(lines)}: expected 3 to 4 tab-separated fields, got 1$"):
        load(tmp_path / "units.tsv")


def test_a_file_without_schema_is_refused(tmp_path):
    (tmp_path / "new_words.tsv").write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(RuleError, match="new_words.tsv line 0: no schema declared"):
        load(tmp_path / "new_words.tsv")


def test_grouped_keeps_file_order():
    by_side = grouped("per_units.tsv")
    assert by_side["per"] == tuple(f[1] for f in rows("per_units.tsv") if f[0] == "per")
    assert set(by_side) == {f[0] for f in rows("per_units.tsv")}


@pytest.fixture
def broken_rules(tmp_path, monkeypatch):
    """rules/ with units.tsv broken (spaces for tabs), for this test only."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    _, number = broken_copy(folder, "units.tsv", "个 个 count")
    for cached in (rows, grouped, rulefiles.settings):
        cached.cache_clear()
    monkeypatch.setattr(rulefiles, "RULES", folder)
    yield number
    for cached in (rows, grouped, rulefiles.settings):
        cached.cache_clear()


def test_cli_stops_at_a_broken_rule_before_reading_input(broken_rules, tmp_path, capsys, root):
    out = tmp_path / "out.csv"
    status = main(["extract", str(root / "seeds"), "-o", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == f"indicators: RuleError: units.tsv line {broken_rules}: expected 3 to 4 tab-separated fields, got 1\n"
    assert not out.exists() and not (tmp_path / "out.manifest.csv").exists()
