"""Which codec a file is in, and whether it is text at all.

Encodings are tried in this order:

1. a byte-order mark (UTF-8, UTF-16 or UTF-32) decides;
2. strict UTF-8;
3. the charset an HTML page declares (``<meta charset=...>``), if it decodes;
4. strict GB18030 (which also reads GBK and GB2312 archives);
5. charset-normalizer's best guess.

UTF-16 without a BOM is recognised when the zero bytes line up with one byte
order and the decoded text is plausibly text. Everything else with zero bytes,
a known binary signature (PNG, ZIP, PDF, ...) or many control characters is
refused as ``binary``.
"""
from __future__ import annotations

import codecs
import re
from typing import Callable

from .errors import ReadError

#: Bytes looked at to tell text from binary and to guess an encoding.
SNIFF_BYTES = 1 << 16
#: Share of control characters above which a file counts as binary.
MAX_CONTROL_SHARE = 0.05
#: Share of characters that may be replacement characters (U+FFFD for an invalid byte) in a
#: file read with errors="replace" after strict decoding failed; above it, undecodable.
MAX_REPLACED_SHARE = 0.005
#: Codecs a file may be read with replacement in, best first.
LENIENT_CODECS = ("utf-8", "gb18030")

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (doc/xls)"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
)

# Control characters that do not occur in text (tab, newlines and form feed do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c") + b"\x7f"
_CONTROL_CHARS_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)



def _bom_codec(head: bytes) -> str | None:
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec
    return None


def _magic(head: bytes) -> str | None:
    """The kind of binary file `head` starts like. A short signature of letters only (MZ, BZh)
    also starts words of a text, so it counts only with a control byte in the head."""
    for signature, what in MAGIC:
        if head.startswith(signature) and (
                len(signature) >= 4 or not signature.isalpha()
                or any(b in _CONTROL_BYTES for b in head[:SNIFF_BYTES])):
            return what
    return None


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _text_control_share(text: str) -> float:
    return len(_CONTROL_CHARS_RE.findall(text)) / len(text) if text else 0.0


