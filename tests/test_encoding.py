"""reading/encoding.py: which codec a file is in, and whether it is text at all."""
from __future__ import annotations

import pytest

from extract.reading import ReadError, decode_bytes


def test_declared_charset():
    page = '<html><head><meta charset="{}"></head><body><p>{}</p></body></html>'
    big5 = decode_bytes(page.format("big5", "克什克騰旗建成12個服務站。").encode("big5"), "p.html")
    assert big5.encoding == "big5" and big5.text == "克什克騰旗建成12個服務站。"
    misdeclared = decode_bytes(page.format("iso-8859-1", "克什克腾旗建成12个服务站。").encode("gbk"), "p.html")
    assert misdeclared.encoding == "gb18030" and "克什克腾旗建成12个服务站。" in misdeclared.text


def test_guess_falls_back_to_charset_normalizer():
    """Neither UTF-8 nor GB18030 (0x80, the euro sign, cannot start a GB18030 character)."""
    text = "Le prix est de 5 € par personne, café et thé compris, pour la réunion du comité. " * 3
    from charset_normalizer import from_bytes

    data = text.encode("cp1252")
    doc = decode_bytes(data, "fr.txt")
    assert doc.encoding not in ("utf-8", "gb18030")
    assert doc.text == data.decode(from_bytes(data).best().encoding)   # its guess, right or not
    assert "par personne" in doc.text


def test_random_bytes_are_not_text():
    import random

    rng = random.Random(5)
    for _ in range(50):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(64, 4096)))
        with pytest.raises(ReadError) as info:
            decode_bytes(data, "noise.txt")
        assert info.value.status in ("binary", "undecodable")
