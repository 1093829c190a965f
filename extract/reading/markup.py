"""HTML pages reduced to their text.

Script and style are dropped, block elements end lines, entities are unescaped and runs of
spaces collapse; offsets then refer to that reduced text. The parser is fed piece by piece,
so a streamed page reads the same as a whole one.
"""
from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

HTML_SUFFIXES = (".htm", ".html", ".xhtml")

_HTML_START_RE = re.compile(
    r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL)
_HTML_SPACE_RE = re.compile(r"([ \t\n\r\f]+)")


def looks_like_html(text_head: str) -> bool:
    """True for text that starts like an HTML document (doctype, <html>, <head> or <body>)."""
    return bool(_HTML_START_RE.match(text_head[:4096]))


def is_html(name: str, text_head: str) -> bool:
    return name.lower().endswith(HTML_SUFFIXES) or looks_like_html(text_head)


class HTMLText(HTMLParser):
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
    parser = HTMLText()
    parser.feed(html)
    parser.close()
    return parser.take()
