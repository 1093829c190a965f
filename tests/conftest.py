"""Shared fixtures: the repository layout, the gold sets beside it, table-driven case files,
the bad-file corpus, generated text, and a small corpus with its single-process rows (for
the pool, the Dask cluster and the command line)."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from extract.rulefiles import read_rows

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the repository (a git worktree under wt/ has it two levels up)
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared")
               if (p / "tools" / "score.py").exists()), ROOT.parent / "shared")
CASES = Path(__file__).parent / "cases"
BAD = ROOT / "tests" / "data" / "bad"
SEEDS = ROOT / "seeds"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import make_corpus  # noqa: E402

#: Hypothesis settings: quick (checks of a fast path against the way it replaced) and many
#: (properties of the whole extractor); no example database in the repository.
QUICK = settings(max_examples=300, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MANY = settings(max_examples=1000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

#: Encodings the reader may name for a family of bad_files.tsv.
FAMILIES = {"utf-8": ("utf-8", "utf-8-sig"), "gb": ("gb18030", "gbk", "gb2312"),
            "utf-16": ("utf-16", "utf-16-le", "utf-16-be")}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4


def read_cases(name: str) -> list[list[str]]:
    """Rows of a tab-separated case file in tests/cases, in the rule files' own format."""
    return read_rows(CASES / name)


def bad_file_cases() -> list[tuple[str, str, str, str, int | None]]:
    """tests/cases/bad_files.tsv: file, status, encoding family, claims (>0 or =0), max_bytes."""
    return [(name, status, family, claims, None if max_bytes == "-" else int(max_bytes))
            for name, status, family, claims, max_bytes in read_cases("bad_files.tsv")]


BAD_CASES = bad_file_cases()
OK_FILES = [c[0] for c in BAD_CASES if c[1] == "ok"]


def mixed_text():
    """Generated text of place names, numerals, units and punctuation (for the fast paths)."""
    from extract.places.gazetteer import gazetteer

    names = sorted(gazetteer().names)[::97] + ["赤峰市", "克什克腾旗", "经棚镇", "巴林左旗", "新城区", "社区"]
    pieces = st.sampled_from(names + ["建成", "党群服务中心", "2610个", "三千名", "进一步", "，", "。", "\n",
                                      "路", "街", "一", "百分之五", "两万余元", "3.5万", "、", "等地"])
    return pieces, st.lists(st.one_of(pieces, pieces, st.text(max_size=3)), max_size=30).map("".join)


def rows_frame(results) -> pd.DataFrame:
    """The table of the rows of the FileResults that succeeded."""
    from extract.table import to_frame

    return to_frame([row for r in results if r.ok for row in r.rows])


def sorted_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["doc", "start", "end", "claim_id"], kind="stable").reset_index(drop=True)


def check_manifest(path: Path, inputs, claims: int) -> None:
    """The run manifest lists every input file in order, the two bad ones failed, claims add up."""
    from extract.run.files import iter_input_files
    from extract.run.manifest import read_manifest

    records = read_manifest(path)
    assert [r["path"] for r in records] == [str(p) for p in iter_input_files(inputs)]
    assert sorted(Path(r["path"]).name for r in records if r["status"] != "ok") == [
        "c0000002a_empty.txt", "c0000010a_image.txt"]
    assert sum(r["claims"] for r in records) == claims


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "tools" / "score.py").exists():
        pytest.skip(f"the gold sets and scorer are not beside the repository ({SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """A small corpus recombined from the seed pages: 24 files of about 8 KB."""
    out = tmp_path_factory.mktemp("corpus")
    info = make_corpus(out, 24 * 8 * 1024, file_kb=8, seed=7)
    assert info["files"] >= 20
    return out


@pytest.fixture(scope="session")
def with_bad(tmp_path_factory, corpus) -> Path:
    """The corpus plus files that cannot be read: an empty one and a PNG image."""
    from extract.run.files import iter_input_files

    out = tmp_path_factory.mktemp("with_bad")
    for path in iter_input_files([corpus]):
        target = out / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (out / "d0000" / "c0000002a_empty.txt").write_bytes(b"")
    (out / "d0000" / "c0000010a_image.txt").write_bytes(PNG)
    return out


@pytest.fixture(scope="session")
def reference(corpus):
    """The single-process results (run.files.run_files) over seeds/ and the corpus."""
    from extract.run.files import run_files
    from extract.run.runtime import start_warm_forkserver

    start_warm_forkserver()    # loads the extractor for the pool tests meanwhile, on another core
    results = list(run_files([SEEDS, corpus]))
    assert all(r.ok for r in results), [(r.path, r.status, r.reason) for r in results if not r.ok]
    frame = rows_frame(results)
    # Guard against a vacuous comparison: the real extractor finds claims in the seed pages.
    assert len(frame) > 0, "the extractor returned no rows, so nothing real would be compared"
    corpus_doc = frame["doc"].str.match(r"d\d{4}/c")      # doc: the path under its folder
    assert corpus_doc.any() and not corpus_doc.all()
    return results, frame


@pytest.fixture(scope="session")
def dask_cluster():
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    from extract.run.runtime import start_warm_forkserver

    # Worker processes forked from the warm fork server start with the extractor loaded,
    # which keeps this test from spending most of its time loading it twice more.
    method = "forkserver" if start_warm_forkserver() else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                           host="127.0.0.1", dashboard_address=None)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(autouse=True, scope="module")
def duckdb_cache(tmp_path_factory):
    """The dashboard's converted .duckdb tables go to a temporary folder, not ~/.cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("INDICATORS_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


def pytest_collection_modifyitems(config, items):
    """The browser tests share one Streamlit server and one Chromium per test process: under
    pytest-xdist (`make test` runs two processes) they go to the same one, in one group."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
