"""The text of a PDF document (bytes → text), with pypdf.

Pages are joined with a line break (a sentence may run on over a page end; the sentence
splitter joins lines broken mid-sentence). Control characters other than tab and line
breaks (form feeds, unmapped glyphs read as NUL) are dropped, so the text an upload or a
run shows is the text its rows' offsets index. A PDF without a text layer (a scan) has no
text to read: it is refused as `empty` with that reason, never passed on as 0 claims.
"""
from __future__ import annotations

import io
import re

from .errors import ReadError

MAX_PAGES = 2000
_CONTROLS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def pdf_text(data: bytes, where: str = "document.pdf") -> str:
    """The text of every page, in order; ReadError (undecodable, empty, too_large) otherwise."""
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(where, "undecodable", "an encrypted PDF (it needs a password)")
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise ReadError(where, "too_large", f"{len(pages)} pages, limit {MAX_PAGES}")
        texts = [page.extract_text() or "" for page in pages]
    except ReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, NotImplementedError) as exc:   # pypdf raises several kinds on broken files
        raise ReadError(where, "undecodable", f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(t.replace("\r\n", "\n").replace("\r", "\n") for t in texts)
    text = _CONTROLS_RE.sub("", text)
    if not text.strip():
        raise ReadError(where, "empty", "no text layer in the PDF (a scanned page needs OCR first)")
    return text
