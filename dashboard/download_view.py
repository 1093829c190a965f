"""The download buttons under the table: the view's rows in its sort, named after the view.

The bytes are made when a button is clicked (Streamlit's deferred download), from the same
filters and sort as the table above; a failure is recorded (exports.FAILURES) and shown on
the page as a message, never a silent missing file.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import exports, safe, state
from dashboard.i18n import column_label, qualifier_label, t, theme_label

ABOUT = {
    "zh": {"sheet_rows": "声明", "sheet_about": "说明", "sheet_sources": "来源", "made": "导出日期",
           "rows": "行数", "source": "表格", "sort": "排序", "desc": "降序", "asc": "升序", "filters": "筛选条件",
           "no_filters": "无（全部声明）", "col_header": "列名", "col_key": "字段", "col_meaning": "含义",
           "label_of": "{key} 的显示名称"},
    "en": {"sheet_rows": "claims", "sheet_about": "about", "sheet_sources": "sources", "made": "exported",
           "rows": "rows", "source": "table", "sort": "sort", "desc": "descending", "asc": "ascending",
           "filters": "filters", "no_filters": "none (all claims)", "col_header": "column", "col_key": "key",
           "col_meaning": "meaning", "label_of": "shown label of {key}"},
}
FAILED = ("导出失败（{err}）。请改用其他格式，或缩小筛选范围后重试。",
          "The export failed ({err}). Try another format, or narrow the filters and try again.")
FACETS_SHOWN = ("city", "county", "theme", "indicator", "doc", "qualifier")


def labels(lang: str) -> exports.Labels:
    themes = lambda s: "、".join(theme_label(k, lang) for k in s.split(";") if k)  # noqa: E731
    return exports.Labels(column=lambda c: column_label(c, lang),
                          value={"themes": themes, "theme": lambda k: theme_label(k, lang),
                                 "qualifier": lambda k: qualifier_label(k, lang)},
                          about=ABOUT["en" if lang == "en" else "zh"])


def spec(f, page: pd.DataFrame, sort: str, descending: bool, lang: str, source: str = "") -> exports.Spec:
    """The filters as shown (names, not codes, where the page shows names) and the file's name parts."""
    values = f.as_dict()
    shown, parts = [], []
    for name in FACETS_SHOWN:
        value = values.get(name)
        if not value:
            continue
        label = value
        if name in ("city", "county") and len(page):
            col = page[name][page[f"{name}_code"] == value]
            label = str(col.iloc[0]) if len(col) and col.iloc[0] else value
        elif name == "theme":
            label = theme_label(value, lang)
        elif name == "qualifier":
            label = qualifier_label(value, lang)
        shown.append((t(name, lang), label))
        parts.append(value if name in ("theme", "qualifier") else label)
    if getattr(f, "reprints", False):
        shown.append((t("include_reprints", lang), "✓"))
    return exports.Spec(tuple(shown), tuple(parts), sort, descending, source=source)


def downloads(batches, f, page: pd.DataFrame, sort: str, descending: bool, total: int, lang: str,
              source: str = "") -> None:
    """CSV, XLSX and Parquet buttons; batches() gives the view's rows in the page's sort."""
    token = state.session_token()
    for msg in exports.FAILURES.pop(token):
        safe.alert("error", (FAILED[1] if lang == "en" else FAILED[0]).format(err=msg))
    st.markdown(f"**{t('download', lang)}**")
    lb, sp = labels(lang), spec(f, page, sort, descending, lang, source)
    makers = {"csv": lambda: exports.to_csv(batches(), lb),
              "xlsx": lambda: exports.to_xlsx(batches(), lb, sp),
              "parquet": lambda: exports.to_parquet(batches())}
    for col, fmt in zip(st.columns(3), ("csv", "xlsx", "parquet")):
        col.download_button(fmt.upper(), data=exports.FAILURES.guarded(token, fmt, makers[fmt]),
                            file_name=exports.file_name(sp, fmt), mime=exports.MIME[fmt], on_click="ignore",
                            key=f"dl_{fmt}", icon=":material/download:")
    if total > exports.EXCEL_MAX_ROWS:  # CSV and Parquet hold every row
        st.caption(t("download_xlsx_too_big", lang, n=f"{exports.EXCEL_MAX_ROWS:,}"))
