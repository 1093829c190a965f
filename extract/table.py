"""The indicator table's schema: its columns and what they mean, the claim id, and the row
types as a pandas frame or an Arrow table (reading and writing files: tableio.py).

One row per claim. The columns named in GOLD.md (doc, start, end, value, unit,
qualifier, indicator, theme, city_code, county_code) carry exactly the meanings
given there; the others add evidence and context for people.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Iterable

import pandas as pd

#: Column order of the table, with a one-line meaning each (shown by `indicators columns`).
COLUMNS: dict[str, str] = {
    "claim_id": "stable id: hash of doc, start and end",
    "doc": "file name of the source text",
    "article_index": "0-based index of the article within the page",
    "article_title": "headline of the article the claim sits in",
    "start": "character offset of the claim's numeral in the decoded text",
    "end": "end offset (exclusive); text[start:end] is the claim's text",
    "number_text": "the numeral exactly as written, multiplier included (1.1万, 三千)",
    "value": "the number as a float, multipliers applied",
    "unit": "measure word or unit as written (个, 名, 元, %, 元/吨)",
    "qualifier": "exact, more_than (余/多/以上/超过) or approx (约/近/左右)",
    "indicator": "what is counted: a short noun phrase from the text",
    "theme": "main theme key (see GOLD.md)",
    "themes": "all fitting theme keys, ';'-separated, main first",
    "province": "province-level division name",
    "province_code": "its 6-digit code",
    "city": "盟/市 name",
    "city_code": "6-digit code of the 盟/市, empty for region-wide claims",
    "county": "旗/县/区/县级市 name",
    "county_code": "6-digit code, empty for claims about a whole 盟/市",
    "town": "苏木/乡/镇/街道 named for the claim, when there is one",
    "place_source": "how the place was found: clause, sentence, paragraph, article, none",
    "place_note": "why a place is uncertain (an ambiguous short form), else empty",
    "sentence": "the sentence the claim came from, line breaks removed",
    "sentence_start": "offset of the sentence in the decoded text",
    "sentence_end": "end offset of the sentence",
    "duplicate_of": "claim_id of an identical earlier claim in the same doc (a reprinted paragraph), else empty",
}

INT_COLUMNS = ("article_index", "start", "end", "sentence_start", "sentence_end")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def claim_id(doc: str, start: int, end: int) -> str:
    """The claim_id column: a stable id of a claim from its document and span."""
    return hashlib.sha1(f"{doc}\x1f{start}\x1f{end}".encode("utf-8")).hexdigest()[:16]


def to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Rows (dicts) to a DataFrame with exactly COLUMNS, in order, codes kept as strings."""
    frame = pd.DataFrame(list(rows), columns=list(COLUMNS))
    for col in INT_COLUMNS:
        frame[col] = frame[col].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    for col in COLUMNS:
        if col not in INT_COLUMNS and col != "value":
            frame[col] = frame[col].astype("string").fillna("")
    return frame


@lru_cache(maxsize=1)
def arrow_schema():
    """The Parquet schema of the table: exactly what pyarrow makes of to_frame's columns and
    types (pandas metadata included), so a file written by to_arrow reads back the same."""
    import pyarrow as pa

    return pa.Schema.from_pandas(to_frame([]), preserve_index=False)


def to_arrow(rows: list[dict]):
    """Rows (dicts, as the extractor makes them) to a pyarrow Table with arrow_schema().

    Straight from the dicts, without a pandas frame in between, which makes writing a Parquet
    part cheaper. A text cell that is None becomes "" as in to_frame; rows whose
    numbers are not numbers yet (read from a CSV as text) go through to_frame, which converts
    them as it always has."""
    import pyarrow as pa

    schema = arrow_schema()
    columns = {}
    try:
        for field in schema:
            name = field.name
            values = [row.get(name) for row in rows]
            if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
                values = ["" if v is None else v if isinstance(v, str) else str(v) for v in values]
            columns[name] = pa.array(values, type=field.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return pa.Table.from_pandas(to_frame(rows), preserve_index=False)
    return pa.Table.from_pydict(columns, schema=schema)


def formula_safe(value):
    """A text cell a spreadsheet cannot run as a formula: prefixed with ' when it starts like one."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of frame whose text cells cannot run as spreadsheet formulas (formula_safe)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) == "string":
            out[col] = out[col].map(formula_safe)
    return out
