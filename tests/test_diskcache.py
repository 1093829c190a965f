"""diskcache.py: an entry is reused while its sources are unchanged, built again otherwise, and
the cache never changes a result (corrupt entry, unwritable folder, cache turned off)."""
from __future__ import annotations

import os
import pickle

import pytest

from extract import diskcache
from extract.diskcache import load_or_build


class Builder:
    """A build function that counts its calls."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("INDICATORS_CACHE", str(folder))
    source = tmp_path / "source.txt"
    source.write_text("赤峰市\t150400\n", encoding="utf-8")
    return folder, source


def entry(folder):
    (path,) = folder.glob("thing-*.pickle")
    return path


def test_second_load_reads_the_entry_without_building(cache):
    folder, source = cache
    build = Builder({"赤峰市": "150400"})
    assert load_or_build("thing", [source], build) == {"赤峰市": "150400"}
    assert load_or_build("thing", [source], build) == {"赤峰市": "150400"}
    assert build.calls == 1
    assert entry(folder).exists()


@pytest.mark.parametrize("change", ["content", "mtime", "deleted"])
def test_a_changed_source_builds_again(cache, change):
    folder, source = cache
    load_or_build("thing", [source], Builder(1))
    if change == "content":
        source.write_text("赤峰市\t150400\n通辽市\t150500\n", encoding="utf-8")
    elif change == "mtime":
        st = source.stat()
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    else:
        source.unlink()
    rebuilt = Builder(2)
    assert load_or_build("thing", [source], rebuilt) == 2
    assert rebuilt.calls == 1


def test_a_changed_rule_file_builds_again(cache, tmp_path, monkeypatch):
    """The package's rule files are sources of every entry (tests point RULES at a copy)."""
    from extract import rulefiles

    folder, source = cache
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "place_aliases.tsv").write_text("# alias\tfull\n", encoding="utf-8")
    monkeypatch.setattr(rulefiles, "RULES", rules)
    load_or_build("thing", [source], Builder(1))
    (rules / "place_aliases.tsv").write_text("# alias\tfull\n赤峰\t赤峰市\n", encoding="utf-8")
    assert load_or_build("thing", [source], Builder(2)) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(("other key", 1)), pickle.dumps(7)])
def test_a_corrupt_or_foreign_entry_is_built_again_and_replaced(cache, damage):
    folder, source = cache
    load_or_build("thing", [source], Builder(1))
    entry(folder).write_bytes(damage)
    assert load_or_build("thing", [source], Builder(2)) == 2
    assert load_or_build("thing", [source], Builder(3)) == 2      # the rebuilt entry is stored


def test_an_unwritable_folder_builds_and_leaves_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("INDICATORS_CACHE", str(blocker / "cache"))   # under a file: cannot be made
    build = Builder(5)
    assert load_or_build("thing", [], build) == 5
    assert load_or_build("thing", [], build) == 5
    assert build.calls == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("setting", ["off", "0", "no", "false", "OFF"])
def test_turned_off_builds_every_time(monkeypatch, setting):
    monkeypatch.setenv("INDICATORS_CACHE", setting)
    assert diskcache.folder() is None
    build = Builder(1)
    load_or_build("thing", [], build)
    load_or_build("thing", [], build)
    assert build.calls == 2


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("INDICATORS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert diskcache.folder() == tmp_path / "grassroots-indicators"


def test_cached_gazetteer_is_the_built_one(tmp_path, monkeypatch):
    """What the cache gives back is exactly what building gives."""
    from extract.places import gazetteer

    monkeypatch.setenv("INDICATORS_CACHE", str(tmp_path))
    gazetteer.gazetteer.cache_clear()
    try:
        first = gazetteer.gazetteer()          # built and stored
        gazetteer.gazetteer.cache_clear()
        second = gazetteer.gazetteer()         # read back
    finally:
        gazetteer.gazetteer.cache_clear()
    built = gazetteer.build()
    assert first is not second
    for gz in (first, second):
        assert gz.names == built.names and gz.divisions == built.divisions
        assert gz.inside == built.inside and gz.lengths == built.lengths
        assert gz.ambiguous_aliases == built.ambiguous_aliases and gz.municipalities == built.municipalities
    assert second.names["克什克腾旗"][0].code == "150425"
