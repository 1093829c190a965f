"""Tables for development, tests and benchmarks: one built from the gold claims, and synthetic ones.

    python -m dashboard.sample gold -o out/gold.parquet
    python -m dashboard.sample synthetic -n 1000000 -o out/synthetic.parquet
"""
from __future__ import annotations

import argparse
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from extract.reading import read_document
from extract.table import COLUMNS, claim_id, to_frame
from extract.tableio import write_table
from extract.libs import quiet_import

SHARED = Path("/work/shared")
SENTENCE_END = re.compile(r"[。！？!?\n]")


@lru_cache(maxsize=1)
def division_names() -> dict[str, str]:
    """code -> name for provinces, cities and counties, from jionlp's division list."""
    jionlp = quiet_import("jionlp")
    path = Path(jionlp.__file__).resolve().parent / "dictionary" / "china_location.txt"
    names: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            depth = len(line) - len(line.lstrip("\t"))
            if depth > 2:
                continue
            parts = line.strip("\t\n").split("\t")
            if len(parts) >= 2 and parts[1].isdigit() and len(parts[1]) == 6:
                names.setdefault(parts[1], parts[0])
    return names


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    m = SENTENCE_END.search(text, end)
    return left, (m.end() if m else len(text))


def _place(row: dict, city_code: str | None, county_code: str | None) -> None:
    names = division_names()
    code = county_code or city_code or ""
    row["province_code"] = (code[:2] + "0000") if code else "150000"
    row["province"] = names.get(row["province_code"], "")
    row["city_code"], row["city"] = city_code or "", names.get(city_code or "", "")
    row["county_code"], row["county"] = county_code or "", names.get(county_code or "", "")


def gold_rows(gold_file: Path, docs_dirs: list[Path]) -> list[dict]:
    """Table rows (extract.table.COLUMNS) for every gold record whose document can be found."""
    texts: dict[str, str] = {}
    rows = []
    for line in Path(gold_file).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        doc = rec["doc"]
        if doc not in texts:
            path = next((d / doc for d in docs_dirs if (d / doc).exists()), None)
            if path is None:
                continue
            texts[doc] = read_document(path).text
        text = texts[doc]
        pos = -1
        for _ in range(rec.get("occurrence") or 1):
            pos = text.find(rec["quote"], pos + 1)
        if pos < 0:
            continue
        start = pos + rec["quote"].find(rec["number"])
        end = start + len(rec["number"])
        if text.startswith(rec["unit"], end):
            end += len(rec["unit"])
        s0, s1 = _sentence(text, start, end)
        title = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        row = {"claim_id": claim_id(doc, start, end), "doc": doc, "article_index": 0,
               "article_title": title, "start": start, "end": end, "number_text": rec["number"],
               "value": rec["value"], "unit": rec["unit"], "qualifier": rec["qualifier"],
               "indicator": rec["indicator"], "theme": rec["themes"][0],
               "themes": ";".join(rec["themes"]), "town": "", "place_source": "article",
               "place_note": "", "sentence": text[s0:s1].replace("\n", "").strip(),
               "sentence_start": s0, "sentence_end": s1, "duplicate_of": ""}
        _place(row, rec.get("city_code"), rec.get("county_code"))
        rows.append(row)
    return rows


def gold_table(shared: Path = SHARED) -> pd.DataFrame:
    """The fixture table from /work/shared/gold/*.jsonl and the seeds and corpus texts."""
    docs = [shared / "seeds", shared / "corpus"]
    rows = []
    for gold in sorted((shared / "gold").glob("*.jsonl")):
        rows.extend(gold_rows(gold, docs))
    return to_frame(rows)


