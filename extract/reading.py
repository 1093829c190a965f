"""Reading input files into text: decoding, and clear errors for files that cannot be read.

Offsets in the table refer to the text returned here, which is exactly what
``open(path, encoding=<the manifest's encoding>, errors=<"replace" when the
manifest says bytes were replaced>).read()`` gives: the codec removes the one
byte-order mark it knows (utf-8-sig, utf-16, utf-32); any other (a GB18030 BOM,
a second BOM) stays in the text as U+FEFF, as open() leaves it; newlines are
normalised to \\n (\\r\\n and lone \\r). Nothing else is changed: full-width
digits and punctuation stay as written (no NFKC), so offsets match what a reader sees.

Encodings are tried in this order:

1. a byte-order mark (UTF-8, UTF-16 or UTF-32) decides;
2. strict UTF-8;
3. the charset an HTML page declares (``<meta charset=...>``), if it decodes;
4. strict Big5, when GB18030 would read the bytes as unlikely characters (private-use
   code points, or mostly characters outside GB2312) and Big5 reads them;
5. strict GB18030 (which also reads GBK and GB2312 archives);
6. UTF-8 or GB18030 with replacement, when only a few bytes (MAX_REPLACED_SHARE of the
   characters) are invalid: each bad byte becomes U+FFFD and the manifest says how many;
7. charset-normalizer's best guess.

UTF-16 without a BOM is recognised when the zero bytes line up with one byte
order and the decoded text is plausibly text. Everything else with zero bytes,
a known binary signature (PNG, ZIP, PDF, ...) or many control characters is
refused as ``binary``.

HTML (a .htm/.html file, or text that starts like an HTML document) is reduced
to its text: script and style dropped, block elements ending lines, entities
unescaped, runs of spaces collapsed; offsets then refer to that reduced text.

Big files are read with :func:`open_stream` / :func:`iter_chunks`, which decode
incrementally and hand out pieces cut at paragraph boundaries, with offsets
into the whole decoded text, in bounded memory.

Every failure is a :class:`ReadError` whose ``status`` is one of
``unreadable`` (missing, a folder, no permission), ``empty``, ``too_large``,
``binary`` and ``undecodable``.
"""
from __future__ import annotations

import codecs
import io
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

MAX_BYTES = 50 * 1024 * 1024
#: Characters per piece handed out by iter_chunks (a piece ends at a paragraph boundary).
CHUNK_CHARS = 200_000
#: Bytes read and decoded at a time when streaming.
BLOCK_BYTES = 1 << 20
#: Bytes looked at to tell text from binary and to guess an encoding.
SNIFF_BYTES = 1 << 16
#: Characters of a streamed HTML page the parser may hold unparsed (an unclosed tag, comment or script).
MAX_HTML_PENDING = 16 * BLOCK_BYTES
#: Share of control characters above which a file counts as binary.
MAX_CONTROL_SHARE = 0.05
#: Share of characters that may be replacement characters (U+FFFD for an invalid byte) in a
#: file read with errors="replace" after strict decoding failed; above it, undecodable.
MAX_REPLACED_SHARE = 0.005
#: Codecs a file may be read with replacement in, best first.
LENIENT_CODECS = ("utf-8", "gb18030")

NUL_REASON = "contains NUL characters"
STATUSES = ("unreadable", "empty", "too_large", "binary", "undecodable")

HTML_SUFFIXES = (".htm", ".html", ".xhtml")

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
_HTML_START_RE = re.compile(
    r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL)
_HTML_SPACE_RE = re.compile(r"([ \t\n\r\f]+)")
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


class ReadError(Exception):
    """A file that cannot be turned into text; `status` is a short machine-readable reason."""

    def __init__(self, path, status: str, reason: str):
        super().__init__(f"{path}: {status}: {reason}")
        self.path, self.status, self.reason = str(path), status, reason


@dataclass(frozen=True)
class Document:
    path: str
    name: str
    text: str
    encoding: str           # the codec that decoded it: utf-8, utf-8-sig, gb18030, utf-16, ...
    format: str = "text"    # text, or html when the text was reduced from a page
    size: int = 0           # bytes read
    replaced: int = 0       # invalid bytes read as U+FFFD (errors="replace"); 0 when strict

    @property
    def errors(self) -> str:
        """The `errors` that open() needs to read this text: strict, or replace."""
        return "replace" if self.replaced else "strict"


