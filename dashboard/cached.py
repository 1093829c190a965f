"""Named, cached queries: each a plain function over a View, cached by the table's version, the
session's uploads and its arguments (st.cache_data across sessions, plus a per-run memo so one
run never unpickles the same result twice).

The cache key is the repr of the arguments (Filters, Pick and Measure are frozen dataclasses
with a deterministic repr): hashing one string is much cheaper than Streamlit hashing objects.
"""
from __future__ import annotations

import functools

import streamlit as st

from dashboard import aggregates
from dashboard.queries import Filters, Pick, View, facet_key


@st.cache_data(show_spinner=False, max_entries=2048)
def _cached(_fn, _view, signature: str, _args: tuple):
    return _fn(_view, *_args)


def cached(fn):
    """fn(view, *args) -> cached(view, key, *args), key = (table version, uploads version)."""
    @functools.wraps(fn)
    def call(view: View, key: tuple, *args):
        signature = repr((fn.__name__, key, args))
        memo = st.session_state.setdefault("_run_memo", {})
        if signature not in memo:
            memo[signature] = _cached(fn, view, signature, args)
        return memo[signature]
    return call


@cached
def count(view: View, f: Filters) -> int:
    return view.count(f)


@cached
def facet_rows(view: View, name: str, f: Filters) -> list[dict]:
    """Depends only on facet_key(name, f): call it with that."""
    return view.facet_rows(name, f)


@cached
def groups(view: View, f: Filters, pick: Pick | None = None):
    """View.groups, computed with reprints (flagged): call it with reprints=True filters."""
    return view.groups(f, pick)


@cached
def units(view: View, f: Filters):
    return aggregates.with_additivity(view.units(f))


@cached
def compare_options(view: View, f: Filters):
    return aggregates.with_additivity(view.compare_options(f))


@cached
def pick_points(view: View, f: Filters, pick: Pick):
    return view.pick_points(f, pick)


@cached
def page(view: View, f: Filters, number: int, size: int, sort: str, descending: bool):
    return view.page(f, number, size, sort, descending)


@cached
def date_range(view: View):
    return view.date_range()


def overview(view: View, key: tuple, f: Filters, pick: Pick | None = None):
    """The groups every chart, map and summary derive from (independent of f.reprints)."""
    from dataclasses import replace
    return groups(view, key, replace(f, reprints=True), pick)


def doc_options(view: View, key: tuple, f: Filters) -> list[dict]:
    return facet_rows(view, key, "doc", facet_key("doc", f))


def summary(view: View, key: tuple, f: Filters) -> dict[str, int]:
    """Claims, documents, regions, units and hidden reprints under the filters (once per run)."""
    memo = st.session_state.setdefault("_run_memo", {})
    signature = repr(("summary", key, f))
    if signature not in memo:
        memo[signature] = aggregates.summarize(overview(view, key, f), doc_options(view, key, f), f)
    return memo[signature]
