"""Plotly figures for the dashboard; each takes a small aggregated frame from dashboard.aggregates
or a named query. Figures carry ids and short labels only, never whole sentences.

Columns go to Plotly as NumPy arrays (a pandas Series costs ~10x more to validate, through
narwhals) and each figure's layout is given once to the constructor (update_layout calls cost
a few milliseconds each): building the four charts is part of every filter change."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from . import geo
from .aggregates import points_per
from .safe import plotly_text
from .i18n import t, theme_label

MAP_CENTER = {"lat": 44.6, "lon": 112.0}
MAP_STYLE = "white-bg"   # no tiles, no glyphs: the map needs nothing from outside the machine
FONT = dict(family="Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif")


def _figure(data: list, height: int = 420, **layout) -> go.Figure:
    """A figure with the common layout (height, margins, CJK font) plus `layout`."""
    return go.Figure(data=data, layout=dict(height=height, margin=dict(l=10, r=10, t=30, b=10), font=FONT,
                                            **layout))


def _a(values) -> np.ndarray:
    """A column as a NumPy array (strings as objects) for Plotly, its text escaped: Plotly reads
    <a href>, <b> and <br> in hovers and labels, and this text comes from the articles."""
    arr = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
    arr = arr.astype(object) if arr.dtype.kind in "US" else arr
    return plotly_text(arr) if arr.dtype.kind == "O" else arr


def region_labels(frame: pd.DataFrame, level: str, lang: str) -> pd.Series:
    """Display names: a county, or '<city>（盟市级）' for city-level claims, or （全区） with no city."""
    name = frame["name"].fillna("").astype(str)
    city = frame["city"].fillna("").astype(str)
    if level == "county":
        name = name.where((name != "") | (city == ""), city + t("city_level", lang))
    return name.where(name != "", t("region_level", lang))


def region_bar(frame: pd.DataFrame, level: str, measure_label: str, lang: str) -> go.Figure:
    """Horizontal bars per region; at county level grouped by city (one colour and one block per city)."""
    data = frame.assign(label=region_labels(frame, level, lang))
    data["city"] = data["city"].fillna("").replace("", t("region_level", lang))
    data["city_total"] = data.groupby("city")["measure"].transform("sum")
    data = data.sort_values(["city_total", "city", "measure"], ascending=[False, True, False])
    groups = data.groupby("city", sort=False) if level == "county" else [(measure_label, data)]
    palette = px.colors.qualitative.Dark24
    bars = [go.Bar(x=_a(part["measure"]), y=_a(part["label"]), orientation="h", name=plotly_text(str(city)),
                   marker_color=palette[i % len(palette)] if level == "county" else palette[0],
                   customdata=np.column_stack([_a(part["code"].fillna("")), _a(part["n"]).astype(object)]),
                   hovertemplate="%{y}<br>%{x:,}<br>" + t("claims", lang)
                   + " %{customdata[1]:,}<extra>" + plotly_text(str(city)) + "</extra>")
            for i, (city, part) in enumerate(groups)]
    return _figure(bars, height=max(320, 22 * len(data) + 80), showlegend=level == "county", barmode="stack",
                   legend_title_text=t("city", lang), xaxis_title=plotly_text(measure_label),
                   yaxis=dict(categoryorder="array", categoryarray=_a(data["label"])[::-1]))


def theme_bar(frame: pd.DataFrame, measure_label: str, lang: str) -> go.Figure:
    labels = [theme_label(k, lang) for k in frame["theme"]]
    bar = go.Bar(x=plotly_text(labels), y=_a(frame["measure"]), customdata=_a(frame["n"])[:, None],
                 marker_color=px.colors.qualitative.Plotly[:len(frame)] * 2,
                 hovertemplate="%{x}<br>%{y:,}<br>" + t("claims", lang) + " %{customdata[0]:,}<extra></extra>")
    return _figure([bar], yaxis_title=plotly_text(measure_label), xaxis_title=t("theme", lang))


def heatmap(frame: pd.DataFrame, measure_label: str, lang: str) -> go.Figure:
    """Region × theme matrix of the measure."""
    data = frame.copy()
    data["region"] = data["region"].fillna("").replace("", t("region_level", lang))
    twice = data.groupby("region")["region_code"].transform("nunique") > 1     # 新城区 in two 盟市
    data.loc[twice, "region"] = data.loc[twice, "region"] + " " + data.loc[twice, "region_code"].astype(str)
    data["theme"] = data["theme"].map(lambda k: theme_label(k, lang))
    # one cell per (region, theme) already: nothing is added here
    grid = data.pivot_table(index="region", columns="theme", values="measure", aggfunc="first", fill_value=0)
    grid = grid.loc[grid.max(axis=1).sort_values(ascending=True, kind="stable").index]
    heat = go.Heatmap(z=grid.to_numpy(), x=plotly_text(list(grid.columns)), y=plotly_text(list(grid.index)),
                      colorscale="YlOrRd", colorbar_title=plotly_text(measure_label),
                      hovertemplate="%{y} · %{x}<br>%{z:,}<extra></extra>")
    return _figure([heat], height=max(320, 24 * len(grid) + 120), xaxis_title=t("theme", lang),
                   yaxis_title=t("region", lang))


def compare(points: pd.DataFrame, title: str, unit: str, additive: bool, lang: str) -> go.Figure:
    """Every claim of one pick per region: points to click, plus each region's sum when the
    figures can be added, else its maximum (labelled so). customdata: claim id, short label, source."""
    data = points.copy()
    data["region"] = data["region"].fillna("").replace("", t("region_level", lang))
    name = t("sum", lang) if additive else t("measure_max_short", lang)
    per = points_per(data, ["region"], additive).sort_values("value", ascending=False)
    bar = go.Bar(x=_a(per["region"]), y=_a(per["value"]), name=name, opacity=0.35,
                 hovertemplate="%{x}<br>" + name + " %{y:,}" + plotly_text(unit) + "<extra></extra>")
    points = go.Scatter(x=_a(data["region"]), y=_a(data["value"]), mode="markers", name=t("value", lang),
                        marker=dict(size=10, opacity=0.8),
                        customdata=np.column_stack([_a(data["claim_id"]), _a(data["label"]),
                                                    _a(data["shown"]), _a(data["citation"])]),
                        hovertemplate="%{x}: %{customdata[2]}<br>%{customdata[1]}<br>%{customdata[3]}"
                                      "<extra></extra>")
    return _figure([bar, points], title=plotly_text(title), yaxis_title=plotly_text(f"{t('value', lang)}（{unit}）"),
                   xaxis=dict(categoryorder="array", categoryarray=_a(per["region"])), showlegend=False)


def over_time(points: pd.DataFrame, title: str, unit: str, additive: bool, lang: str, top: int = 8) -> go.Figure:
    """One line per region (the `top` regions with most claims) of the pick's value per year:
    the sum when the figures can be added, else the maximum."""
    data = points[points["year"].notna() & (points["year"] != "")].copy()
    data["region"] = data["region"].fillna("").replace("", t("region_level", lang))
    keep = data["region"].value_counts().index[:top]
    data = data[data["region"].isin(keep)]
    per = points_per(data, ["region", "year"], additive)
    lines = [go.Scatter(x=_a(part["year"]), y=_a(part["value"]), mode="lines+markers", name=plotly_text(str(region)),
                        hovertemplate=plotly_text(f"{region} ") + "%{x}: %{y:,}" + plotly_text(unit)
                        + "<extra></extra>")
             for region, part in per.sort_values("year").groupby("region", sort=False)]
    return _figure(lines, title=plotly_text(title), xaxis=dict(type="category", title=t("year", lang)),
                   yaxis_title=plotly_text((t("sum", lang) if additive else t("measure_max_short", lang)) + f"（{unit}）"))


ZERO_COLOUR = "#d9d9d9"


def region_map(frame: pd.DataFrame, level: str, measure_label: str, lang: str) -> go.Figure:
    """Choropleth of Inner Mongolia at 盟市 or 旗县区 level; regions without claims are a grey
    layer of their own (never the colour of 1)."""
    shapes = geo.load_shapes(level)
    base = pd.DataFrame([{"code": f["id"], "shape_name": f["properties"]["name"]} for f in shapes["features"]])
    merged = base.merge(frame[["code", "measure", "n"]], on="code", how="left").fillna({"n": 0})
    has = (merged["n"] > 0) & merged["measure"].notna()
    zero, shown = merged[~has], merged[has]
    layers = []
    if len(zero):
        layers.append(go.Choroplethmap(
            geojson=shapes, locations=_a(zero["code"]), z=np.zeros(len(zero)), featureidkey="id",
            colorscale=[[0, ZERO_COLOUR], [1, ZERO_COLOUR]], showscale=False, marker_opacity=0.85,
            marker_line_width=0.6, marker_line_color="#555", name=t("map_zero", lang),
            customdata=_a(zero["shape_name"])[:, None],
            hovertemplate="%{customdata[0]}<br>" + t("claims", lang) + " 0<extra></extra>"))
    if len(shown):
        layers.append(go.Choroplethmap(
            geojson=shapes, locations=_a(shown["code"]), z=_a(shown["measure"]), featureidkey="id",
            customdata=np.column_stack([_a(shown["shape_name"]), _a(shown["n"]).astype(object)]),
            colorscale="YlOrRd", zmin=float(shown["measure"].min()) if len(shown) > 1 else None,
            marker_opacity=0.85, marker_line_width=0.6, marker_line_color="#555", colorbar_title=plotly_text(measure_label),
            hovertemplate="%{customdata[0]}<br>%{z:,}<br>" + t("claims", lang)
                          + " %{customdata[1]:,}<extra></extra>"))
    return _figure(layers, height=600, map_style=MAP_STYLE, map_center=MAP_CENTER, map_zoom=4.0)


def shape_codes(level: str) -> set[str]:
    return {f["id"] for f in geo.load_shapes(level)["features"]}