def _plausible_text_share(text: str) -> float:
    """Share of characters that are common in Chinese/English text (ASCII, CJK, full-width)."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if (" " <= ch <= "~") or ch in "\t\n\r"
               or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\u3400" <= ch <= "\u4dbf"
               or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f")
    return good / len(text)


def _utf16_without_bom(sample: bytes) -> str | None:
    """utf-16-le or utf-16-be, whichever byte order reads as plausible text (none: None)."""
    sample = sample[: len(sample) // 2 * 2]
    scores = []
    for codec in ("utf-16-le", "utf-16-be"):
        text = codecs.getincrementaldecoder(codec)("replace").decode(sample, final=False)
        if "\ufffd" not in text and _text_control_share(text) <= MAX_CONTROL_SHARE:
            scores.append((_plausible_text_share(text), codec))
    share, codec = max(scores, key=lambda sc: sc[0], default=(0.0, None))
    return codec if share >= 0.9 else None


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET_RE.search(head[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _sniff(path, head: bytes) -> str | None:
    """The codec a BOM or zero-byte layout makes certain; raise ReadError for binary files."""
    codec = _bom_codec(head)
    if codec:
        return codec
    what = _magic(head)
    if what:
        raise ReadError(path, "binary", f"looks like a {what}")
    sample = head[:SNIFF_BYTES]
    if b"\x00" in sample:
        codec = _utf16_without_bom(sample)
        if codec:
            return codec
        raise ReadError(path, "binary", "contains NUL bytes")  # (and is not UTF-16 text)
    share = _control_share(sample)
    if share > MAX_CONTROL_SHARE:
        raise ReadError(path, "binary", f"{share:.0%} control characters")
    return None


def _candidates(head: bytes) -> list[str]:
    """Codecs to try, in order, when no BOM decided.

    A charset the page declares comes between UTF-8 and GB18030 when it is a
    multi-byte one (big5, gbk, shift_jis, ...): a declared latin-1 or cp1252
    would read anything, also a GBK page that misdeclares itself.
    """
    out = ["utf-8"]
    declared = _declared_charset(head)
    if declared and declared not in ("utf-8", "gb18030") and not declared.startswith(("utf-16", "utf-32")) \
            and len(bytes(range(0x80, 0x100)).decode(declared, "replace")) != 0x80:
        out.append(declared)
    out.append("gb18030")
    return out


def _guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


def head_text(head: bytes, codec: str) -> str:
    """The start of the text, decoded leniently: for the binary and HTML checks."""
    return drop_bom(codecs.getincrementaldecoder(codec)("replace").decode(head[:SNIFF_BYTES], final=False))


def drop_bom(text: str) -> str:
    """text without a leading BOM: one the codec left (GB18030 has one too) or a stray one."""
    return text[1:] if text.startswith("\ufeff") else text


def check_decoded(path, text: str) -> None:
    share = _text_control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise ReadError(path, "binary", f"{share:.0%} control characters after decoding")


def _unlikely_as_gb(head: bytes) -> bool:
    """Whether GB18030 reads `head` as characters Chinese text does not use: private-use code
    points, or Han characters mostly outside GB2312 (what Big5 bytes become in GB18030)."""
    text = codecs.getincrementaldecoder("gb18030")("replace").decode(head[:SNIFF_BYTES], final=False)
    # counted by the codecs and regexes in C: this runs for every file read
    wide = len(text) - len(_NARROW.findall(text))
    if wide < 8:
        return False
    private = len(_PRIVATE.findall(text))
    if private / wide > 0.01:
        return True
    han = "".join(_HAN.findall(text))
    # every GB2312 character is two bytes in it; the others are dropped
    outside = len(han) - len(han.encode("gb2312", errors="ignore")) // 2
    return bool(han) and outside / len(han) > 0.3


_NARROW = re.compile(r"[\x00-\x7f]")
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_HAN = re.compile("[\u4e00-\u9fff]+")


def choose_encoding(where, head: bytes, decodes: Callable[[str], bool],
                    replaced: Callable[[str], tuple[int, int]] | None = None) -> tuple[str, int]:
    """(codec, bytes replaced) for a file that starts with `head`; decodes(codec) says whether it
    reads all of it strictly, replaced(codec) gives (replacement characters, characters) of
    reading all of it with errors="replace".

    BOM, then strict UTF-8, then a charset an HTML page declares, then strict Big5 (when
    GB18030 would read it as unlikely characters) or GB18030, then UTF-8 or GB18030 with
    replacement when few bytes are bad, then charset-normalizer's guess. Raises ReadError
    (binary, undecodable).

    GB18030 comes before any guess, as this is about Chinese text: a Western
    single-byte text that happens to be valid GB18030 reads as Chinese
    characters, while Chinese text is never mistaken for something else.
    """
    codec = _sniff(where, head)
    if codec:
        if decodes(codec):
            return codec, 0
        if replaced is not None:
            bad, chars = replaced(codec)
            if chars and bad / chars <= MAX_REPLACED_SHARE:
                return codec, bad
        raise ReadError(where, "undecodable", f"starts like {codec} but is not valid {codec}")
    for candidate in _candidates(head):
        # Big5 goes before GB18030 when GB18030 would read unlikely characters (asked only
        # here: most files are UTF-8 and never need it)
        if candidate == "gb18030" and _unlikely_as_gb(head) and decodes("big5"):
            return "big5", 0
        if decodes(candidate):
            return candidate, 0
    if replaced is not None:
        best = None
        for candidate in LENIENT_CODECS:
            bad, chars = replaced(candidate)
            if chars and bad / chars <= MAX_REPLACED_SHARE and (best is None or bad < best[1]):
                best = (candidate, bad)
        if best is not None:
            return best
    guess = _guess(head)
    if guess and decodes(guess):
        return guess, 0
    raise ReadError(where, "undecodable", "not UTF-8, not GB18030/GBK, and no other encoding fits")
