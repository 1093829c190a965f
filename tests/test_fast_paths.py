"""Each speed-up of the extractor (issue 4) gives the answers of the plain way it replaced.

The plain ways are written out here as slow references: a numeral regex tried at every
position, a division-name search that looks at every offset, a character-by-character
window clip. The fast ones must agree with them on the seed pages and on generated text.
"""
from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import extract_text
from extract.claims.claims import numeral_follow
from extract.rulefiles import grouped
from extract.indicators.phrase import STOP_CHARS, _clip_left, _clip_patterns, _clip_right
from extract.text.normalize import for_reading
from extract.claims.numbers import _ARABIC, _CN, NUMERAL_RE, find_numerals
from extract.places.gazetteer import MAX_NAME, gazetteer
from extract.places.mentions import find_mentions, foreign_short_form, name_ends, stands_as_name
from extract.text.sentences import clause_bounds, clause_cuts, split_sentences
from extract.run.runtime import GC_THRESHOLD, extracting

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
SETTINGS = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NAMES = sorted(gazetteer().names)[::97] + ["赤峰市", "克什克腾旗", "经棚镇", "巴林左旗", "新城区", "社区"]
PIECES = st.sampled_from(NAMES + ["建成", "党群服务中心", "2610个", "三千名", "进一步", "，", "。", "\n", "路", "街",
                                  "一", "百分之五", "两万余元", "3.5万", "、", "等地"])
TEXT = st.lists(st.one_of(PIECES, PIECES, st.text(max_size=3)), max_size=30).map("".join)


# ---------------------------------------------------------------- numerals

def reference_numerals(text: str, chinese_next: frozenset[str] | None) -> list[tuple[int, str]]:
    """Spans of the numeral regex tried at every position, with a look-ahead for the
    character after a Chinese numeral (the way find_numerals worked before)."""
    first = "一二两三四五六七八九十〇零"
    follow = f"(?=[余多]?[{re.escape(''.join(chinese_next))}])" if chinese_next else ""
    pattern = re.compile(rf"{_ARABIC}|(?P<cn>百分之[{first}][{_CN}]*|[{first}][{_CN}]*+{follow})")
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


def numeral_starts(text: str, chinese_next) -> list[int]:
    return [n.start for n in find_numerals(text, 0, len(text), chinese_next)]


def readable(written: str) -> bool:
    """What find_numerals keeps of a reference match: cn2an reads it, at most 15 digits."""
    return any(n.start == 0 for n in find_numerals(written))


@pytest.mark.parametrize("chinese_next", [None, "units"])
def test_numerals_match_a_full_scan_on_the_seeds(chinese_next):
    nxt = numeral_follow() if chinese_next else None
    for text in SEEDS:
        want = [start for start, written in reference_numerals(text, nxt) if readable(written)]
        assert numeral_starts(text, nxt) == want


@SETTINGS
@given(TEXT)
def test_numerals_match_a_full_scan(text):
    for nxt in (None, numeral_follow()):
        want = [start for start, written in reference_numerals(text, nxt) if readable(written)]
        assert numeral_starts(text, nxt) == want


def test_plain_numeral_pattern_is_unchanged():
    assert [m.start() for m in NUMERAL_RE.finditer("第3.5.2版，2610个，三千名，进一步")] == \
        [start for start, _ in reference_numerals("第3.5.2版，2610个，三千名，进一步", None)]


# ---------------------------------------------------------------- place names

def reference_mentions(text: str) -> list[tuple[int, int, str]]:
    """Division names found by looking at every end offset and every length."""
    names = gazetteer().names
    roads = grouped("place_locatives.tsv")["road"]
    found = []
    for p in range(2, len(text) + 1):
        for length in range(min(MAX_NAME, p), 1, -1):
            if text[p - length:p] in names:
                if foreign_short_form(text[p - length:p], names[text[p - length:p]]) and \
                        not stands_as_name(text, p - length, p):
                    break       # 天水 in 露天水果
                if not text.startswith(roads, p):
                    found.append((p - length, p, text[p - length:p]))
                break
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out = []
    for m in found:
        if out and m[0] < out[-1][1]:
            if m[1] - m[0] > out[-1][1] - out[-1][0]:
                out[-1] = m
            continue
        out.append(m)
    return out


def test_name_ends_holds_every_name_end_in_the_seeds():
    names = gazetteer().names
    for text in SEEDS:
        ends = set(name_ends(text))
        for p in range(2, len(text) + 1):
            if any(text[p - n:p] in names for n in range(2, min(MAX_NAME, p) + 1)):
                assert p in ends, text[max(0, p - 14):p]