INDICATORS = [
    ("党群服务中心", "个", "facility"), ("网格员", "名", "grid"), ("网格党支部", "个", "grid"),
    ("党员", "名", "party_org"), ("流动党员", "名", "party_org"), ("志愿服务", "次", "service"),
    ("服务群众", "人次", "service"), ("化解矛盾纠纷", "件", "governance"), ("收集群众诉求", "条", "governance"),
    ("快递员", "名", "new_employment"), ("新业态组织", "家", "new_employment"), ("集体经济收入", "元", "economy"),
    ("种植面积", "亩", "economy"), ("产量", "吨", "economy"), ("治沙面积", "亩", "ecology"),
    ("植树", "株", "ecology"), ("网格化覆盖率", "%", "grid"), ("党员占比", "%", "party_org"),
    ("便民服务站", "个", "facility"), ("爱心食堂", "个", "facility"),
]


def synthetic_table(n: int, seed: int = 0, n_docs: int | None = None) -> pd.DataFrame:
    """n synthetic rows with realistic columns (Inner Mongolia places, themes, units), fast to make."""
    from .geo import load_shapes
    rng = np.random.default_rng(seed)
    counties = [(f["id"], f["properties"]["name"], f["properties"]["parent_code"], f["properties"]["parent"])
                for f in load_shapes("county")["features"]]
    n_docs = n_docs or max(1, n // 25)
    ind_variants = [(f"{name}{k or ''}", unit, theme) for name, unit, theme in INDICATORS for k in range(15)]
    ind = rng.integers(0, len(ind_variants), n)
    reg = rng.integers(0, len(counties), n)
    city_level = rng.random(n) < 0.25
    value = np.round(rng.lognormal(4, 2, n), 1)
    docs = rng.integers(0, n_docs, n)
    start = rng.integers(0, 10000, n)
    names = np.array([v[0] for v in ind_variants], dtype=object)[ind]
    units = np.array([v[1] for v in ind_variants], dtype=object)[ind]
    themes = np.array([v[2] for v in ind_variants], dtype=object)[ind]
    second = np.array(["", ";service", ";economy", ";party_org"], dtype=object)[rng.integers(0, 4, n)]
    cc = np.array([c[2] for c in counties], dtype=object)[reg]
    cn = np.array([c[3] for c in counties], dtype=object)[reg]
    kc = np.where(city_level, "", np.array([c[0] for c in counties], dtype=object)[reg])
    kn = np.where(city_level, "", np.array([c[1] for c in counties], dtype=object)[reg])
    doc = np.char.add(np.char.add("syn_", np.char.zfill(docs.astype(str), 6)), ".txt").astype(object)
    num = pd.Series(value).map("{:g}".format).to_numpy(dtype=object)
    place = np.where(kn == "", cn, kn)
    sentence = pd.Series(place + "累计建成" + num + units + names + "，覆盖辖区居民群众。").to_numpy(dtype=object)
    frame = pd.DataFrame({
        "claim_id": pd.Series(np.arange(n)).map("{:016x}".format), "doc": doc,
        "article_index": 0, "article_title": pd.Series(cn + "基层治理报道").to_numpy(dtype=object),
        "start": start, "end": start + 6, "number_text": num, "value": value, "unit": units,
        "qualifier": np.array(["exact", "exact", "exact", "more_than", "approx"], dtype=object)[rng.integers(0, 5, n)],
        "indicator": names, "theme": themes, "themes": themes + second, "province": "内蒙古自治区",
        "province_code": "150000", "city": cn, "city_code": cc, "county": kn, "county_code": kc,
        "town": "", "place_source": "sentence", "place_note": "", "sentence": sentence,
        "sentence_start": np.maximum(start - 10, 0), "sentence_end": start + 30, "duplicate_of": ""})
    for col in COLUMNS:
        if frame[col].dtype == object:
            frame[col] = frame[col].astype("string")
    return frame[list(COLUMNS)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["gold", "synthetic"])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("-n", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    frame = gold_table() if args.kind == "gold" else synthetic_table(args.n)
    write_table(frame, args.output)
    print(f"{len(frame)} rows -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
