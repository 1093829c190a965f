"""Article text for the viewer: find the source file, and mark every claim in escaped text."""
from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from extract.reading import ReadError, read_document


@lru_cache(maxsize=4096)
def find_doc(doc: str, dirs: tuple[str, ...]) -> str | None:
    """Path of the document named doc in one of dirs (directly, else anywhere below)."""
    name = Path(doc).name
    if not name or name != doc.replace("\\", "/").split("/")[-1]:
        return None
    for d in dirs:
        direct = Path(d) / doc
        if direct.is_file():
            return str(direct)
    for d in dirs:
        if Path(d).is_dir():
            hit = next((p for p in Path(d).rglob(name) if p.is_file()), None)
            if hit is not None:
                return str(hit)
    return None


def load_text(doc: str, dirs: tuple[str, ...]) -> str | None:
    """The decoded text the table's offsets refer to, or None when it cannot be found or read."""
    path = find_doc(doc, dirs)
    if path is None:
        return None
    try:
        return read_document(path).text
    except ReadError:
        return None


def highlight_html(text: str, spans: list[tuple[int, int, str, str]], selected: str | None = None) -> str:
    """Escaped text with <mark> around each (start, end, claim_id, tooltip); the text is never markup."""
    out, pos = [], 0
    for start, end, cid, tip in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        out.append(html.escape(text[pos:start]))
        style = "background:#ffb000;font-weight:600" if cid == selected else "background:#fff2a8"
        anchor = ' id="selected-claim"' if cid == selected else ""
        out.append(f'<mark{anchor} data-claim="{html.escape(cid)}" title="{html.escape(tip)}" '
                   f'style="{style}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    body = "".join(out)
    return ('<div class="article-text" style="white-space:pre-wrap;line-height:1.8;max-height:560px;'
            f'overflow-y:auto;padding:12px;border:1px solid #ddd;border-radius:6px">{body}</div>')
