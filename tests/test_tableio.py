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


# ---------------------------------------------------------------- rows written without pandas

def awkward_rows() -> list[dict]:
    """Rows whose cells test the CSV and JSON writers: NaN, huge and tiny floats, formula
    prefixes, quotes, commas, line breaks, None, numbers in text columns, and extracted rows."""
    rows = sample_rows(3)
    rows[0].update(value=4.53e8, value_low=float("nan"), value_high=None, indicator='他说"网格员",共计',
                   sentence="第一行\n第二行\r\n", qualifier=None, county_code=150425)
    rows[1].update(value=1e16, value_low=0.1 + 0.2, value_high=5e-324, doc="-a.txt", unit="@",
                   city_code="+150400", town="\t镇", themes="grid;party_org")
    rows[2].update(value=-0.0, value_low=1 / 3, value_high=18.5, period=float("nan"), page=3)
    return rows + [row for text in SEED_TEXTS[:2] for row in extract_text(text, doc="seed.txt")]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_rows_and_a_frame_write_the_same_bytes(tmp_path, suffix):
    """The writer's own path for rows (no pandas) writes exactly what the frame path writes."""
    from extract.table import to_frame

    rows = awkward_rows()
    with TableWriter(tmp_path / f"rows{suffix}") as out:
        out.write(rows[:2])
        out.write(rows[2:])
    with TableWriter(tmp_path / f"frame{suffix}") as out:
        out.write(to_frame(rows))
    assert (tmp_path / f"rows{suffix}").read_bytes() == (tmp_path / f"frame{suffix}").read_bytes()
    back = read_table(tmp_path / f"rows{suffix}")
    assert len(back) == len(rows)
    expected_code = "'+150400" if suffix == ".csv" else "+150400"     # CSV cells are formula-safe
    assert back.loc[1, "city_code"] == expected_code
    assert back.loc[0, "sentence"] == "第一行\n第二行\r\n"
    assert back.loc[0, "indicator"] == '他说"网格员",共计'
    assert back.loc[0, "county_code"] == "150425" and back.loc[0, "value"] == 4.53e8


def test_an_extraction_to_csv_does_not_import_pandas(tmp_path):
    """Extracting to CSV needs no pandas: the command-line tool starts without importing it."""
    import subprocess
    import sys

    src = tmp_path / "a.txt"
    src.write_text("赤峰市建成2610个党群服务中心。", encoding="utf-8")
    code = ("import sys\nfrom extract.tableio import write_table\nfrom extract import extract_text\n"
            f"write_table(extract_text(open({str(src)!r}, encoding='utf-8').read(), doc='a.txt'), {str(tmp_path / 'a.csv')!r})\n"
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert "党群服务中心" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
