"""Plotly figures for the dashboard; each takes a small aggregated frame from dashboard.data."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from . import geo
from .i18n import t, theme_label

MAP_CENTER = {"lat": 44.6, "lon": 112.0}
MAP_STYLE = "white-bg"   # no tiles, no glyphs: the map needs nothing from outside the machine
FONT = dict(family="Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif")


def _layout(fig: go.Figure, height: int = 420) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), font=FONT)
    return fig


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
    fig = go.Figure()
    groups = data.groupby("city", sort=False) if level == "county" else [(measure_label, data)]
    palette = px.colors.qualitative.Dark24
    for i, (city, part) in enumerate(groups):
        fig.add_bar(x=part["measure"], y=part["label"], orientation="h", name=str(city),
                    marker_color=palette[i % len(palette)] if level == "county" else palette[0],
                    customdata=part[["n"]], hovertemplate="%{y}<br>%{x:,}<br>" + t("claims", lang)
                    + " %{customdata[0]:,}<extra>" + str(city) + "</extra>")
    fig.update_layout(showlegend=level == "county", barmode="stack", legend_title_text=t("city", lang),
                      xaxis_title=measure_label,
                      yaxis=dict(categoryorder="array", categoryarray=list(data["label"])[::-1]))
    return _layout(fig, height=max(320, 22 * len(data) + 80))


def theme_bar(frame: pd.DataFrame, measure_label: str, lang: str) -> go.Figure:
    labels = frame["theme"].map(lambda k: theme_label(k, lang))
    fig = go.Figure(go.Bar(x=labels, y=frame["measure"], customdata=frame[["n"]],
                           marker_color=px.colors.qualitative.Plotly[:len(frame)] * 2,
                           hovertemplate="%{x}<br>%{y:,}<br>" + t("claims", lang)
                           + " %{customdata[0]:,}<extra></extra>"))
    fig.update_layout(yaxis_title=measure_label, xaxis_title=t("theme", lang))
    return _layout(fig)


def heatmap(frame: pd.DataFrame, measure_label: str, lang: str) -> go.Figure:
    """Region × theme matrix of the measure."""
    data = frame.copy()
    data["region"] = data["region"].fillna("").replace("", t("region_level", lang))
    data["theme"] = data["theme"].map(lambda k: theme_label(k, lang))
    grid = data.pivot_table(index="region", columns="theme", values="measure", aggfunc="sum", fill_value=0)
    grid = grid.loc[grid.sum(axis=1).sort_values(ascending=True).index]
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index),
                               colorscale="YlOrRd", colorbar_title=measure_label,
                               hovertemplate="%{y} · %{x}<br>%{z:,}<extra></extra>"))
    fig.update_layout(xaxis_title=t("theme", lang), yaxis_title=t("region", lang))
    return _layout(fig, height=max(320, 24 * len(grid) + 120))


def compare(points: pd.DataFrame, indicator: str, unit: str, lang: str) -> go.Figure:
    """Every claim of one indicator (one unit) per region: points to click, plus each region's sum."""
    data = points.copy()
    data["region"] = data["region"].fillna("").replace("", t("region_level", lang))
    sums = data.groupby("region", as_index=False)["value"].sum().sort_values("value", ascending=False)
    fig = go.Figure()
    fig.add_bar(x=sums["region"], y=sums["value"], name=t("sum", lang), opacity=0.35,
                hovertemplate="%{x}<br>" + t("sum", lang) + " %{y:,}" + unit + "<extra></extra>")
    fig.add_scatter(x=data["region"], y=data["value"], mode="markers", name=t("value", lang),
                    marker=dict(size=10, opacity=0.8), customdata=data[["claim_id", "sentence"]],
                    hovertemplate="%{x}: %{y:,}" + unit + "<br>%{customdata[1]}<extra></extra>")
    fig.update_layout(title=f"{indicator}（{unit}）", yaxis_title=f"{t('value', lang)}（{unit}）",
                      xaxis=dict(categoryorder="array", categoryarray=list(sums["region"])), showlegend=False)
    return _layout(fig)


def region_map(frame: pd.DataFrame, level: str, measure_label: str, lang: str) -> go.Figure:
    """Choropleth of Inner Mongolia at 盟市 or 旗县区 level; regions without claims show 0."""
    shapes = geo.load_shapes(level)
    base = pd.DataFrame([{"code": f["id"], "shape_name": f["properties"]["name"]} for f in shapes["features"]])
    merged = base.merge(frame[["code", "measure", "n"]], on="code", how="left").fillna({"measure": 0, "n": 0})
    fig = go.Figure(go.Choroplethmap(
        geojson=shapes, locations=merged["code"], z=merged["measure"], featureidkey="id",
        customdata=merged[["shape_name", "n"]], colorscale="YlOrRd", marker_opacity=0.85,
        marker_line_width=0.6, marker_line_color="#555", colorbar_title=measure_label,
        hovertemplate="%{customdata[0]}<br>%{z:,}<br>" + t("claims", lang) + " %{customdata[1]:,}<extra></extra>"))
    fig.update_layout(map_style=MAP_STYLE, map_center=MAP_CENTER, map_zoom=4.0)
    return _layout(fig, height=600)


def shape_codes(level: str) -> set[str]:
    return {f["id"] for f in geo.load_shapes(level)["features"]}
