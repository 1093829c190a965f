"""The indicator table's schema: its columns and what they mean, the claim id, and the row
types as a pandas frame or an Arrow table (reading and writing files: tableio.py).

One row per claim. The columns named in GOLD.md (doc, start, end, value, unit,
qualifier, indicator, theme, city_code, county_code) carry exactly the meanings
given there; the others add evidence and context for people.
"""
from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from .diskcache import load_or_build, package_dir

if TYPE_CHECKING:   # pandas is imported where a frame is made: a run that writes CSV or JSON
    import pandas as pd     # Lines needs none, and importing it is a good part of a start-up

#: Column order of the table, with a one-line meaning each (shown by `indicators columns`).
COLUMNS: dict[str, str] = {
    "claim_id": "stable id, unique in a run: hash of doc (and, for a second input folder, its position), start and end",
    "doc": "the source file's path relative to the input folder it was found under (its name when given directly)",
    "article_index": "0-based index of the article within the page",
    "article_title": "headline of the article the claim sits in",
    "start": "character offset of the claim's numeral in the decoded text",
    "end": "end offset (exclusive); text[start:end] is the claim's text",
    "number_text": "the numeral exactly as written, multiplier included (1.1万, 三千)",
    "value": "the number as a float, multipliers applied",
    "unit": "measure word or unit as written (个, 名, 元, %, 元/吨)",
    "qualifier": "exact, more_than (余/多/以上/超过), approx (约/近/左右) or range (5至7个, 三到四元: value is the midpoint)",
    "value_low": "lowest value the claim allows (float; NaN when open: 530余件 has 530, 约50人 none)",
    "value_high": "highest value the claim allows (float; NaN when open: 近80万元 has 800000, 530余件 none)",
    "indicator": "what is counted: a short noun phrase from the text",
    "measure": "canonical measure id (extract/rules/measures.tsv), e.g. party_service_centers; empty when none fits",
    "measure_label": "the measure's Chinese label, with the kind in brackets when the text says one (网格员（专职）)",
    "level": "village, town, county or city when the phrase, or the words just before the numeral, say the level (村级, 旗级 …), else empty",
    "indicator_source": "text: the indicator is the text's phrase; measure: the text names nothing, the indicator is the measure's label",
    "theme": "main theme key (see GOLD.md)",
    "themes": "all fitting theme keys, ';'-separated, main first",
    "province": "province-level division name",
    "province_code": "its 6-digit code",
    "city": "盟/市 name",
    "city_code": "6-digit code of the 盟/市, empty for region-wide claims",
    "county": "旗/县/区/县级市 name",
    "county_code": "6-digit code, empty for claims about a whole 盟/市",
    "town": "苏木/乡/镇/街道 named for the claim, when there is one",
    "scope": "how far down the place goes: national, province, city, county, town or none "
             "(全国 figures are national with no codes; 全省/全区 of a region province-wide)",
    "place_source": "how the place was found: clause, sentence, paragraph, article, none",
    "place_note": "why a place is uncertain (an ambiguous short form), else empty",
    "sentence": "the sentence the claim came from, line breaks removed; over 400 characters, 150 either side of the claim with … where cut",
    "sentence_start": "offset of the sentence in the decoded text",
    "sentence_end": "end offset of the sentence",
    "duplicate_of": "claim_id of an identical earlier claim in the same doc (a reprinted paragraph), else empty",
    "period": "the time expression that dates the figure, as written in its sentence (2022年, 截至2023年底, 今年以来), else empty",
    "period_start": "first day of the period (ISO date; relative words resolved against published), else empty",
    "period_end": "last day of the period (ISO date; the same day as period_start for a point: 截至2023年底), else empty",
    "kind": "stock (how many there are), flow (done or served over a period), change (增长, 下降), target (计划, 力争) or forecast (预计, 有望)",
    "outlet": "who published the document (人民日报), from its metadata, else empty",
    "published": "date the document was published (ISO), from its metadata, HTML, dateline or path, else empty",
    "published_source": "where published came from: sidecar, html, text_release, text_date_line, text_dateline, path, or empty",
    "url": "the document's address, from its metadata, else empty",
    "page": "the newspaper page it was printed on, from its metadata or path, else empty",
    "doc_title": "the document's title, from its metadata, HTML or first line, else empty",
}

INT_COLUMNS = ("article_index", "start", "end", "sentence_start", "sentence_end")
FLOAT_COLUMNS = ("value", "value_low", "value_high")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def claim_id(doc: str, start: int, end: int) -> str:
    """The claim_id column: a stable id of a claim from its document and span."""
    return hashlib.sha1(f"{doc}\x1f{start}\x1f{end}".encode("utf-8")).hexdigest()[:16]


def to_frame(rows: Iterable[dict]) -> "pd.DataFrame":
    """Rows (dicts) to a DataFrame with exactly COLUMNS, in order, codes kept as strings."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(COLUMNS))
    for col in INT_COLUMNS:
        frame[col] = frame[col].astype("int64")
    for col in FLOAT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in COLUMNS:
        if col not in INT_COLUMNS and col not in FLOAT_COLUMNS:
            frame[col] = frame[col].astype("string").fillna("")
    return frame


@lru_cache(maxsize=1)
def arrow_schema():
    """The Parquet schema of the table: exactly what pyarrow makes of to_frame's columns and
    types (pandas metadata included), so a file written by to_arrow reads back the same."""
    # a package's __init__ changes with its version: pandas' and pyarrow's make the metadata
    sources = [d / "__init__.py" for d in map(package_dir, ("pandas", "pyarrow")) if d is not None]
    return load_or_build("arrow_schema", sources, _build_schema)


def _build_schema():
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
            # from_pandas: NaN is null, as pyarrow makes of a pandas float column (value_low 530余件)
            columns[name] = pa.array(values, type=field.type, from_pandas=pa.types.is_floating(field.type))
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return pa.Table.from_pandas(to_frame(rows), preserve_index=False)
    return pa.Table.from_pydict(columns, schema=schema)


def typed(row: dict) -> dict:
    """A row with exactly COLUMNS, in order, each value of its column's type as to_frame makes
    it (int; float, NaN when missing or not a number; text, "" when missing), without a frame.
    ValueError or TypeError for a value to_frame would refuse too (an int column's None)."""
    out = {}
    for col in COLUMNS:
        value = row.get(col)
        if col in INT_COLUMNS:
            if isinstance(value, float) or value is None:
                raise TypeError(f"{col}: {value!r} is not an integer")
            out[col] = int(value)
        elif col in FLOAT_COLUMNS:
            out[col] = _number(value)
        elif value is None or (isinstance(value, float) and math.isnan(value)):
            out[col] = ""
        else:
            out[col] = value if isinstance(value, str) else str(value)
    return out


def _number(value) -> float:
    """pd.to_numeric(errors="coerce") of one value."""
    if value is None or isinstance(value, bool):
        return math.nan if value is None else float(value)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return math.nan


def formula_safe(value):
    """A text cell a spreadsheet cannot run as a formula: prefixed with ' when it starts like one."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def spreadsheet_safe(frame: "pd.DataFrame") -> "pd.DataFrame":
    """Copy of frame whose text cells cannot run as spreadsheet formulas (formula_safe)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) == "string":
            out[col] = out[col].map(formula_safe)
    return out
