"""Reliability of rows (issue 14, failures 1 and 4): the evidence a row carries is bounded however
long its sentence, and `doc` / `claim_id` identify a file and a claim uniquely across a run."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract import extract_text
from extract.cli import main
from extract.text.sentences import squash
from extract.tableio import read_table

ROOT = Path(__file__).resolve().parent.parent
#: What a row may carry of its sentence, at most (a window around the claim).
EVIDENCE_CHARS = 400
#: The longest sentence the splitter may make (a longer one is cut at a clause, else hard).
SENTENCE_CHARS = 2000

LONG = [
    # one sentence of 1,501 claims, 16 KB: every row used to copy all of it
    pytest.param("赤峰市建成2610个党群服务中心" + "，又建成12个服务站" * 1500 + "。", 1501, id="commas"),
    # one line with no punctuation at all
    pytest.param("赤峰市建成2610个党群服务中心" + "又建成12个服务站" * 1500, 1501, id="unpunctuated"),
]


@pytest.mark.parametrize("text,claims", LONG)
def test_long_sentence_evidence_is_bounded(text, claims):
    rows = extract_text(text, doc="long.txt")
    assert len(rows) == claims
    for row in rows:
        s, e, ss, se = row["start"], row["end"], row["sentence_start"], row["sentence_end"]
        assert ss <= s < e <= se, row
        assert se - ss <= SENTENCE_CHARS, (ss, se)
        assert len(row["sentence"]) <= EVIDENCE_CHARS, len(row["sentence"])
        window = row["sentence"].strip("…")
        assert window in squash(text[ss:se])               # a window of the sentence, as written
        assert text[s:e] in window                         # that holds the claim
    assert sum(len(r["sentence"]) for r in rows) <= EVIDENCE_CHARS * len(rows)


def test_ordinary_sentences_are_carried_whole():
    """A sentence of ordinary length is still the whole sentence, as before."""
    text = (ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0]).read_text(encoding="utf-8")
    rows = extract_text(text, doc="seed.txt")
    assert rows
    for row in rows:
        whole = squash(text[row["sentence_start"]:row["sentence_end"]])
        if len(whole) <= EVIDENCE_CHARS:
            assert row["sentence"] == whole


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


SAME = "赤峰市建成2610个党群服务中心，巴林左旗836名网格员化解矛盾纠纷530余件。"


def test_doc_is_the_path_under_its_root_and_claim_ids_are_unique(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    _tree(one, {"same.txt": SAME, "a/same.txt": SAME, "b/same.txt": SAME, "a/b/same.txt": SAME})
    _tree(two, {"same.txt": SAME, "a/same.txt": SAME})
    out = tmp_path / "t.parquet"
    assert main(["extract", str(one), str(two), "-o", str(out), "--workers", "1"]) == 0
    table = read_table(out)
    per_file = len(extract_text(SAME, doc="x"))
    assert per_file == 3
    assert len(table) == 6 * per_file
    assert sorted(table["doc"].unique()) == ["a/b/same.txt", "a/same.txt", "b/same.txt", "same.txt"]
    assert (table["doc"] == "same.txt").sum() == 2 * per_file      # the top of either root
    assert table["claim_id"].is_unique


def test_a_file_given_twice_is_read_once(tmp_path):
    _tree(tmp_path / "in", {"a/x.txt": SAME})
    out = tmp_path / "t.jsonl"
    assert main(["extract", str(tmp_path / "in"), str(tmp_path / "in" / "a" / "x.txt"), "-o", str(out),
                 "--workers", "1"]) == 0
    table = read_table(out)
    assert len(table) == 3 and table["claim_id"].is_unique
