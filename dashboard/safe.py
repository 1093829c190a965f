"""Text from the data or the URL shown as text: never as Markdown, HTML or Plotly markup.

Streamlit's st.warning/st.success/st.subheader render Markdown (a link in a URL value would
be live), and Plotly renders a subset of HTML in hovers, tick labels and titles (<a href>,
<b>, <br>). Messages therefore go out through `alert`/`heading` (escaped HTML), and strings
bound for a figure through `plotly_text`.
"""
from __future__ import annotations

import html

import numpy as np
import streamlit as st

KINDS = ("info", "success", "warning", "error")
_STYLE = """<style>
.safe-msg{padding:.75rem 1rem;border-radius:.5rem;margin:.25rem 0;white-space:pre-wrap;line-height:1.5}
.safe-info{background:rgba(28,131,225,.1);color:rgb(0,66,128)}
.safe-success{background:rgba(33,195,84,.1);color:rgb(23,114,51)}
.safe-warning{background:rgba(255,193,7,.15);color:rgb(146,108,5)}
.safe-error{background:rgba(255,43,43,.09);color:rgb(125,53,59)}
.safe-pending{background:rgba(128,128,128,.1);color:inherit}
</style>"""


def escape(text: object) -> str:
    """text as HTML that shows exactly those characters."""
    return html.escape("" if text is None else str(text), quote=True)


def alert_html(kind: str, text: str, key: str | None = None) -> str:
    cls = kind if kind in KINDS + ("pending",) else "info"
    attr = f' data-key="{escape(key)}"' if key else ""
    return f'<div class="safe-msg safe-{cls}"{attr}>{escape(text)}</div>'


def alert(kind: str, text: str, key: str | None = None) -> None:
    """A coloured message box whose text is shown as written (no Markdown, no HTML)."""
    st.html(_STYLE + alert_html(kind, text, key))


def alerts(items: list[tuple[str, str]]) -> None:
    """Several messages in one element (one st.html per message would be one element each)."""
    if items:
        st.html(_STYLE + "".join(alert_html(kind, text) for kind, text in items))


def heading(text: str, level: int = 3) -> None:
    """A heading whose text is shown as written."""
    st.html(f"<h{level}>{escape(text)}</h{level}>")


def plotly_text(value):
    """A string (or each string of an array) escaped for Plotly, whose text rendering reads
    <b>, <a href=…>, <br> and entities: &, < and > become entities, which Plotly shows as is."""
    if isinstance(value, str):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        return np.array([plotly_text(v) if isinstance(v, str) else v for v in value.tolist()], dtype=object)
    if isinstance(value, (list, tuple)):
        return type(value)(plotly_text(v) if isinstance(v, str) else v for v in value)
    return value
