"""Table-driven checks of numerals, units, qualifiers and exclusions (tests/cases/*.tsv)."""
from __future__ import annotations

import pytest

from extract import extract_text
from tests.conftest import read_cases


def parse_expected(spec: str) -> list[tuple]:
    if spec.strip() == "-":
        return []
    out = []
    for item in spec.split(" ; "):
        number, value, unit, qualifier = item.strip().split("|")
        out.append((number, float(value), unit, qualifier))
    return out


@pytest.mark.parametrize("text,expected", [pytest.param(r[0], r[1], id=r[0][:20]) for r in read_cases("claims.tsv")])
def test_claims(text, expected):
    rows = extract_text(text)
    got = [(r["number_text"], r["value"], r["unit"], r["qualifier"]) for r in rows]
    assert got == parse_expected(expected)
    for r in rows:
        assert text[r["start"]:r["end"]].startswith(r["number_text"])


@pytest.mark.parametrize("text,reason", [pytest.param(r[0], r[1], id=r[1] + ":" + r[0][:12])
                                         for r in read_cases("exclusions.tsv")])
def test_out_of_scope(text, reason):
    assert [(r["number_text"], r["unit"]) for r in extract_text(text)] == []


@pytest.mark.parametrize("text,numeral,indicator", [pytest.param(*r, id=r[0][:20]) for r in read_cases("indicators.tsv")])
def test_indicator(text, numeral, indicator):
    assert [r["indicator"] for r in extract_text(text) if r["number_text"] == numeral] == [indicator]


@pytest.mark.parametrize("text,numeral,themes", [pytest.param(*r, id=r[0][:20]) for r in read_cases("themes.tsv")])
def test_theme(text, numeral, themes):
    assert [r["theme"] in themes.split("|") for r in extract_text(text) if r["number_text"] == numeral] == [True]


def test_repeated_paragraph_rows_are_told_apart():
    para = "全市成立13个党建引领多元治理共同体。\n\n"
    rows = extract_text("赤峰市\n\n" + para + para)
    assert len(rows) == 2
    first, second = rows
    assert first["claim_id"] != second["claim_id"]
    assert first["duplicate_of"] == ""
    assert second["duplicate_of"] == first["claim_id"]


def test_api_rows_have_every_column():
    from extract import COLUMNS

    rows = extract_text("赤峰市建成2610个党群服务中心", doc="a.txt")
    assert len(rows) == 1
    assert set(rows[0]) == set(COLUMNS)
    assert rows[0]["doc"] == "a.txt"
    assert rows[0]["indicator"] == "党群服务中心"
    assert rows[0]["theme"] == "facility"


def test_offset_shifts_positions():
    text = "全旗建成15支志愿服务队伍"
    plain, shifted = extract_text(text), extract_text(text, offset=100)
    assert [r["start"] + 100 for r in plain] == [r["start"] for r in shifted]
    assert [r["sentence_start"] + 100 for r in plain] == [r["sentence_start"] for r in shifted]
