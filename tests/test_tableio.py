"""tableio.py: TableWriter, write_table and read_table, streamed or whole, in every format."""
from __future__ import annotations

import pandas as pd
import pytest

from extract import extract_text
from extract.tableio import TableWriter, read_table, write_table

from conftest import SEED_TEXTS


def test_parquet_from_rows_and_from_a_frame_are_the_same_file(tmp_path):
    import pyarrow.parquet as pq

    from extract.table import to_frame
    from extract.tableio import TableWriter

    rows = [row for text in SEED_TEXTS[:2] for row in extract_text(text, doc="seed.txt")]
    with TableWriter(tmp_path / "rows.parquet") as out:
        out.write(rows[:10])
        out.write(rows[10:])
    with TableWriter(tmp_path / "frame.parquet") as out:
        out.write(to_frame(rows))
    assert out.rows == len(rows)
    a, b = pq.read_table(tmp_path / "rows.parquet"), pq.read_table(tmp_path / "frame.parquet")
    assert a.equals(b, check_metadata=True) and a.num_rows == len(rows)


# ---------------------------------------------------------------- streaming table output

def sample_rows(n: int) -> list[dict]:
    from extract.table import COLUMNS

    rows = []
    for i in range(n):
        row = dict.fromkeys(COLUMNS, "")
        row.update(claim_id=f"c{i}", doc="d.txt", start=i, end=i + 2, sentence_start=0, sentence_end=i + 5,
                   article_index=0, value=float(i), number_text=str(i), unit="个",
                   indicator="=SUM(A1)" if i == 1 else "党群服务中心", city_code="150400")
        rows.append(row)
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_table_writer_matches_write_table(tmp_path, suffix):
    rows = sample_rows(7)
    write_table(rows, tmp_path / f"whole{suffix}")
    with TableWriter(tmp_path / f"batches{suffix}") as out:
        for batch in (rows[:3], [], rows[3:4], rows[4:]):
            out.write(batch)
    assert out.rows == 7
    whole, batches = read_table(tmp_path / f"whole{suffix}"), read_table(tmp_path / f"batches{suffix}")
    pd.testing.assert_frame_equal(whole, batches)
    if suffix != ".parquet":
        assert (tmp_path / f"whole{suffix}").read_bytes() == (tmp_path / f"batches{suffix}").read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_table_writer_empty_and_aborted(tmp_path):
    with TableWriter(tmp_path / "e.csv"):
        pass
    assert len(read_table(tmp_path / "e.csv")) == 0
    (tmp_path / "keep.jsonl").write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with TableWriter(tmp_path / "keep.jsonl") as out:
            out.write(sample_rows(2))
            raise KeyboardInterrupt
    assert (tmp_path / "keep.jsonl").read_text(encoding="utf-8") == "old\n"   # untouched
    assert not list(tmp_path.glob(".*.tmp"))