# --------------------------------------------------------------------------- detection

def _bom_codec(head: bytes) -> str | None:
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec
    return None


def _magic(head: bytes) -> str | None:
    for signature, what in MAGIC:
        if head.startswith(signature):
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


def looks_like_html(text_head: str) -> bool:
    """True for text that starts like an HTML document (doctype, <html>, <head> or <body>)."""
    return bool(_HTML_START_RE.match(text_head[:4096]))


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


def _head_text(head: bytes, codec: str) -> str:
    """The start of the text, decoded leniently: for the binary and HTML checks."""
    return _drop_bom(codecs.getincrementaldecoder(codec)("replace").decode(head[:SNIFF_BYTES], final=False))


def _drop_bom(text: str) -> str:
    """text without a leading BOM: one the codec left (GB18030 has one too) or a stray one."""
    return text[1:] if text.startswith("\ufeff") else text


def _check_decoded(path, text: str) -> None:
    share = _text_control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise ReadError(path, "binary", f"{share:.0%} control characters after decoding")


def _unlikely_as_gb(head: bytes) -> bool:
    """Whether GB18030 reads `head` as characters Chinese text does not use: private-use code
    points, or Han characters mostly outside GB2312 (what Big5 bytes become in GB18030)."""
    text = codecs.getincrementaldecoder("gb18030")("replace").decode(head[:SNIFF_BYTES], final=False)
    wide = [ch for ch in text if ord(ch) > 0x7f]
    if len(wide) < 8:
        return False
    private = sum(1 for ch in wide if "\ue000" <= ch <= "\uf8ff")
    if private / len(wide) > 0.01:
        return True
    han = [ch for ch in wide if "\u4e00" <= ch <= "\u9fff"]
    outside = sum(1 for ch in han if not _in_gb2312(ch))
    return bool(han) and outside / len(han) > 0.3


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


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
    candidates = _candidates(head)
    if "gb18030" in candidates and _unlikely_as_gb(head):
        candidates.insert(candidates.index("gb18030"), "big5")
    for candidate in candidates:
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


# --------------------------------------------------------------------------- HTML

class _HTMLText(HTMLParser):
    """HTML to text, fed piece by piece: output is the same however the input is cut."""

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object"})
    PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre",
                           "section", "article", "header", "footer", "aside", "nav", "main",
                           "figure", "ul", "ol", "dl", "form", "fieldset", "title", "hr", "address"})
    LINE = frozenset({"br", "div", "li", "tr", "dt", "dd", "caption", "figcaption", "option",
                      "body", "center", "legend", "summary", "details"})
    CELL = frozenset({"td", "th"})
    VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
                      "param", "source", "track", "wbr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.skip_tag: str | None = None
        self.pre = 0
        self.pending_nl = 0        # newlines owed before the next text
        self.pending_space = ""    # owed before the next text: " ", or "\n" for a source line break
        self.line_start = True
        self.started = False
        self.last = ""

    def take(self) -> str:
        text, self.out = "".join(self.out), []
        return text

    def _newlines(self, n: int) -> None:
        if self.started:
            self.pending_nl = max(self.pending_nl, n)
        self.pending_space = ""

    def _emit(self, text: str) -> None:
        if self.pending_nl:
            self.out.append("\n" * self.pending_nl)
            self.line_start = True
        elif self.pending_space and not self.line_start and not (
                self.pending_space == "\n" and _wide(self.last) and _wide(text[0])):
            self.out.append(" ")
        self.pending_nl, self.pending_space = 0, ""
        self.out.append(text)
        self.started = True
        self.line_start = text.endswith("\n")
        self.last = text[-1]

    def _block(self, tag: str) -> None:
        if tag in self.PARAGRAPH:
            self._newlines(2)
        elif tag in self.LINE:
            self._newlines(1)
        elif tag in self.CELL and self.started and not self.pending_nl:
            self.pending_space = " "

    def handle_starttag(self, tag, attrs):
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth += 1
            return
        if tag in self.SKIP:
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag == "pre":
            self.pre += 1
        self._block(tag)

    def handle_startendtag(self, tag, attrs):
        if not self.skip_depth:
            self._block(tag)

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        if tag not in self.VOID:
            self._block(tag)

    def handle_data(self, data):
        if self.skip_depth or not data:
            return
        data = data.replace("\xa0", " ")
        if self.pre:
            self._emit(data)
            return
        for i, part in enumerate(_HTML_SPACE_RE.split(data)):
            if i % 2 == 0:
                if part:
                    self._emit(part)
            elif self.pending_space != " ":
                # A space unless the run is a line break in the source between two Chinese
                # characters, which a page does not show as a gap (CSS Text 3, segment breaks).
                self.pending_space = "\n" if "\n" in part or "\r" in part else " "


