"""Quantitative claims from Chinese grassroots-governance news, as a table.

    from extract import extract_text
    rows = extract_text("赤峰市建成2610个党群服务中心")
"""
from .pipeline import extract_text
from .run.files import extract_document, extract_file
from .table import COLUMNS
from .tableio import read_table, write_table

__all__ = ["extract_text", "extract_file", "extract_document", "COLUMNS", "read_table", "write_table"]
