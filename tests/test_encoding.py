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


# ---------------------------------------------------------------- the Big5 check, counted in C

def _unlikely_as_gb_loop(head: bytes) -> bool:
    """The check as it was written first, a character at a time (the reference)."""
    import codecs

    from extract.reading.encoding import SNIFF_BYTES

    text = codecs.getincrementaldecoder("gb18030")("replace").decode(head[:SNIFF_BYTES], final=False)
    wide = [ch for ch in text if ord(ch) > 0x7f]
    if len(wide) < 8:
        return False
    if sum(1 for ch in wide if "\ue000" <= ch <= "\uf8ff") / len(wide) > 0.01:
        return True
    han = [ch for ch in wide if "\u4e00" <= ch <= "\u9fff"]

    def in_gb2312(ch):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return True
    return bool(han) and sum(1 for ch in han if not in_gb2312(ch)) / len(han) > 0.3


def test_big5_check_matches_the_character_loop():
    from hypothesis import given
    from hypothesis import strategies as st

    from extract.reading.encoding import _unlikely_as_gb

    from conftest import QUICK, SEED_TEXTS

    chars = st.one_of(st.characters(min_codepoint=0x4e00, max_codepoint=0x9fff),
                      st.characters(min_codepoint=0xe000, max_codepoint=0xf8ff),
                      st.characters(min_codepoint=0x20, max_codepoint=0x7e))

    @QUICK
    @given(st.one_of(st.binary(max_size=600),
                     st.text(chars, max_size=200).map(lambda t: t.encode("gb18030")),
                     st.sampled_from(SEED_TEXTS).map(lambda t: t.encode("big5", errors="ignore")[:3000])))
    def check(head):
        assert _unlikely_as_gb(head) == _unlikely_as_gb_loop(head)
    check()
    for text in SEED_TEXTS:
        assert _unlikely_as_gb(text.encode("big5", errors="ignore")) is True
        assert _unlikely_as_gb(text.encode("gb18030")) is False


import pytest  # noqa: E402


@pytest.mark.parametrize("data,binary", [
    ("MZ".encode(), False),                           # a text may start with the letters of a signature
    ("BZh是一个缩写".encode(), False),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", True),      # a Windows executable's header
    (b"BZh91AY&SY\x00\x01", True),                     # bzip2
    (b"%PDF-1.7\n", True),                            # a long signature counts alone
])
def test_short_signatures_need_binary_bytes(data, binary):
    from extract.reading.encoding import _magic

    assert (_magic(data) is not None) == binary