@pytest.mark.parametrize("index", range(len(SEEDS)))
def test_mentions_match_a_full_scan_on_the_seeds(index):
    text = SEEDS[index]
    assert [(m.start, m.end, m.text) for m in find_mentions(text)] == reference_mentions(text)


@SETTINGS
@given(TEXT, st.integers(0, 10))
def test_mentions_match_a_full_scan(text, cut):
    assert [(m.start, m.end, m.text) for m in find_mentions(text)] == reference_mentions(text)
    start = min(cut, len(text))     # a range of the text, with the page's ends passed in
    sub = [(m.start - start, m.end - start, m.text) for m in
           find_mentions(text, start, len(text), [p for p in name_ends(text) if p >= start + 2])]
    assert sub == reference_mentions(text[start:])


# ---------------------------------------------------------------- indicator windows

def test_window_class_is_the_character_test_it_replaced():
    """The clip regex accepts exactly the characters the old loop accepted, over all of Unicode."""
    window = _clip_patterns()[0]
    for code in range(0x110000):
        ch = chr(code)
        old = not (ch in STOP_CHARS or ch.isdigit() or ch <= " ")
        assert bool(window.fullmatch(ch)) == old, hex(code)


@pytest.mark.parametrize("text,pos,right,left", [
    ("建成2610个党群服务中心，选派楼栋长", 7, "党群服务中心", "建成2610个"[-1:]),
    ("化解各类矛盾纠纷530余件", 8, "530余件"[:0], "化解各类矛盾纠纷"),
    ("①网格员836名②", 1, "网格员", ""),
    ("一二三四五六七八九十一二三四五六七八九十", 0, "一二三四五六七八九十一二三四", ""),
])
def test_window_clips(text, pos, right, left):
    assert _clip_right(text, pos, len(text)) == right
    assert _clip_left(text, pos, 0) == left


# ---------------------------------------------------------------- clauses

SENTENCE_TEXT = st.lists(st.one_of(PIECES, st.sampled_from(["！", "？", "；", "…", "”", "）", " ", "\n\n", "　",
                                                             "。”", "\t", "a"])), max_size=40).map("".join)


def reference_clause(text: str, sentence, pos: int) -> tuple[int, int]:
    """The clause holding pos: after the last clause mark before it, up to the next one."""
    marks = "，,；;：:。！？!?"
    left = max((i + 1 for i in range(sentence.start, pos) if text[i] in marks), default=sentence.start)
    right = next((i for i in range(pos, sentence.end) if text[i] in marks), sentence.end)
    return left, right


@SETTINGS
@given(SENTENCE_TEXT)
def test_clause_bounds_from_cuts_match_a_scan(text):
    for sentence in split_sentences(text):
        cuts = clause_cuts(text, sentence)
        for pos in range(sentence.start, sentence.end + 1):
            want = reference_clause(text, sentence, pos)
            assert clause_bounds(text, sentence, pos, cuts) == want
            assert clause_bounds(text, sentence, pos) == want


# ---------------------------------------------------------------- traditional characters

@pytest.mark.parametrize("text,converted", [
    ("成效显著，网格覆盖全旗，著名的党群服务中心建成2610个。", False),   # 著/覆 are simplified too
    ("內蒙古巴彥淖爾市烏拉特前旗帶動牧戶36戶，分紅12.6萬元。", True),
])
def test_traditional_text_is_read_as_simplified(text, converted):
    reading = for_reading(text)
    assert len(reading) == len(text)
    assert (reading != text) == converted


# ---------------------------------------------------------------- garbage collector

def test_extracting_tunes_the_collector_and_restores_it():
    before = gc.get_threshold()
    with extracting():
        assert gc.get_threshold() == GC_THRESHOLD
        assert gc.get_freeze_count() > 0
        with extracting():              # nested: still tuned after the inner exit
            pass
        assert gc.get_threshold() == GC_THRESHOLD
        rows = extract_text("赤峰市建成2610个党群服务中心。")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert [r["value"] for r in rows] == [2610.0]


# ---------------------------------------------------------------- Parquet without pandas

def test_arrow_table_is_what_pandas_made():
    """to_arrow (dicts straight to Arrow) gives the table pyarrow made of to_frame, metadata
    included, so Parquet parts and files read back exactly as before."""
    import pyarrow as pa

    from extract.table import to_arrow, to_frame

    rows = [row for text in SEEDS for row in extract_text(text, doc="seed.txt")]
    assert rows
    want = pa.Table.from_pandas(to_frame(rows), preserve_index=False)
    assert to_arrow(rows).equals(want, check_metadata=True)
    assert to_arrow([]).equals(pa.Table.from_pandas(to_frame([]), preserve_index=False), check_metadata=True)
    odd = dict(rows[0], town=None, place_note=7)          # None and a non-string, as to_frame reads them
    got = to_arrow([odd]).to_pylist()[0]
    assert got["town"] == "" and got["place_note"] == "7"
    as_text = [{k: str(v) for k, v in row.items()} for row in rows[:3]]   # a table read from CSV
    assert to_arrow(as_text).equals(pa.Table.from_pandas(to_frame(as_text), preserve_index=False))
    assert to_arrow(as_text).column("value").to_pylist() == [r["value"] for r in rows[:3]]


