"""extract.reading: one reader for .txt, .html, .pdf and .docx (tests/cases/documents.tsv), used
by uploads (read_bytes) and by `indicators extract` (read_document, run.files)."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import read_cases
from extract.reading import ReadError, read_bytes
from extract.reading import docx as docx_text
from extract.reading import read_document as read_file

DOCS = Path(__file__).parent / "data" / "documents"
sys.path.insert(0, str(DOCS))
import make_documents  # noqa: E402

sys.path.pop(0)


def _pdf(build) -> bytes:
    from fpdf import FPDF
    pdf = FPDF()
    build(pdf)
    return bytes(pdf.output())


def _image_only(pdf):
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")      # a drawing, no text (as a scanned page)


def _encrypted(pdf):
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "2610 service centres")


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _no_text_docx() -> bytes:
    import docx
    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()


def _bomb() -> bytes:
    good = zipfile.ZipFile(DOCS / "upload_article.docx")
    files = {n: good.read(n) for n in good.namelist()}
    files["word/media/filler.bin"] = b"\0" * (2 << 20)   # over the 1 MB limit the test sets
    return _zip(files)


def made(name: str) -> bytes:
    pdf = (DOCS / "upload_article.pdf").read_bytes()
    docx_bytes = (DOCS / "upload_article.docx").read_bytes()
    return {
        "truncated.pdf": lambda: pdf[: len(pdf) // 3],
        "image_only.pdf": lambda: _pdf(_image_only),
        "encrypted.pdf": lambda: _pdf(_encrypted),
        "garbage.pdf": lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8,
        "not_word.docx": lambda: _zip({"readme.txt": "赤峰市建成2610个党群服务中心".encode()}),
        "broken_zip.docx": lambda: b"PK\x03\x04" + b"\x00garbage" * 50,
        "no_text.docx": _no_text_docx,
        "bomb.docx": _bomb,
        "docx_named.zip": lambda: docx_bytes,
        "pdf_named.txt": lambda: pdf,
    }.get(name, lambda: (DOCS / name).read_bytes())()


CASES = read_cases("documents.tsv")


@pytest.mark.parametrize("name,fmt,status,expect", CASES, ids=[c[0] for c in CASES])
def test_document(name, fmt, status, expect, monkeypatch):
    monkeypatch.setattr(docx_text, "MAX_UNPACKED", 1 << 20)
    data = made(name)
    if status == "ok":
        doc = read_bytes(data, name)
        source = expect[1:] or name
        assert (doc.format, doc.text) == (fmt, make_documents.expected_text(source))
        assert doc.name == name and doc.size == len(data)
        return
    with pytest.raises(ReadError) as err:
        read_bytes(data, name)
    assert err.value.status == status
    assert expect in err.value.reason, err.value.reason


def test_fixture_documents_are_current():
    """The committed fixture documents carry the text make_documents.py gives them."""
    for name in make_documents.SOURCES:
        assert (DOCS / name).exists(), f"run python {DOCS / 'make_documents.py'}"
        assert read_file(DOCS / name).text == make_documents.expected_text(name)


def test_size_limit_before_parsing():
    with pytest.raises(ReadError) as err:
        read_bytes((DOCS / "upload_article.pdf").read_bytes(), "a.pdf", max_bytes=1000)
    assert err.value.status == "too_large"


def test_offsets_index_the_reader_text():
    """Rows extracted from a PDF's and a DOCX's text: text[start:end] is the claim as written."""
    from extract import extract_text
    for name in ("upload_article.pdf", "upload_article.docx"):
        doc = read_file(DOCS / name)
        rows = extract_text(doc.text, doc=name)
        assert rows
        for r in rows:
            assert doc.text[r["start"]:r["end"]].startswith(r["number_text"]), r


def test_runs_read_documents_too():
    """`indicators extract` on a folder takes the .pdf and .docx files, with the same rows as
    the text they carry."""
    from extract import extract_text
    from extract.run.files import iter_input_files, process_file
    found = {p.name for p in iter_input_files([DOCS])}
    assert set(make_documents.SOURCES) <= found
    for name in ("upload_article.pdf", "upload_article.docx"):
        result = process_file(DOCS / name)
        assert (result.status, result.format) == ("ok", name.rsplit(".", 1)[1])
        want = extract_text(make_documents.expected_text(name), doc=name)
        assert [(r["start"], r["end"], r["value"]) for r in result.rows] == \
            [(r["start"], r["end"], r["value"]) for r in want]
