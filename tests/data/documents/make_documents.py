"""Small real documents for the reader and upload tests: one article of the fresh set per format.

    python tests/data/documents/make_documents.py      # rewrites the files beside this script

Each file carries the text of one article in tests/data/fresh/docs, laid out as that format
lays it out: the .txt as it is, the .html as paragraphs in a page, the .docx as paragraphs
(python-docx) with a table, the .pdf as lines of at most LINE_CHARS characters (fpdf2, with
the WenQuanYi Micro Hei font embedded: a PDF needs an embedded CJK font to carry Chinese
text). `expected_text(name)` is the text a reader must return for each file.
"""
from __future__ import annotations

import html
import io
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRESH = HERE.parent / "fresh" / "docs"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
LINE_CHARS = 30
BREAK_AFTER = "，。；：、！？"

SOURCES = {
    "upload_article.txt": "f01_kezuohouqi_wangge.txt",
    "upload_article.html": "g05_dongwuqi_jitijingji.txt",
    "upload_article.pdf": "h01_hangjinhouqi_zhisha.txt",
    "upload_article.docx": "g07_wushenqi_maodun.txt",
    "upload_second.txt": "h05_baotou_tiaojie.txt",
}
TABLE_ROWS = [("嘎查村", "网格数"), ("新开地村", "12个")]   # a table in the .docx: cells joined by tabs


def paragraphs(name: str) -> list[str]:
    text = (FRESH / SOURCES[name]).read_text(encoding="utf-8").replace(",", "，")
    return [p.strip() for p in text.split("\n") if p.strip()]


def pdf_lines(paras: list[str]) -> list[list[str]]:
    """Each paragraph cut into lines of at most LINE_CHARS, after a punctuation mark where one is near."""
    out = []
    for p in paras:
        lines = []
        while len(p) > LINE_CHARS:
            cut = max(p.rfind(ch, LINE_CHARS // 2, LINE_CHARS) for ch in BREAK_AFTER)
            cut = cut + 1 if cut > 0 else LINE_CHARS
            lines.append(p[:cut])
            p = p[cut:]
        if p:
            lines.append(p)
        out.append(lines)
    return out


def expected_text(name: str) -> str:
    """The text the reader gives for a file made here (offsets of its rows index this text)."""
    paras = paragraphs(name)
    if name.endswith(".pdf"):
        return "\n".join("\n".join(lines) for lines in pdf_lines(paras))
    if name.endswith(".docx"):
        return "\n".join(paras + ["\t".join(r) for r in TABLE_ROWS])
    if name.endswith(".html"):
        return "\n\n".join(paras)
    return "\n".join(paras)


def make_txt(name: str) -> bytes:
    return expected_text(name).encode("utf-8")


def make_html(name: str) -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(name))
    return (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title></title>"
            f"<style>p {{margin: 1em}}</style></head>\n<body>\n{body}\n</body></html>\n").encode("utf-8")


def make_pdf(name: str) -> bytes:
    from fpdf import FPDF
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=timezone.utc))   # the same bytes on every run
    pdf.add_font("wqy", fname=str(FONT), collection_font_number=0)
    pdf.set_font("wqy", size=12)
    pdf.add_page()
    for lines in pdf_lines(paragraphs(name)):
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


def make_docx(name: str) -> bytes:
    import docx
    document = docx.Document()
    for p in paragraphs(name):
        document.add_paragraph(p)
    table = document.add_table(rows=len(TABLE_ROWS), cols=2)
    for r, row in enumerate(TABLE_ROWS):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    document.core_properties.created = document.core_properties.modified = datetime(2026, 1, 1)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


MAKERS = {".txt": make_txt, ".html": make_html, ".pdf": make_pdf, ".docx": make_docx}


def files() -> dict[str, bytes]:
    return {name: MAKERS[Path(name).suffix](name) for name in SOURCES}


if __name__ == "__main__":
    for name, data in files().items():
        (HERE / name).write_bytes(data)
        print(name, len(data), file=sys.stderr)
