"""The reading stage: input files into text. encoding (which codec, text or binary), markup
(HTML to text), document (one file: Document, ReadError, read_document, decode_bytes), stream
(big files in pieces)."""
from .document import MAX_BYTES, Document, decode_bytes, read_document
from .errors import STATUSES, ReadError
from .markup import html_to_text, looks_like_html
from .stream import CHUNK_CHARS, TextStream, iter_chunks, open_stream, read_window

__all__ = ["MAX_BYTES", "Document", "decode_bytes", "read_document", "STATUSES", "ReadError",
           "html_to_text", "looks_like_html", "CHUNK_CHARS", "TextStream", "iter_chunks", "open_stream",
           "read_window"]
