"""reading/markup.py: HTML pages reduced to their text."""
from __future__ import annotations

import extract.reading as reading
from extract.reading import html_to_text, read_document

from conftest import BAD


def test_html_reduced_to_text():
    text = read_document(BAD / "page.html").text
    assert read_document(BAD / "page_saved_as.txt").text == text
    for dropped in ("777", "999", "888", "<", "color", "document"):
        assert dropped not in text
    assert "首页 > 新闻" in text                         # entities unescaped
    assert "党员占比18.5%" in text and "基层党组织—比学赶超…" in text
    assert "赤峰市建成2610个党群服务中心\n" in text       # a heading is a line of its own
    assert "楼栋长2399人\n组建15支" in text               # <br> ends a line
    assert "网格员 1234名" in text                       # table cells apart
    assert "大地 2610个" in text                         # &nbsp;&nbsp; is one space
    assert "  " not in text and "\n\n\n" not in text
    gbk = read_document(BAD / "page_gbk.htm")
    assert gbk.format == "html" and "经棚镇建成12个便民服务站" in gbk.text


def test_html_details():
    assert html_to_text("<p>甲\n乙</p><p>a\nb</p>") == "甲乙\n\na b"    # a source line break between
    assert html_to_text("<pre>a\n  b</pre>") == "a\n  b"                 # Chinese characters is no gap
    assert html_to_text("<p>x &amp;lt; &#x4e00;&#19968;</p>") == "x &lt; 一一"
    assert html_to_text("<div>a<script>b</script><style>c</style>d</div>") == "ad"
    assert html_to_text("<script><script>x</script>y") == "y"
    assert html_to_text("no tags at all") == "no tags at all"
    assert reading.looks_like_html("\ufeff  <!-- c -->\n<!DOCTYPE HTML>") is False  # BOM is removed first
    assert reading.looks_like_html("  <!-- c -->\n<!DOCTYPE HTML>")
    assert not reading.looks_like_html("我们的<html>标签教程")
