"""User-interface labels in Chinese (default) and English; `t(key, lang)` looks one up.

Theme labels in Chinese come from the extractor's theme rule file (extract.themes); the English
ones, which that file does not hold, are below.
"""
from __future__ import annotations

from functools import lru_cache

LANGS = ("zh", "en")

THEMES_EN: dict[str, str] = {
    "party_org": "Party organisations & members",
    "grid": "Grid governance",
    "facility": "Service facilities",
    "service": "Services to residents",
    "governance": "Consultation & disputes",
    "new_employment": "New employment groups",
    "economy": "Industry & income",
    "ecology": "Ecology",
}
SCOPES: dict[str, tuple[str, str]] = {
    "national": ("全国", "national"), "province": ("全省/全区", "province"), "city": ("盟市", "city"),
    "county": ("旗县区", "county"), "town": ("苏木乡镇", "town"), "none": ("无地点", "no place"),
}


@lru_cache(maxsize=1)
def theme_labels_zh() -> dict[str, str]:
    """key -> Chinese label from the extractor's theme rule file."""
    try:
        from extract.themes import table
        return dict(table().labels)
    except (ImportError, AttributeError):
        return {}

QUALIFIERS: dict[str, tuple[str, str]] = {
    "exact": ("确数", "exact"),
    "more_than": ("以上/余", "more than"),
    "approx": ("约数", "approximate"),
}

