"""table.py: the schema's Arrow table is the one pandas makes."""
from __future__ import annotations

from extract import extract_text

from conftest import SEED_TEXTS


# ---------------------------------------------------------------- Parquet without pandas

def test_arrow_table_is_what_pandas_made():
    """to_arrow (dicts straight to Arrow) gives the table pyarrow made of to_frame, metadata
    included, so Parquet parts and files read back exactly as before."""
    import pyarrow as pa

    from extract.table import to_arrow, to_frame

    rows = [row for text in SEED_TEXTS for row in extract_text(text, doc="seed.txt")]
    assert rows
    want = pa.Table.from_pandas(to_frame(rows), preserve_index=False)
    assert to_arrow(rows).equals(want, check_metadata=True)
    assert to_arrow([]).equals(pa.Table.from_pandas(to_frame([]), preserve_index=False), check_metadata=True)
    odd = dict(rows[0], town=None, place_note=7)          # None and a non-string, as to_frame reads them
    got = to_arrow([odd]).to_pylist()[0]
    assert got["town"] == "" and got["place_note"] == "7"
    as_text = [{k: str(v) for k, v in row.items()} for row in rows[:3]]   # a table read from CSV
    assert to_arrow(as_text).equals(pa.Table.from_pandas(to_frame(as_text), preserve_index=False))
    assert to_arrow(as_text).column("value").to_pylist() == [r["value"] for r in rows[:3]]
