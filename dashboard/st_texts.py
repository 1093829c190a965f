"""Streamlit's own English strings in the Chinese page, replaced by CSS (Streamlit has no setting
for its interface language): the file uploader's dropzone, and the table search's result count.
"""
from __future__ import annotations

from dashboard.i18n import t
from dashboard.uploads import MAX_UPLOAD_MB

SHOWN_TYPES = ("txt", "html", "pdf", "docx")   # the formats as users name them (uploads.TYPES has variants)


def dropzone_css(lang: str) -> str:
    """Streamlit's own dropzone texts (its upload button, "5MB per file • TXT, …", "Drag and drop
    files here") in the page's language: Streamlit has no setting for them, so CSS hides its
    spans and shows ours (dashboard.i18n upload_button / upload_zone / upload_drop). The English
    page keeps Streamlit's own."""
    if lang == "en":
        return ""
    button = css_string(t("upload_button", lang))
    zone = css_string(t("upload_zone", lang, mb=MAX_UPLOAD_MB, types=" ".join("." + x for x in SHOWN_TYPES)))
    drop = css_string(t("upload_drop", lang))
    return f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] * {{display: none;}}
[data-testid="stFileUploaderDropzoneInstructions"]::after {{content: {zone}; font-size: .8rem; opacity: .7;}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{display: none;}}
[data-testid="stFileUploaderDropzone"] button:not([aria-label])::after {{content: {button};}}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span {{display: none;}}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]):has(> span)::after {{content: {drop};}}
[data-testid="stFileUploader"] button[aria-label] span:not([data-testid]):not(:has(*)) {{display: none;}}
</style>"""


def css_string(text: str) -> str:
    """text as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def table_search_css(lang: str) -> str:
    """The table's own search (its toolbar's magnifier) writes "N results" in English, and only
    over the page shown; in the Chinese page that count is hidden (the matches stay highlighted;
    the sidebar's search counts over all rows)."""
    if lang == "en":
        return ""
    return "<style>.gdg-search-status {display: none;}</style>"
