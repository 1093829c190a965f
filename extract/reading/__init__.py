"""The reading stage: input files into text. encoding (which codec, text or binary), markup
(HTML to text), pdf and docx (those documents' text), document (one file in any format:
Document, ReadError, read_document, read_bytes, decode_bytes), stream (big text files in pieces)."""
from .document import DOCUMENT_SUFFIXES, MAX_BYTES, Document, decode_bytes, document_format, read_bytes, read_document
from .errors import STATUSES, ReadError
from .markup import html_to_text, looks_like_html
from .stream import CHUNK_CHARS, TextStream, iter_chunks, open_stream, read_window

__all__ = ["DOCUMENT_SUFFIXES", "MAX_BYTES", "Document", "decode_bytes", "document_format", "read_bytes", "read_document", "STATUSES", "ReadError",
           "html_to_text", "looks_like_html", "CHUNK_CHARS", "TextStream", "iter_chunks", "open_stream",
           "read_window"]