def test_parquet_from_rows_and_from_a_frame_are_the_same_file(tmp_path):
    import pyarrow.parquet as pq

    from extract.table import to_frame
    from extract.tableio import TableWriter

    rows = [row for text in SEEDS[:2] for row in extract_text(text, doc="seed.txt")]
    with TableWriter(tmp_path / "rows.parquet") as out:
        out.write(rows[:10])
        out.write(rows[10:])
    with TableWriter(tmp_path / "frame.parquet") as out:
        out.write(to_frame(rows))
    assert out.rows == len(rows)
    a, b = pq.read_table(tmp_path / "rows.parquet"), pq.read_table(tmp_path / "frame.parquet")
    assert a.equals(b, check_metadata=True) and a.num_rows == len(rows)


# ---------------------------------------------------------------- reading

@pytest.mark.parametrize("name,shown", [
    ("a.txt", "a.txt"), ("dir/b.txt", "b.txt"), (".", ""), ("..", ".."), ("x/", "x"),
    ("版面\udcff.txt", "版面\\udcff.txt"),
])
def test_display_name_is_the_path_name(name, shown):
    from extract.reading.document import display_name as _display_name

    assert _display_name(name) == shown


@pytest.mark.parametrize("data,status", [
    ("赤峰市建成2610个党群服务中心。\r\n第二行。".encode("utf-8"), "ok"),
    ("正文".encode("utf-8") + b"\x01\x02\x03\x04\x05\x06", "binary"),        # short: head is the text
    (("正文。" * 30000).encode("utf-8") + b"\x01" * 10, "ok"),                 # long: head is sniffed
])
def test_small_files_are_checked_on_their_whole_text(data, status):
    from extract.reading import ReadError, decode_bytes

    try:
        doc = decode_bytes(data, "page.txt")
    except ReadError as exc:
        assert exc.status == status
    else:
        assert status == "ok" and "\r" not in doc.text


# ---------------------------------------------------------------- theme keywords

def _theme_matches(pattern, text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


def _keywords() -> list[str]:
    from extract.themes import table

    return sorted(table().theme_of, key=len, reverse=True)


THEME_TEXT = st.lists(st.one_of(st.sampled_from(_keywords()), PIECES), max_size=25).map("".join)


def test_theme_keywords_match_as_with_regex_on_the_seeds():
    """The keyword alternation on stdlib re finds what it found on the `regex` module."""
    import regex

    from extract.themes import table

    old = regex.compile("|".join(map(regex.escape, _keywords())))
    for text in SEEDS:
        assert _theme_matches(table().pattern, text) == _theme_matches(old, text)


@SETTINGS
@given(THEME_TEXT)
def test_theme_keywords_match_as_with_regex(text):
    import regex

    from extract.themes import table

    old = regex.compile("|".join(map(regex.escape, _keywords())))
    assert _theme_matches(table().pattern, text) == _theme_matches(old, text)


@pytest.mark.parametrize("actual,seen,limit", [
    (100, 100, 1001), (100, 40, 1001), (100, 400, 1001),     # the size seen, grown, shrunk
    (5000, 100, 1001), (1001, 1001, 1001), (1002, 10, 1001), (0, 0, 1001),
])
def test_reading_at_most_a_limit_gives_the_plain_read(actual, seen, limit):
    """read_document asks for the size it saw, not for the whole limit at once: same bytes."""
    import io

    from extract.reading.document import _read_at_most

    data = bytes(range(256)) * (actual // 256 + 1)
    data = data[:actual]
    assert _read_at_most(io.BytesIO(data), limit, seen) == io.BytesIO(data).read(limit)


def test_collector_paused_restores_the_collector():
    """The tagger loads with the garbage collector off (extract.libs.collector_paused), which
    must leave the collector as it found it, also when loading fails."""
    import gc

    from extract.libs import collector_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("load failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()      # a host that had it off keeps it off
    finally:
        gc.enable()


def test_quiet_import_drops_the_banner(capsys):
    import sys

    from extract.libs import quiet_import

    loaded = sys.modules.pop("jiojio", None)      # import it afresh, banner and all
    try:
        module = quiet_import("jiojio")
        assert module.__name__ == "jiojio" and capsys.readouterr().out == ""
    finally:
        if loaded is not None:
            sys.modules["jiojio"] = loaded