LABELS: dict[str, tuple[str, str]] = {
    "title": ("内蒙古基层治理量化指标", "Inner Mongolia grassroots-governance indicators"),
    "title_where": ("{where}基层治理量化指标", "Grassroots-governance indicators: {where}"),
    "all_provinces": ("各省区", "all provinces"),
    "shown_caption": ("显示：{what}；共 {n} 条声明。", "Showing: {what}; {n} claims."),
    "province": ("省区", "Province"),
    "scope": ("地点范围", "Place scope"),
    "q": ("搜索原句和指标", "Search sentences and indicators"),
    "q_help": ("在所有行中查找（不只当前页），不区分大小写。", "Searches every row (not only this page), ignoring case."),
    "from": ("发布日期从", "Published from"),
    "to": ("发布日期至", "Published to"),
    "year": ("年份（时期，否则发布日期）", "Year (period, else published)"),
    "dates": ("发布日期", "Published"),
    "measure_max": ("最大值（每个地区，不是合计）", "Maximum per region (not a sum)"),
    "measure_latest": ("最新值（每个地区，不是合计）", "Latest per region (not a sum)"),
    "value_pick": ("数值：指标（单位）", "Values of: indicator (unit)"),
    "value_pick_sum": ("可相加的指标（单位）", "Additive indicator (unit)"),
    "no_additive": ("当前筛选下没有可以相加的数值（百分比、比率、价格和人均数不相加）。",
                    "No values that can be added under the current filters (percentages, rates, prices and "
                    "averages are never added)."),
    "sum_note": ("只相加同一指标、同一单位的数值；百分比、比率、价格、人均数和计划数从不相加。"
                 "同一地区、同一时期的同一数值被几篇报道或几句话重复提到时，只计一次。",
                 "Only values of one indicator in one unit are added; percentages, rates, prices, averages and "
                 "plans are never added. The same value for the same place and period, reported by several "
                 "articles or sentences, is counted once."),
    "max_note": ("每个地区取“{name}（{unit}）”的最大值，不是合计。",
                 "Each region shows the largest value of \"{name}\" ({unit}), not a sum."),
    "latest_note": ("每个地区取“{name}（{unit}）”最新的数值（按时期，否则按发布日期），不是合计。",
                    "Each region shows the latest value of \"{name}\" ({unit}) (by period, else publication "
                    "date), not a sum."),
    "sum_city_note": ("盟市的合计只加其旗县区的数值，关于整个盟市的数值不再叠加（见下方比较图）。",
                      "A league/city's sum adds its banners' figures only; figures about the whole city are not "
                      "added on top (see the comparison below)."),
    "measure_max_short": ("最大值", "Maximum"),
    "measure_latest_short": ("最新值", "Latest"),
    "chart_time": ("随时间变化（按地区）", "Over time, by region"),
    "time_note": ("横轴为时期（没有时期时为发布年份）；计划和预计数不计入。",
                  "The axis is the period (else the year published); plans and forecasts are left out."),
    "compare_geo_county": ("旗县区", "banners/counties"),
    "compare_geo_city": ("盟市级", "league/city level"),
    "level_any": ("", ""),
    "citation": ("出处", "Source"),
    "link": ("链接", "Link"),
    "as_written": ("原文数值", "As written"),
    "map_no_claims": ("{name}：当前筛选下没有声明。", "{name}: no claims under the current filters."),
    "map_zero": ("灰色：没有声明的地区。", "Grey: regions without claims."),
    "n_results": ("{n} 条结果", "{n} results"),
    "uploader_limit": ("每个文件不超过 {mb} MB；可上传 {types}。", "At most {mb} MB per file; {types} accepted."),
    "caption": ("从新闻报道中抽取的数字声明：每一行是一条带出处的数字。",
                "Quantitative claims extracted from news reports: each row is one figure with its source."),
    "language": ("语言 / Language", "语言 / Language"),
    "filters": ("筛选", "Filters"),
    "city": ("盟市", "League / city"),
    "county": ("旗县区", "Banner / county / district"),
    "theme": ("主题", "Theme"),
    "indicator": ("指标", "Indicator"),
    "doc": ("来源文件", "Source document"),
    "qualifier": ("限定", "Qualifier"),
    "all": ("全部", "All"),
    "city_level": ("（盟市级）", "(city-level)"),
    "region_level": ("（全区）", "(whole region)"),
    "reset": ("清除筛选", "Clear filters"),
    "include_reprints": ("包含重复段落", "Include reprinted paragraphs"),
    "include_reprints_help": ("报纸有时把同一段落刊登两次；重复段落中的声明与同一文件中更早的相同声明重复，"
                              "默认不计入数量、合计、图表和地图。",
                              "Newspapers sometimes print a paragraph twice; the claims of the repeat duplicate "
                              "an earlier identical claim in the same document and are left out of counts, sums, "
                              "charts and the map by default."),
    "reprints_hidden": ("已隐藏 {n} 条重复段落中的声明。", "{n} claims in reprinted paragraphs hidden."),
    "reprints_shown": ("包含 {n} 条重复段落中的声明。", "Includes {n} claims in reprinted paragraphs."),
    "claims": ("声明数", "Claims"),
    "docs": ("文件数", "Documents"),
    "regions": ("地区数", "Regions"),
    "units": ("单位数", "Units"),
    "measure": ("度量", "Measure"),
    "measure_count": ("声明数", "Number of claims"),
    "measure_sum": ("数值合计（同一指标、同一单位）", "Sum (one indicator, one unit)"),
    "unit": ("单位", "Unit"),
    "unit_note": ("只合计单位为“{unit}”的数值；不同单位从不相加。",
                  "Only values in the unit \"{unit}\" are summed; different units are never added."),
    "no_units": ("当前筛选下没有可合计的数值。", "No values to sum under the current filters."),
    "level": ("地区层级", "Region level"),
    "level_city": ("盟市", "Leagues / cities"),
    "level_county": ("旗县区", "Banners / counties"),
    "tab_overview": ("概览图表", "Charts"),
    "tab_map": ("地图", "Map"),
    "tab_table": ("数据表", "Table"),
    "chart_region": ("按地区", "By region"),
    "chart_theme": ("按主题", "By theme"),
    "chart_heatmap": ("地区 × 主题", "Region × theme"),
    "chart_compare": ("同一指标的地区比较", "One indicator across regions"),
    "chart_theme_note": ("一条声明有两个主题时，在两个主题下各计一次。",
                         "A claim with two themes counts under each."),
    "compare_pick": ("比较的指标（单位）", "Indicator to compare (unit)"),
    "compare_note": ("每个点是一条声明；点击一个点可打开原文。",
                     "Each point is one claim; click a point to open its article."),
    "value": ("数值", "Value"),
    "sum": ("合计", "Sum"),
    "region": ("地区", "Region"),
    "map_missing": ("{n} 条声明所在地区没有地图形状（如开发区、管委会），未显示在地图上。",
                    "{n} claims are in areas without a map shape (development zones etc.) and are not on the map."),
    "map_city_level": ("{n} 条盟市级声明没有旗县区，不在旗县区地图上（切换到“盟市”层级可见）。",
                       "{n} city-level claims have no county and are not on the county map (switch to city level)."),
    "map_outside": ("{n} 条声明在内蒙古以外，不在地图上。", "{n} claims are outside Inner Mongolia and not on the map."),
    "map_region_wide": ("{n} 条全区级声明不属于任何盟市，未显示在地图上。",
                        "{n} region-wide claims belong to no city and are not on the map."),
    "sort_by": ("排序", "Sort by"),
    "descending": ("降序", "Descending"),
    "page": ("页码", "Page"),
    "page_info": ("第 {page}/{pages} 页，每页 {size} 行，共 {total} 行",
                  "Page {page} of {pages}, {size} rows per page, {total} rows"),
    "select_hint": ("选中表格中的一行，可在下方查看原文，所有数字都会高亮。",
                    "Select a row to read its article below, with every claim highlighted."),
    "article": ("原文", "Article"),
    "article_missing": ("找不到来源文件 {doc}（在 {dirs} 中）。用 --docs 指定文本目录。",
                        "Source file {doc} not found (looked in {dirs}). Point --docs at the texts folder."),
    "article_claims": ("本文共 {n} 条声明（高亮）", "{n} claims in this article (highlighted)"),
    "close_article": ("关闭原文", "Close article"),
    "download": ("下载筛选后的表格", "Download the filtered table"),
    "download_xlsx_too_big": ("Excel 下载只含前 {n} 行；完整数据请下载 CSV 或 Parquet。",
                              "The Excel file holds the first {n} rows; download CSV or Parquet for all rows."),
    # the sidebar's upload panel (dashboard.upload_view)
    "upload_label": ("上传文本：.txt、.html、.pdf、.docx（可多选，单个文件不超过 {mb} MB）",
              "Upload texts: .txt, .html, .pdf, .docx (several at once, up to {mb} MB each)"),
    "upload_button": ("选择文件", "Browse files"),
    "upload_zone": ("拖放文件到此处 · 单个文件不超过 {mb} MB · {types}",
                    "Drag and drop files here · up to {mb} MB per file · {types}"),
    "upload_drop": ("松开鼠标即可上传", "Drop the files to upload them"),
    "upload_help": ("抽取结果只加入本次会话的表格，不写入文件。PDF 需带文字层（扫描件需先做文字识别）。",
             "Claims are added to this session's table only, not written to disk. A PDF needs a text "
             "layer (a scan needs OCR first)."),
    "upload_waiting": ("{name}：处理中，正在加载抽取器（服务器启动后首次约需 10 秒）…",
                "{name}: processing; the extractor is loading (about 10 s after the server starts)…"),
    "upload_working": ("{name}：处理中…", "{name}: processing…"),
    "upload_ok": ("{name}：抽取到 {n} 条声明（{fmt}）。", "{name}: {n} claims extracted ({fmt})."),
    "upload_renamed": ("（本次会话已有同名文件，表中记为 {doc}）", " (a file of that name is already in this session: listed as {doc})"),
    "upload_binary": ("{name}：不是可读的文本或文档（{err}），已跳过。", "{name}: not a readable text or document ({err}); skipped."),
    "upload_too_large": ("{name}：太大（{err}），已跳过。", "{name}: too large ({err}); skipped."),
    "upload_empty": ("{name}：没有文字（{err}），已跳过。", "{name}: no text ({err}); skipped."),
    "upload_undecodable": ("{name}：无法读取（{err}），已跳过。", "{name}: cannot be read ({err}); skipped."),
    "upload_unreadable": ("{name}：无法读取（{err}），已跳过。", "{name}: cannot be read ({err}); skipped."),
    "upload_error": ("{name}：无法处理（{err}）。", "{name}: cannot be processed ({err})."),
    "upload_lost": ("{name}：服务器已重启，结果不再可用，请重新上传。",
             "{name}: the server restarted and the result is gone; upload it again."),
    "upload_pending_sidebar": ("正在处理 {n} 个上传文件", "Processing {n} uploaded file(s)"),
    "upload_rows": ("本次会话已上传 {n} 条声明。", "{n} uploaded claims in this session."),
    "upload_clear": ("移除上传的文本", "Remove uploaded texts"),
    "empty_filtered": ("没有符合当前筛选条件的声明。请放宽筛选条件，或点击“清除筛选”。",
                       "No claims match the current filters. Widen them, or click \"Clear filters\"."),
    "empty_table": ("表格 {path} 中还没有声明。可以在侧栏“上传文本”处上传文本或文档，或先运行 `indicators extract`。",
                    "The table {path} has no claims yet. Upload texts or documents in the sidebar, or run `indicators extract` first."),
    "missing_table": ("找不到表格文件 {path}。请先运行 `indicators extract seeds -o out/seeds.parquet`，"
                      "或用 `--table` / 环境变量 INDICATORS_TABLE 指定表格。仍可在侧栏“上传文本”处上传文本或文档。",
                      "Table file {path} not found. Run `indicators extract seeds -o out/seeds.parquet` first, "
                      "or pass `--table` / set INDICATORS_TABLE. You can still upload texts or documents in the sidebar."),
    "bad_table": ("无法读取表格 {path}：{err}", "Cannot read the table {path}: {err}"),
    "unknown_value": ("链接中的{field}“{value}”在表格中不存在，已忽略该筛选。",
                      "The link's {field} \"{value}\" is not in the table; that filter was ignored."),
    "unknown_claim": ("链接中的声明编号“{value}”不存在。", "The link's claim id \"{value}\" does not exist."),
    "county_not_in_city": ("旗县区“{value}”不属于所选盟市，已忽略。",
                           "Banner/county \"{value}\" is not in the chosen city; ignored."),
    "col_region": ("地区", "Region"),
}

COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "claim_id": ("编号", "Claim id"), "doc": ("来源文件", "Document"),
    "article_title": ("文章标题", "Article title"), "number_text": ("原文数字", "Number as written"),
    "value": ("数值", "Value"), "unit": ("单位", "Unit"), "qualifier": ("限定", "Qualifier"),
    "indicator": ("指标", "Indicator"), "theme": ("主题", "Theme"), "themes": ("主题", "Themes"),
    "city": ("盟市", "City"), "county": ("旗县区", "County"), "town": ("乡镇苏木", "Town"),
    "sentence": ("原句", "Sentence"), "start": ("起", "Start"), "end": ("止", "End"),
    "city_code": ("盟市代码", "City code"), "county_code": ("旗县区代码", "County code"),
    "region": ("地区（盟市、旗县区、指标）", "Region (city, county, indicator)"),
    "published": ("发布日期", "Published"), "period_start": ("时期", "Period"), "period": ("时期", "Period"),
    "shown": ("原文数值", "As written"), "citation": ("出处", "Source"), "url": ("链接", "Link"),
    "scope": ("地点范围", "Scope"), "measure_label": ("度量", "Measure"), "kind": ("类型", "Kind"),
    "province_code": ("省区代码", "Province code"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def t(key: str, lang: str = "zh", **fmt) -> str:
    """The label for key in lang, formatted with fmt."""
    text = _pick(LABELS[key], lang)
    return text.format(**fmt) if fmt else text


def theme_label(key: str, lang: str = "zh") -> str:
    if lang == "en":
        return THEMES_EN.get(key, key)
    return theme_labels_zh().get(key, key)


def scope_label(key: str, lang: str = "zh") -> str:
    return _pick(SCOPES[key], lang) if key in SCOPES else key


def qualifier_label(key: str, lang: str = "zh") -> str:
    return _pick(QUALIFIERS[key], lang) if key in QUALIFIERS else key


def column_label(key: str, lang: str = "zh") -> str:
    return _pick(COLUMN_LABELS[key], lang) if key in COLUMN_LABELS else key
