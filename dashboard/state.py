"""Every session-state key of the page, and the URL <-> state mapping, in one place.

The page's state is one frozen `PageState` (filters as codes, language, measure, level, open
tab, sort, page, compared pick, opened claim) kept under STATE. The URL is read once, on a
session's first run (`load`), and written once, at the end of every run (`write_url`); it holds
codes, never option labels.

Widgets never own the state. Each widget gets a key derived from what it shows (its option
labels and the current value, `widget_key`), so a widget whose labels change (counts under other
filters, another language) is a new widget created from the state, and Streamlit can never
hand back a stale label as a value; its on_change callback writes the new value into the state.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace
from typing import Callable

import streamlit as st

from dashboard.queries import CITY_LEVEL, FACETS, REGION, SORTABLE, Filters, Pick

STATE = "page_state"            # the PageState
MESSAGES = "_messages"          # (kind, text) shown once at the top of the next run
RUN_MEMO = "_run_memo"          # per-run memo of cached queries (dashboard.cached)
MAP_COUNTS = "_map_counts"      # code -> (name, claims) of the map as last drawn (for clicks)
REGION_CODES = "_region_codes"  # the region chart's codes as last drawn
PAGE_IDS = "_page_ids"          # claim ids of the table page as last drawn (for row selection)
UPLOADS = "uploads"             # this session's uploaded rows (a DataFrame) or None
UPLOAD_TEXTS = "upload_texts"   # name -> text of uploaded files (for the article viewer)
UPLOAD_SEEN = "upload_seen"     # uploader file ids already taken in
UPLOAD_LIST = "upload_list"     # one dict per uploaded file: its job key, state and outcome (dashboard.upload_view)
UPLOADS_VERSION = "uploads_version"
SESSION_TOKEN = "session_token"
# chart keys (their selection events arrive in session state under these names)
MAP_CHART, COMPARE_CHART, REGION_CHART, TABLE = "map_chart", "compare_chart", "region_chart", "table_sel"

LANGS = ("zh", "en")
LEVELS = ("city", "county")
MEASURES = ("count", "sum", "max", "latest")
TABS = ("overview", "map", "table")
OLD_TABS = {"upload": "overview"}   # the uploader moved to the sidebar: old links open the first tab
TRUE_VALUES = ("1", "true", "yes", "on")
FALSE_VALUES = ("0", "false", "no", "off")
#: URL parameter -> Filters field (the URL says `from`/`to`, the dataclass date_from/date_to).
FILTER_PARAMS = {"province": "province", "city": "city", "county": "county", "scope": "scope",
                 "theme": "theme", "indicator": "indicator", "doc": "doc", "qualifier": "qualifier",
                 "q": "q", "from": "date_from", "to": "date_to", "year": "year"}


@dataclass(frozen=True)
class PageState:
    filters: Filters = field(default_factory=Filters)
    lang: str = "zh"
    measure: str = "count"      # count | sum | max | latest
    value: str = ""             # the value measure's pick (URL form, '' = the default pick)
    level: str = "city"
    tab: str = "overview"
    sort: str = "region"
    desc: bool = False
    page: int = 1
    compare: str = ""           # the compared pick (URL form, '' = the default)
    claim: str = ""             # the opened claim


# ---- picks in the URL ---------------------------------------------------------------------------
def pick_to_url(pick: Pick | None) -> str:
    return "" if pick is None else "|".join((pick.key, pick.unit, pick.level, pick.geo))


def pick_from_url(text: str) -> Pick | None:
    parts = (text or "").rsplit("|", 3)
    if len(parts) != 4 or parts[0][:2] not in ("m:", "i:") or not parts[1]:
        return None
    return Pick(*parts)


# ---- URL <-> state ------------------------------------------------------------------------------
def from_params(params: dict[str, str]) -> tuple[PageState, list[tuple[str, str]]]:
    """The state a URL asks for, and (field, value) pairs it got wrong (not table-checked)."""
    bad: list[tuple[str, str]] = []
    flt = {FILTER_PARAMS[k]: v for k, v in params.items() if k in FILTER_PARAMS and v}
    reprints = params.get("reprints", "")
    if reprints and reprints.lower() not in TRUE_VALUES + FALSE_VALUES:
        bad.append(("reprints", reprints))
    flt["reprints"] = reprints.lower() in TRUE_VALUES
    s = PageState(filters=Filters(**flt))
    choices = {"lang": LANGS, "measure": MEASURES, "level": LEVELS, "tab": TABS, "sort": SORTABLE}
    for name, allowed in choices.items():
        value = params.get(name)
        if name == "tab" and value in OLD_TABS:
            value = OLD_TABS[value]
        if value and value in allowed:
            s = replace(s, **{name: value})
        elif value:
            bad.append((name, value))
    for name in ("value", "compare"):
        if params.get(name):
            if pick_from_url(params[name]) is None:
                bad.append((name, params[name]))
            else:
                s = replace(s, **{name: params[name]})
    if params.get("desc"):
        s = replace(s, desc=params["desc"].lower() in TRUE_VALUES)
    if params.get("page"):
        if params["page"].isdigit() and int(params["page"]) >= 1:
            s = replace(s, page=int(params["page"]))
        else:
            bad.append(("page", params["page"]))
    if params.get("claim"):
        s = replace(s, claim=params["claim"])
    if s.measure != "count" and not s.value:
        s = replace(s, measure=s.measure)   # the page picks the default value for it
    return s, bad


def to_params(s: PageState) -> dict[str, str]:
    """The URL of a state: only what differs from the defaults, as codes."""
    out = {param: getattr(s.filters, name) for param, name in FILTER_PARAMS.items() if getattr(s.filters, name)}
    if s.filters.reprints:
        out["reprints"] = "1"
    default = PageState()
    for name in ("lang", "measure", "value", "level", "tab", "sort", "compare", "claim"):
        if getattr(s, name) != getattr(default, name):
            out[name] = getattr(s, name)
    if s.desc:
        out["desc"] = "1"
    if s.page > 1:
        out["page"] = str(s.page)
    return {k: str(v) for k, v in out.items() if v not in (None, "")}


def load() -> PageState:
    """The session's state: from the URL on its first run (read once), else as kept."""
    ss = st.session_state
    if STATE not in ss:
        params = {k: st.query_params.get(k) for k in st.query_params.keys()}
        s, bad = from_params({k: v for k, v in params.items() if v})
        ss[STATE] = s
        ss["_url_unchecked"] = True
        for name, value in bad:
            warn_unknown(name, value, s.lang)
    upload_session()
    ss[RUN_MEMO] = {}
    return ss[STATE]


