"""Periods, kinds, ranges and value bounds: table-driven cases from real sentences, the
hand-checked sample, and the rule files' schema checks."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from extract.claims.claims import find_claims
from extract.periods import find_times, period_for, resolve, time_columns
from extract.periods.kind import kind_rules
from extract.periods.period import Period, time_rules
from extract.claims.ranges import merge_ranges, value_bounds
from extract.ruleschema import DATA, RuleError
from tests.conftest import read_cases

SAMPLE = Path(__file__).parent / "data" / "period_kind_sample.jsonl"


def claims_of(sentence: str):
    return merge_ranges(sentence, 0, len(sentence), find_claims(sentence))


def claim_at(sentence: str, start: int):
    found = [c for c in claims_of(sentence) if c.start == start]
    assert found, f"no claim at {start} in {sentence!r}"
    return found[0]


@pytest.mark.parametrize("sentence,claim,published,period,start,end,doc",
                         [pytest.param(*r, id=f"{r[6][:8]}-{r[1]}") for r in read_cases("periods.tsv")])
def test_period_cases(sentence, claim, published, period, start, end, doc):
    assert sentence.endswith(claim)
    at = len(sentence) - len(claim)
    claim_at(sentence, at)          # the figure is a claim at all
    expr = period_for(find_times(sentence), at, 0)
    got = resolve(expr, published) if expr else Period()
    assert (got.period, got.period_start, got.period_end) == (period, start, end)


def test_period_cases_are_enough():
    rows = read_cases("periods.tsv")
    assert len(rows) >= 40
    assert sum(1 for r in rows if r[3]) >= 35 and sum(1 for r in rows if r[4]) >= 25


@pytest.mark.parametrize("sentence,claim,occurrence,kind,doc",
                         [pytest.param(*r, id=f"{r[4][:8]}-{r[1]}") for r in read_cases("kinds.tsv")])
def test_kind_cases(sentence, claim, occurrence, kind, doc):
    pos = -1
    for _ in range(int(occurrence)):
        pos = sentence.find(claim, pos + 1)
    c = claim_at(sentence, pos)
    assert time_columns(sentence, (0, len(sentence)), c.start, c.end, c.unit, c.unit_kind)["kind"] == kind


def test_kind_cases_cover_every_kind():
    rows = read_cases("kinds.tsv")
    assert len(rows) >= 40
    counts = {k: sum(1 for r in rows if r[3] == k) for k in ("stock", "flow", "change", "target", "forecast")}
    assert min(counts.values()) >= 5, counts


@pytest.mark.parametrize("text,number,value,unit,qualifier,low,high",
                         [pytest.param(*(r + [""] * (7 - len(r))), id=r[0][:16]) for r in read_cases("ranges.tsv")])
def test_range_cases(text, number, value, unit, qualifier, low, high):
    claims = claims_of(text)
    if number == "-":
        assert claims == [], claims
        return
    [c] = [c for c in claims if c.number_text == number]
    assert (c.value, c.unit, c.qualifier) == (float(value), unit, qualifier)
    got = value_bounds(text, c.start, c.value, c.qualifier, c.number_text)
    for g, want in zip(got, (low, high)):
        assert (math.isnan(g) and want == "nan") or g == float(want), (got, low, high)


def test_a_range_replaces_the_claims_inside_it():
    text = "每斤三到四元，增长3%—5%"
    assert [(c.number_text, c.qualifier) for c in claims_of(text)] == [("三到四", "range"), ("3%—5", "range")]


def test_relative_periods_resolve_against_the_date_published():
    [expr] = find_times("今年以来,化解矛盾纠纷530余件")
    assert resolve(expr, "2024-03-05") == Period("今年以来", "2024-01-01", "2024-03-05")
    assert resolve(expr, "") == Period("今年以来", "", "")            # never guessed
    [expr] = find_times("去年全旗脱贫14.1万人")
    assert resolve(expr, "2020-01-11") == Period("去年", "2019-01-01", "2019-12-31")


def test_a_future_period_makes_a_target():
    text = "2025年全镇建成100个"
    c = claim_at(text, text.index("100"))
    row = time_columns(text, (0, len(text)), c.start, c.end, c.unit, c.unit_kind, "2024-03-05")
    assert row == {"period": "2025年", "period_start": "2025-01-01", "period_end": "2025-12-31", "kind": "target"}
    row = time_columns(text, (0, len(text)), c.start, c.end, c.unit, c.unit_kind, "2026-01-05")
    assert row["kind"] == "stock"


def sample_agreement(sample: Path = SAMPLE) -> tuple[int, list, list]:
    records = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line.strip()]
    right, wrong = 0, []
    for rec in records:
        s = rec["sentence"]
        c = claim_at(s, rec["at"])
        got = time_columns(s, (0, len(s)), c.start, c.end, c.unit, c.unit_kind, rec["published"])
        want = {k: rec[k] for k in ("period", "period_start", "period_end", "kind")}
        if got == want:
            right += 1
        else:
            wrong.append((rec["claim"], got, want))
    return right, records, wrong


def test_hand_checked_sample():
    """100 claims drawn at random across the four gold sets (25 each), period and kind read by
    hand in each sentence: at least 90 must come out right on all four columns."""
    right, records, wrong = sample_agreement()
    assert len(records) == 100
    assert {r["set"] for r in records} == {"seeds", "corpus", "pages", "fresh"}
    assert right >= 90, wrong


# --------------------------------------------------------------------------- rule files

def test_time_rules_refuse_a_broken_line(tmp_path):
    src = (DATA / "time_words.tsv").read_text(encoding="utf-8")
    (tmp_path / "time_words.tsv").write_text(src + "expr\tspann\t\\d+年\tx\n", encoding="utf-8")
    with pytest.raises(RuleError) as err:
        time_rules.__wrapped__("time_words.tsv", tmp_path)
    assert (err.value.file, err.value.line) == ("time_words.tsv", len(src.splitlines()) + 1)
    assert "spann" in str(err.value)


@pytest.mark.parametrize("line,why", [
    ("target\tsomewhere\t计划\tx", "where 'somewhere'"),
    ("flow\tnear\t(增长\tx", "does not compile"),
    ("later\tnear\t计划\tx", "kind 'later'"),
    ("stock\tverb", "got 2"),
    ("stock\tsentence\t共有\tx", "sentence and clause rules"),
])
def test_kind_rules_refuse_a_broken_line(tmp_path, line, why):
    (tmp_path / "kind_words.tsv").write_text("# a comment\n" + line + "\n", encoding="utf-8")
    with pytest.raises(RuleError) as err:
        kind_rules.__wrapped__("kind_words.tsv", tmp_path)
    assert (err.value.file, err.value.line) == ("kind_words.tsv", 2) and why in str(err.value)


def test_shipped_rule_files_load():
    assert time_rules().exprs and kind_rules().plans


def test_second_sample():
    """40 more claims, drawn after the rules were tuned on the first sample and checked by hand
    the same way (tests/data/period_kind_heldout.jsonl; 26 of 40 were right when drawn)."""
    right, records, wrong = sample_agreement(SAMPLE.with_name("period_kind_heldout.jsonl"))
    assert len(records) == 40 and right >= 36, wrong


def test_third_sample():
    """40 more claims drawn after the second round (tests/data/period_kind_third.jsonl): 28 of 40
    were right when drawn (every period right; the misses are stock/flow readings and three
    plans), 32 after four general fixes (要求 only before a goal, 准备/打算, 每份32元, 调解工作人员).
    Two of the 40 have since become no claim and were taken out: 十三届三次会议 (a session
    number) and 摸清5个方面 (a structural count), exclusions.tsv; the second was right."""
    right, records, wrong = sample_agreement(SAMPLE.with_name("period_kind_third.jsonl"))
    assert len(records) == 38 and right >= 30, wrong
    assert all(w[1]["period"] == w[2]["period"] for w in wrong)


def test_lead_finds_every_expression():
    """The rule file's lead pattern (where expressions are tried) misses none that a scan at
    every character finds, over every sentence of the cases and samples."""
    from extract.periods import period

    r = time_rules()
    texts = [row[0] for row in read_cases("periods.tsv")] + [row[0] for row in read_cases("kinds.tsv")]
    for name in ("period_kind_sample", "period_kind_heldout", "period_kind_third"):
        texts += [json.loads(line)["sentence"] for line in (SAMPLE.parent / f"{name}.jsonl").read_text(
            encoding="utf-8").splitlines()]
    assert len(texts) > 200
    for text in texts:
        every = [m.span() for m in r.scan.finditer(text) if m.end() > m.start()]
        assert [m.span() for m in period._matches(r, text, 0, len(text))] == every, text
