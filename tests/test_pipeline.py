"""pipeline.py: extract_text's rows, and its properties over hostile generated text (hypothesis; no example database in the repository, a failure prints the minimal input)."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from extract import extract_text
from extract.table import COLUMNS

from conftest import MANY


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

NUMERAL_CHARS = set("0123456789０１２３４５６７８９〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟")
POSITIONS = ("start", "end", "sentence_start", "sentence_end")


def check_rows(text: str, rows, doc: str = "text", offset: int = 0) -> None:
    """What every row of extract_text(text, doc, offset) must satisfy."""
    assert isinstance(rows, list)
    spans = set()
    for row in rows:
        missing = set(COLUMNS) - set(row)
        assert not missing, f"row lacks {sorted(missing)}: {row}"
        assert row["doc"] == doc
        for key in POSITIONS:
            assert isinstance(row[key], int), (key, row)
        assert offset <= row["sentence_start"] <= row["start"] < row["end"] <= row["sentence_end"] \
            <= offset + len(text), row
        span = text[row["start"] - offset:row["end"] - offset]
        assert any(ch in NUMERAL_CHARS or ch.isnumeric() for ch in span), (span, row)
        assert row["number_text"] and row["number_text"] in span, (span, row)
        assert isinstance(row["value"], (int, float)) and math.isfinite(row["value"]), row
        assert (row["start"], row["end"]) not in spans, f"two rows for one span: {row}"
        spans.add((row["start"], row["end"]))


# ---------------------------------------------------------------- generated text

ARABIC = st.from_regex(r"\A[0-9]{1,7}(?:[.,][0-9]{1,3})?\Z")
FULLWIDTH = st.from_regex(r"\A[０-９]{1,6}(?:[．，][０-９]{1,2})?\Z")
CHINESE = st.text(alphabet="〇零一二两三四五六七八九十百千万亿", min_size=1, max_size=6)
NUMERAL = st.one_of(ARABIC, FULLWIDTH, CHINESE,
                    st.sampled_from(["2610", "1.1", "18.5", "三千", "两百", "一万二", "十五", "０", "100"]))
MULTIPLIER = st.sampled_from(["", "", "", "万", "亿", "千万", "万余", "余万", "多万"])
MEASURE = st.sampled_from(["个", "名", "元", "%", "％", "余", "多", "人次", "亩", "户", "处", "支", "万元",
                           "亿元", "元/吨", "余个", "多名", "个以上", "件次", "吨", "公斤", "平方米", ""])
QUALIFIER = st.sampled_from(["", "", "约", "近", "超过", "将近", "不少于", "逾", "共", "达", "第", "全年"])
WORDS = st.sampled_from([
    "赤峰市", "克什克腾旗", "经棚镇", "全市", "全盟", "建成", "党群服务中心", "共有", "网格员", "选派",
    "楼栋长", "2020年", "11月15日", "上世纪70年代", "早上6点", "73岁的", "第二届", "三清一改", "1+6",
    "15分钟", "覆盖率达", "党员占比", "投入资金", "种植", "服务群众", "比去年增长", "其中", "（", "）",
    "“", "”", "：", "《", "》", "——", "……"])
SEPARATOR = st.sampled_from(["，", "。", "；", "、", "！", "？", "\n", "\n\n", "\n\n\n", " ", "\u3000", "\t",
                             "\r\n", "\r", "", "", ""])
NOISE = st.text(max_size=3)           # any code point, controls and lone surrogates included

CLAIM = st.builds(lambda q, n, m, u: q + n + m + u, QUALIFIER, NUMERAL, MULTIPLIER, MEASURE)
NUMERAL_TEXT = st.lists(st.one_of(CLAIM, CLAIM, WORDS, WORDS, SEPARATOR, SEPARATOR, NOISE),
                        max_size=25).map("".join)


@MANY
@given(st.text(max_size=200))
def test_random_unicode(text):
    check_rows(text, extract_text(text))


@MANY
@given(NUMERAL_TEXT)
def test_numeral_heavy_text(text):
    check_rows(text, extract_text(text, doc="x.txt"), doc="x.txt")


@MANY
@given(NUMERAL_TEXT, st.integers(min_value=1, max_value=10**12))
def test_offset_shifts_positions_only(text, offset):
    """extract_text(text, offset=k): the rows of extract_text(text), every position k later."""
    plain = extract_text(text, doc="d")
    shifted = extract_text(text, doc="d", offset=offset)
    check_rows(text, shifted, doc="d", offset=offset)
    assert len(plain) == len(shifted)
    for a, b in zip(plain, shifted):
        for key in POSITIONS:
            assert b[key] == a[key] + offset
        same = {k: v for k, v in a.items() if k not in POSITIONS + ("claim_id", "duplicate_of")}
        assert same == {k: b[k] for k in same}


HOSTILE = [
    "", " ", "\ud800", "\x00" * 10, "2610个\x00", "\ufeff", "\n" * 1000,
    "3个嘎查16个独贵龙2234人", "１２３４名\n\n\n\n５６％", "建成\n2610\n个\n\n党群服务中心",
    "\u202e2610个\u202c", "2610\u200b个", "２\u0301６个",
    "9" * 400 + "个", "9" * 5000 + "个", "1" + "0" * 400 + "元", "一" * 1000 + "个", "１" * 400 + "元",
    "万" * 100 + "个", "1.1.1.1万个", "万万亿亿个", "%%%", "0个", "-5个", "1e309个", "∞个", "NaN个",
    "1/0元", "0.0.0%", "个" * 1000, "。" * 1000, "2610个" * 500, "(" * 500 + "1个" + ")" * 500,
    "\u2028".join(["1个"] * 50), "建成" + "\n" * 50 + "12个", "㈠㈡①②⑩Ⅻ个", "𝟐𝟔𝟏𝟎个", "٢٦١٠个", "१२३个",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[ascii(t[:8]) + (f"+{len(t) - 8}" if len(t) > 8 else "")
                                              for t in HOSTILE])
def test_hostile_inputs(text):
    check_rows(text, extract_text(text))