def validate(view) -> PageState:
    """On the first run, drop URL filter values the table does not have, with a message each."""
    ss = st.session_state
    s = ss[STATE]
    if not ss.pop("_url_unchecked", False):
        return s
    f = s.filters
    for name in FACETS:
        value = getattr(f, name)
        if value and not view.exists(name, value):
            warn_unknown(name, value, s.lang)
            f = replace(f, **{name: None})
    if f.city and f.county and f.county != CITY_LEVEL and f.city != REGION and not view.exists_pair(f.city, f.county):
        from dashboard.i18n import t
        warn(t("county_not_in_city", s.lang, value=f.county))
        f = replace(f, county=None)
    s = replace(s, filters=f)
    ss[STATE] = s
    return s


def write_url(s: PageState) -> None:
    """Write the state into the URL (once per run, at its end)."""
    want = to_params(s)
    if dict(st.query_params.to_dict()) != want:
        st.query_params.from_dict(want)


def current() -> PageState:
    return st.session_state[STATE]


def put(s: PageState) -> None:
    st.session_state[STATE] = s


# ---- transitions (pure) ---------------------------------------------------------------------------
def with_filter(s: PageState, name: str, value) -> PageState:
    """A filter changed: the places below a changed place are cleared, the table goes to page 1."""
    f = replace(s.filters, **{name: value if value not in ("",) else None})
    if name == "province" and value != s.filters.province:
        f = replace(f, city=None, county=None)
    if name == "city" and value != s.filters.city:
        f = replace(f, county=None)
    return replace(s, filters=f, page=1)


def cleared(s: PageState) -> PageState:
    return replace(s, filters=Filters(), page=1, claim="")


# ---- widgets -----------------------------------------------------------------------------------------
def widget_key(name: str, *shown) -> str:
    """A widget's key from its name and everything it shows (labels, current value, language)."""
    digest = hashlib.sha1(repr(shown).encode()).hexdigest()[:10]
    return f"w_{name}_{digest}"


def setter(field_name: str, convert: Callable = lambda v: v) -> Callable[[str], None]:
    """An on_change callback: state.<field> = convert(widget value) (filters by their field name)."""
    filter_fields = {f.name for f in fields(Filters)}

    def callback(key: str) -> None:
        value = convert(st.session_state.get(key))
        s = current()
        if field_name in filter_fields:
            put(with_filter(s, field_name, value))
        else:
            changes = {field_name: value}
            if field_name in ("sort", "desc"):
                changes["page"] = 1
            put(replace(s, **changes))
    return callback


def set_state(**changes) -> None:
    put(replace(current(), **changes))


def set_filters(**changes) -> None:
    s = current()
    for name, value in changes.items():
        s = with_filter(s, name, value)
    put(s)


def clear() -> None:
    put(cleared(current()))


# ---- messages ------------------------------------------------------------------------------------------
def warn(msg: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append(("warning", msg))


def info(msg: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append(("info", msg))


def warn_unknown(name: str, value: str, lang: str) -> None:
    from dashboard.i18n import LABELS, t
    label = t(name, lang) if name in LABELS else name
    warn(t("unknown_value", lang, field=label, value=value))


def take_messages() -> list[tuple[str, str]]:
    return st.session_state.pop(MESSAGES, [])


def remember(name: str, value) -> None:
    st.session_state[name] = value


def recall(name: str, default=None):
    return st.session_state.get(name, default)


def upload_session():
    """The session state with the upload keys present (the table's uploaded rows, their texts,
    the uploader's file ids taken in, the list of files and their outcomes)."""
    ss = st.session_state
    ss.setdefault(UPLOADS, None)
    ss.setdefault(UPLOAD_TEXTS, {})
    ss.setdefault(UPLOAD_SEEN, set())
    ss.setdefault(UPLOAD_LIST, [])
    return ss


def clear_uploads() -> None:
    """Forget this session's uploaded rows, texts and files (a new query-cache key)."""
    ss = upload_session()
    ss[UPLOADS], ss[UPLOAD_TEXTS], ss[UPLOAD_LIST] = None, {}, []
    ss[UPLOADS_VERSION] = ("rows",)        # what upload_view derives for no file (its cache key)


def session_token() -> str:
    import uuid
    return st.session_state.setdefault(SESSION_TOKEN, uuid.uuid4().hex)
