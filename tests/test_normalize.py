"""text/normalize.py: traditional characters read as simplified, same length."""
from __future__ import annotations

import pytest

from extract.text.normalize import for_reading


# ---------------------------------------------------------------- traditional characters

@pytest.mark.parametrize("text,converted", [
    ("成效显著，网格覆盖全旗，著名的党群服务中心建成2610个。", False),   # 著/覆 are simplified too
    ("內蒙古巴彥淖爾市烏拉特前旗帶動牧戶36戶，分紅12.6萬元。", True),
])
def test_traditional_text_is_read_as_simplified(text, converted):
    reading = for_reading(text)
    assert len(reading) == len(text)
    assert (reading != text) == converted
