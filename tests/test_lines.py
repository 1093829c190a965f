"""text/lines.py: the non-empty lines of a text with their offsets, and which are headings."""
from __future__ import annotations

import pytest

from extract.text.lines import blocks, is_heading


def test_blocks_are_stripped_lines_with_offsets():
    text = "  标题 \n\n正文第一段。\n\t第二段，继续。  \n"
    got = blocks(text)
    assert [b.text for b in got] == ["标题", "正文第一段。", "第二段，继续。"]
    assert all(text[b.start:b.end] == b.text for b in got)


@pytest.mark.parametrize("line,heading", [
    ("赤峰市建成2610个党群服务中心", True), ("建成2610个，选派楼栋长", False), ("全市建成。", False),
    ("短…", False), ("长" * 41, False),
])
def test_is_heading(line, heading):
    assert is_heading(line) is heading
