"""Canonical measures: the rule files, table-driven cases, and the hand-checked sample of gold
claims (tests/data/measures_sample.jsonl: 300 required gold claims of the four sets, each with
the measure a reader gives it), plus junk and coverage on every gold set."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from extract import extract_text
from extract import rulefiles
from extract.indicators import measures
from extract.indicators.phrase import is_junk
from extract.rulefiles import RuleError
from extract.run.files import process_file

from conftest import read_cases

SAMPLE = Path(__file__).parent / "data" / "measures_sample.jsonl"
FRESH = Path(__file__).parent / "data" / "fresh"
SAMPLE_BAR, JUNK_BAR, COVERAGE_BAR = 0.90, 0.01, 0.75


@pytest.mark.parametrize("text,numeral,measure,label,level,source,indicator",
                         [pytest.param(*r, id=f"{r[0][:16]}-{r[1]}") for r in read_cases("measures.tsv")])
def test_measure_columns(text, numeral, measure, label, level, source, indicator):
    rows = [r for r in extract_text(text) if r["number_text"] == numeral]
    assert [(r["measure"], r["measure_label"], r["level"], r["indicator_source"], r["indicator"]) for r in rows] \
        == [(measure, label, level, source, indicator)]


def test_measure_table_has_the_dashboard_fields():
    table = measures.measure_table()
    assert len(table) >= 60
    assert table["party_service_centers"] == {"label_zh": "党群服务中心", "label_en": "party-mass service centres",
                                              "theme": "facility", "unit_family": "facilities", "additive": True}
    assert table["share"]["additive"] is False and table["prices"]["additive"] is False
    assert table["grid_workers"]["unit_family"] == "people"


def test_every_measure_of_the_sample_exists():
    table = measures.measure_table()
    assert {json.loads(line)["measure"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()} <= set(table)


@pytest.mark.parametrize("name,line,why", [
    ("measures.tsv", "x\t党员\tparty\tparty_org\tnofamily\tyes\t-\t党员", "unit family 'nofamily' not in measure_units.tsv"),
    ("measures.tsv", "x\t党员\tparty\tparty_org\tpeople\tyes\t亩\t党员", "fallback units must be - or units of the family"),
    ("measures.tsv", "party_members\t党员\tparty\tparty_org\tpeople\tyes\t-\t党员", "id and label_zh required, id unique"),
    ("measures.tsv", "x\t党员\tparty\tparty_org\tpeople\tyes\t人\t党员", "unit '人' is already the fallback of 'people_count'"),
    ("measure_per.tsv", "income\t每天\tno_such_measure", "expected measure, words (|-separated), measure"),
])
def test_a_line_that_does_not_fit_the_other_rule_files_is_refused(tmp_path, monkeypatch, name, line, why):
    """Checks across files (a measure's unit family, its fallback units) name the file and line,
    like the schema checks of rulefiles.py (tests/test_rulefiles.py)."""
    for f in ("measures.tsv", "measure_units.tsv", "level_words.tsv", "measure_per.tsv"):
        (tmp_path / f).write_text((rulefiles.RULES / f).read_text(encoding="utf-8"), encoding="utf-8")
    with open(tmp_path / name, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    number = len((tmp_path / name).read_text(encoding="utf-8").splitlines())
    monkeypatch.setattr(rulefiles, "RULES", tmp_path)
    for cached in (rulefiles.rows, measures._rules, measures._per_rules):
        cached.cache_clear()
    try:
        with pytest.raises(RuleError) as caught:
            measures._rules()
            measures._per_rules()
        assert (caught.value.file, caught.value.line) == (name, number)
        assert why in caught.value.why
    finally:
        monkeypatch.undo()
        for cached in (rulefiles.rows, measures._rules, measures._per_rules):
            cached.cache_clear()


# ---------------------------------------------------------------- the gold sets

def _sets(root: Path, shared: Path) -> dict[str, tuple[Path, Path]]:
    return {"seeds": (shared / "gold" / "seeds.jsonl", root / "seeds"),
            "corpus": (shared / "gold" / "corpus.jsonl", shared / "corpus"),
            "pages": (shared / "pages" / "gold.jsonl", shared / "pages"),
            "fresh": (FRESH / "gold.jsonl", FRESH / "docs")}


@pytest.fixture(scope="module")
def extracted(root, shared):
    """Per gold set: its gold records (the scorer's reading, spans included) and the rows."""
    sys.path.insert(0, str(shared / "tools"))
    import score

    out = {}
    for name, (gold_path, docs) in _sets(root, shared).items():
        texts, gold = score.load_gold([gold_path], docs)
        rows = [dict(r, doc=doc) for doc in sorted(texts) for r in process_file(docs / doc).rows]
        out[name] = (score, docs, gold, rows)
    return out


def _matched(score, gold, rows) -> dict[int, dict]:
    """gold index -> the row the scorer pairs with it."""
    _, _, _, _ = score.score(gold, rows)
    pairs = sorted((abs(p["start"] - g["start"]) + abs(p["end"] - g["end"]) * 0.01, gi, pi)
                   for gi, g in enumerate(gold) for pi, p in enumerate(rows)
                   if p["doc"] == g["doc"] and p["start"] < g["end"] and g["start"] < p["end"])
    used_g, used_p, out = set(), set(), {}
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out[gi] = rows[pi]
    return out


def test_junk_is_at_most_one_percent_of_rows_on_every_gold_set(extracted):
    for name, (_, _, _, rows) in extracted.items():
        junk = [r["indicator"] for r in rows if is_junk(r["indicator"])]
        assert len(junk) <= JUNK_BAR * len(rows), f"{name}: {len(junk)} of {len(rows)} rows name nothing: {junk}"


def test_most_required_gold_claims_get_a_measure_of_their_own(extracted):
    """Coverage: a measure found from the claim's words, not only its unit's fallback."""
    fallbacks = set(measures._rules().fallbacks.values())
    total = covered = 0
    for name, (score, _, gold, rows) in extracted.items():
        matched = _matched(score, gold, rows)
        for i, g in enumerate(gold):
            if g["required"]:
                total += 1
                row = matched.get(i)
                covered += bool(row and row["measure"] and row["measure"] not in fallbacks)
    assert covered / total >= COVERAGE_BAR, f"{covered} of {total}"


def test_the_measure_is_right_on_the_hand_checked_sample(extracted, tmp_path):
    sample = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    right, wrong = 0, []
    for name, (score, docs, _, rows) in extracted.items():
        part = tmp_path / f"{name}.jsonl"
        part.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in sample if r["set"] == name),
                        encoding="utf-8")
        _, gold = score.load_gold([part], docs)
        matched = _matched(score, gold, rows)
        for i, g in enumerate(gold):
            got = matched.get(i, {}).get("measure")
            if got == g["measure"]:
                right += 1
            else:
                wrong.append(f"{g['quote']}: {g['measure']} != {got}")
    assert len(sample) == 300
    assert right / len(sample) >= SAMPLE_BAR, f"{right} of {len(sample)} right; wrong: {wrong}"