def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in "WF"


def html_to_text(html: str) -> str:
    """The text of an HTML page: script/style dropped, blocks on lines of their own, entities unescaped."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser.take()


# --------------------------------------------------------------------------- whole documents

def _is_html(name: str, text_head: str) -> bool:
    return name.lower().endswith(HTML_SUFFIXES) or looks_like_html(text_head)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode_bytes(data: bytes, name: str = "upload.txt", path: str | None = None,
                 max_bytes: int | None = MAX_BYTES) -> Document:
    """Decode an in-memory file (an upload) exactly as read_document decodes one on disk."""
    where = path if path is not None else name
    if max_bytes is not None and len(data) > max_bytes:
        raise ReadError(where, "too_large", f"{len(data)} bytes, limit {max_bytes}")
    if not data.strip():
        raise ReadError(where, "empty", "no bytes" if not data else "only white space")
    decoded: dict[str, str] = {}

    def decodes(codec: str) -> bool:
        try:
            decoded[codec] = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            return False
        return True

    def replaced(codec: str) -> tuple[int, int]:
        text = decoded[codec] = data.decode(codec, "replace")
        return text.count("\ufffd") - data.count("\ufffd".encode(codec)), len(text)

    codec, bad = choose_encoding(where, data, decodes, replaced)
    text = decoded[codec]
    if "\x00" in text:
        raise ReadError(where, "binary", NUL_REASON)
    # a file within the sniffed length decoded strictly whole: its head is that text
    head = _drop_bom(text) if len(data) <= SNIFF_BYTES else _head_text(data, codec)
    _check_decoded(where, head)
    text = _newlines(text)               # a BOM the codec left stays, as open() leaves it
    fmt = "text"
    if _is_html(name, head):
        text, fmt = html_to_text(text), "html"
    if not text.replace("\ufeff", "").strip():
        raise ReadError(where, "empty", "no text" + (" in the page" if fmt == "html" else ""))
    return Document(path if path is not None else name, _display_name(name), text, codec, fmt, len(data), bad)


def _display_name(name: str) -> str:
    """The file name for the table's doc column: bytes that were not UTF-8 become \\x escapes."""
    if "/" in name or name in (".", ".."):
        name = Path(name).name
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _stat_regular(path: Path) -> os.stat_result:
    try:
        st = path.stat()
    except OSError as exc:
        raise ReadError(path, "unreadable", exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        try:
            os.listdir(path)
        except OSError as exc:
            raise ReadError(path, "unreadable", f"a folder that cannot be listed: {exc.strerror}") from exc
        raise ReadError(path, "unreadable", "a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(path, "unreadable", "not a regular file (a device, pipe or socket)")
    return st


def read_document(path: str | Path, max_bytes: int | None = MAX_BYTES) -> Document:
    """Read and decode one file; raise ReadError saying why when it cannot be read."""
    path = Path(path)
    st = _stat_regular(path)
    if max_bytes is not None and st.st_size > max_bytes:
        raise ReadError(path, "too_large", f"{st.st_size} bytes, limit {max_bytes}")
    try:
        with open(path, "rb") as fh:
            data = fh.read() if max_bytes is None else _read_at_most(fh, max_bytes + 1, st.st_size)
    except OSError as exc:
        raise ReadError(path, "unreadable", exc.strerror or str(exc)) from exc
    return decode_bytes(data, path.name, str(path), max_bytes)


def _read_at_most(fh: BinaryIO, limit: int, size: int) -> bytes:
    """Up to `limit` bytes of fh, whose size was `size` when it was looked at.

    fh.read(limit) would allocate `limit` bytes up front (20 or 50 MB for every small file,
    three times the cost of the read itself); this asks for the size seen, plus one byte to
    notice a file that grew meanwhile, and reads on up to the limit only if it did."""
    first = min(limit, size + 1)
    data = fh.read(first)
    if len(data) == first < limit:
        data += fh.read(limit - first)
    return data


# --------------------------------------------------------------------------- streaming

class TextStream:
    """A file decoded piece by piece: iterate for (offset, text) pieces cut at paragraph ends.

    Construction reads the file once to choose an encoding that decodes all of
    it (so a decoding error cannot appear half-way through the pieces) and
    raises ReadError like read_document. Memory stays bounded by a few pieces
    whatever the file's size. The pieces joined are exactly read_document's text.
    """

    def __init__(self, path: str | Path | BinaryIO, chunk_chars: int = CHUNK_CHARS,
                 max_bytes: int | None = None, name: str | None = None):
        if isinstance(path, (str, os.PathLike)):
            self.path = Path(path)
            st = _stat_regular(self.path)
            self.size = st.st_size
            self._fileobj = None
        else:
            self._fileobj = path
            self.path = Path(name or getattr(path, "name", "stream"))
            self.size = _fileobj_size(path)
        self.name = _display_name(name or self.path.name)
        self.chunk_chars = max(1, int(chunk_chars))
        if max_bytes is not None and self.size > max_bytes:
            raise ReadError(self.path, "too_large", f"{self.size} bytes, limit {max_bytes}")
        with self._open() as fh:
            head = fh.read(SNIFF_BYTES)
        if not head.strip() and self.size <= SNIFF_BYTES:
            raise ReadError(self.path, "empty", "no bytes" if not head else "only white space")
        codec, self.replaced = choose_encoding(self.path, head, self._decodes, self._replaced)
        self.encoding = codec
        self.errors = "replace" if self.replaced else "strict"
        first = _head_text(head, codec)
        _check_decoded(self.path, first)
        self.format = "html" if _is_html(self.name, first) else "text"

    def _open(self):
        if self._fileobj is not None:
            self._fileobj.seek(0)
            return _NoClose(self._fileobj)
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise ReadError(self.path, "unreadable", exc.strerror or str(exc)) from exc

    def _blocks(self) -> Iterator[bytes]:
        with self._open() as fh:
            while True:
                try:
                    block = fh.read(BLOCK_BYTES)
                except OSError as exc:
                    raise ReadError(self.path, "unreadable", exc.strerror or str(exc)) from exc
                if not block:
                    return
                yield block

    def _decodes(self, codec: str) -> bool:
        try:
            decoder = codecs.getincrementaldecoder(codec)("strict")
        except LookupError:
            return False
        try:
            for block in self._blocks():
                if "\x00" in decoder.decode(block):
                    raise ReadError(self.path, "binary", NUL_REASON)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return True

    def _replaced(self, codec: str) -> tuple[int, int]:
        """(replacement characters, characters) of reading the whole file with errors="replace"."""
        decoder = codecs.getincrementaldecoder(codec)("replace")
        bad = chars = 0
        for block in self._blocks():
            text = decoder.decode(block)
            bad, chars = bad + text.count("\ufffd"), chars + len(text)
        text = decoder.decode(b"", final=True)
        return bad + text.count("\ufffd"), chars + len(text)

    def texts(self) -> Iterator[str]:
        """The decoded text in arbitrary pieces (newlines normalised, HTML reduced; a BOM the
        codec does not remove stays, as open() leaves it)."""
        decoder = codecs.getincrementaldecoder(self.encoding)(self.errors)
        parser = _HTMLText() if self.format == "html" else None
        held = ""          # a trailing \r waits for the next piece: it may start a \r\n
        for block in self._blocks():
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:  # the file changed since it was checked
                raise ReadError(self.path, "undecodable", f"{self.encoding}: {exc}") from exc
            text = held + text
            held = "\r" if text.endswith("\r") else ""
            text = _newlines(text[:-1] if held else text)
            if parser is not None:
                parser.feed(text)
                if len(parser.rawdata) > MAX_HTML_PENDING:   # html.parser keeps what it cannot close
                    raise ReadError(self.path, "too_large", f"HTML markup left open for over "
                                    f"{MAX_HTML_PENDING:,} characters (an unclosed <script>, tag or comment)")
                text = parser.take()
            if text:
                yield text
        tail = _newlines(held + decoder.decode(b"", final=True))
        if parser is not None:
            parser.feed(tail)
            parser.close()
            tail = parser.take()
        if tail:
            yield tail

    def __iter__(self) -> Iterator[tuple[int, str]]:
        """(offset, piece) pairs; each piece ends after a blank line or, failing that, a line end."""
        limit = self.chunk_chars
        buf, offset, any_text = "", 0, False
        for text in self.texts():
            buf += text
            while len(buf) >= limit:
                cut = _cut(buf, limit)
                if cut is None:
                    break
                piece, buf = buf[:cut], buf[cut:]
                any_text = any_text or bool(piece.strip())
                yield offset, piece
                offset += len(piece)
        if buf:
            any_text = any_text or bool(buf.strip())
            yield offset, buf
        if not any_text:
            raise ReadError(self.path, "empty", "no text")


def _cut(buf: str, limit: int) -> int | None:
    """Where to end the next piece of buf (len(buf) >= limit), or None to wait for more text.

    After the last blank line between limit/2 and limit, else the last line end
    there, else the first line end after limit. A line with no break within
    4 x limit is cut after its last sentence end (。！？!?) there or, as a last
    resort, at 4 x limit, so memory stays bounded whatever the text.
    """
    half = limit // 2
    for mark in ("\n\n", "\n"):
        cut = buf.rfind(mark, half, limit)
        if cut >= 0:
            return cut + len(mark)
    cut = buf.rfind("\n", 0, limit)
    after = buf.find("\n", limit, 4 * limit)
    if after >= 0:
        return after + 1
    if cut >= 0:
        return cut + 1
    hard = 4 * limit
    if len(buf) < hard:
        return None
    best = max(buf.rfind(mark, 0, hard) for mark in "。！？!?")
    if best >= 0:
        return best + 1
    cut = hard                  # not inside a numeral (12|个 would lose the claim)
    floor = max(hard - 64, hard // 2, 1)
    while cut > floor and buf[cut - 1] in _NUMERAL_CHARS:
        cut -= 1
    return cut


_NUMERAL_CHARS = frozenset("0123456789０１２３４５６７８９.．,，零〇一二两三四五六七八九十百千万亿余多"
                           "\u200b\u200c\u200d\u2060\ufeff")


class _NoClose:
    def __init__(self, fh):
        self.fh = fh

    def __enter__(self):
        return self.fh

    def __exit__(self, *exc):
        return False


def _fileobj_size(fh) -> int:
    pos = fh.tell()
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(pos)
    return size


def open_stream(path: str | Path | BinaryIO, chunk_chars: int = CHUNK_CHARS,
                max_bytes: int | None = None, name: str | None = None) -> TextStream:
    """A TextStream over path (or a seekable binary file object); raises ReadError like read_document."""
    return TextStream(path, chunk_chars, max_bytes, name)


def iter_chunks(path: str | Path | BinaryIO, chunk_chars: int = CHUNK_CHARS,
                max_bytes: int | None = None) -> Iterator[tuple[int, str]]:
    """(offset, text) pieces of a file of any size, cut at paragraph boundaries.

    Offsets count characters of the whole decoded text; "".join of the pieces is
    read_document(path).text. Raises ReadError as read_document does.
    """
    return iter(open_stream(path, chunk_chars, max_bytes))


def read_window(path: str | Path, start: int, end: int, chunk_chars: int = CHUNK_CHARS) -> tuple[int, str]:
    """(offset, text): the pieces of a file of any size that hold characters start..end.

    For showing a claim of a file too big for read_document in context:
    text[start - offset:end - offset] is the claim. Reads the file only up to
    the span; raises ReadError like read_document, IndexError past the end.
    """
    offset, held = None, []
    for at, piece in open_stream(path, chunk_chars):
        if at + len(piece) <= start:
            continue
        if offset is None:
            offset = at
        held.append(piece)
        if at + len(piece) >= end:
            return offset, "".join(held)
    raise IndexError(f"{path}: no characters {start}..{end} in the text")

