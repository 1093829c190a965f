"""The sidebar's upload panel: files in, each file's state and outcome out.

A file's bytes are read from the uploader in the run that first sees it and handed to the
server's extraction process (dashboard.upload_jobs); the session keeps only the job's key.
`collect()`, at the top of every run, moves finished jobs' rows into the session's table, so
whatever the user does meanwhile (another file, a tab, the language), the file ends with its
outcome listed: its claims, or why it could not be read.
"""
from __future__ import annotations

import threading
from pathlib import PurePath

import pandas as pd
import streamlit as st

from dashboard import safe, st_texts, state
from dashboard.i18n import LABELS, t
from dashboard.state import UPLOAD_LIST, UPLOAD_SEEN, UPLOAD_TEXTS, UPLOADS, UPLOADS_VERSION
from dashboard.upload_jobs import job_key, jobs
from dashboard.uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, TYPES, rows_frame

POLL_SECONDS = 0.5

FORMAT_NAMES = {"text": "text", "html": "HTML", "pdf": "PDF", "docx": "DOCX"}


def tr(key: str, lang: str, **fmt) -> str:
    """The upload tab's labels: dashboard.i18n's upload_<key>."""
    return t("upload_" + key, lang, **fmt)


def _unique_doc(name: str, ss) -> str:
    """The file name, or name (2), (3) … when this session already has a different file of that name."""
    taken = {e["doc"] for e in ss[UPLOAD_LIST]}
    if name not in taken:
        return name
    p = PurePath(name)
    k = 2
    while f"{p.stem} ({k}){p.suffix}" in taken:
        k += 1
    return f"{p.stem} ({k}){p.suffix}"


#: Held while a run reads and writes a session's upload bookkeeping. Streamlit's fast reruns
#: (runner.fastReruns, on by default) start a new script thread for a click while the old one
#: runs on to its next Streamlit call, so two runs of one session can be inside collect() or
#: _intake() at once: unguarded, one run's rows were overwritten by the other's (a file listed
#: with its claims that were not in the table). One lock for all sessions: what it guards is short.
BOOKKEEPING = threading.RLock()


def collect() -> bool:
    """Move finished uploads into the session's table; start the extraction process. True if any moved."""
    jobs().extractor.start()
    with BOOKKEEPING:
        return _collect()


def _collect() -> bool:
    ss = state.upload_session()
    registry = jobs()
    moved = False
    for entry in ss[UPLOAD_LIST]:
        if entry["state"] != "pending":
            continue
        job = registry.get(entry["key"])
        if job is None:
            entry.update(state="failed", status="lost", error="")
            continue
        if not job.done:
            continue
        res = job.result()
        entry.update(status=res.status, error=res.error, fmt=res.format, n=len(res.rows))
        if res.status == "ok":
            entry["state"] = "ok"
            ss[UPLOAD_TEXTS][entry["doc"]] = res.text
            entry["frame"] = rows_frame(res.rows) if res.rows else None
        else:
            entry["state"] = "failed"
        moved = True
    _table_from_entries(ss)
    return moved


def _table_from_entries(ss) -> None:
    """The session's uploaded rows, made again from the file entries whenever they differ.

    Each file's rows live in its own entry (the list and its dicts are changed in place), and
    the table is derived from them on every run. A run superseded by a fast rerun can lose its
    assignments to session state (seen: a file listed with 7 claims, the table holding only the
    next file's 2); what it changed in place it cannot lose, and the next run rebuilds the table."""
    frames = [(e["key"], e["frame"]) for e in ss[UPLOAD_LIST] if e.get("frame") is not None]
    version = ("rows",) + tuple(key for key, _ in frames)
    current = ss.get(UPLOADS)
    if ss.get(UPLOADS_VERSION) == version and (current is None) == (not frames) and \
            (current is None or len(current) == sum(len(f) for _, f in frames)):
        return
    ss[UPLOADS] = pd.concat([f for _, f in frames], ignore_index=True) if frames else None
    ss[UPLOADS_VERSION] = version


def _intake(files) -> None:
    with BOOKKEEPING:
        _take(files)


def _take(files) -> None:
    ss = state.upload_session()
    registry = jobs()
    for up in files or []:
        fid = getattr(up, "file_id", None) or f"{up.name}:{up.size}"
        if fid in ss[UPLOAD_SEEN]:
            continue
        ss[UPLOAD_SEEN].add(fid)
        data = up.getvalue()
        src = job_key(up.name, data)
        if any(e.get("src") == src and e["state"] != "failed" for e in ss[UPLOAD_LIST]):
            continue                  # the same file again: its rows are in already (or on their way)
        doc = _unique_doc(up.name, ss)
        job = registry.submit(doc, data, MAX_UPLOAD_BYTES)
        ss[UPLOAD_LIST].append({"fid": fid, "src": src, "name": up.name, "doc": doc, "key": job.key,
                                  "size": len(data), "state": "pending", "status": "", "error": "",
                                  "fmt": "", "n": 0})


def _line(entry: dict, lang: str, ready: bool) -> tuple[str, str]:
    name = entry["name"]
    if entry["state"] == "pending":
        return "pending", tr("working" if ready else "waiting", lang, name=name)
    if entry["state"] == "ok":
        text = tr("ok", lang, name=name, n=entry["n"], fmt=FORMAT_NAMES.get(entry["fmt"], entry["fmt"]))
        if entry["doc"] != name:
            text += tr("renamed", lang, doc=entry["doc"])
        return "success", text
    status = entry["status"] if f"upload_{entry['status']}" in LABELS else "error"
    return "error", tr(status, lang, name=name, err=entry["error"] or entry["status"])


def _poll(lang: str) -> None:
    """Every file's state and outcome; polled while a file is pending, and when one finishes
    the whole page runs again (collect() takes its rows into the table)."""
    ss = state.upload_session()
    registry = jobs()
    for e in ss[UPLOAD_LIST]:
        if e["state"] == "pending":
            job = registry.get(e["key"])
            if job is None or job.done:
                st.rerun(scope="app")
    ready = registry.extractor.ready()
    pending = [e for e in ss[UPLOAD_LIST] if e["state"] == "pending"]
    if pending:
        st.caption(tr("pending_sidebar", lang, n=len(pending)))
    safe.alerts([_line(e, lang, ready) for e in ss[UPLOAD_LIST]])
    n = 0 if ss[UPLOADS] is None else len(ss[UPLOADS])
    if n or ss[UPLOAD_LIST]:
        st.caption(tr("rows", lang, n=n))
        if st.button(tr("clear", lang), key="clear_uploads"):
            state.clear_uploads()
            st.rerun(scope="app")


def panel(lang: str) -> None:
    """The uploader and every file's state, in the sidebar container made for it at a fixed
    place (dashboard.page), on every run and every tab.

    Outside the tabs because a tab's content is remounted when the tabs are rebuilt (a tab
    click, the language): a file added to an uploader in a tab just then was dropped by the
    browser with no message. The states below it are a fragment that polls while a file is
    pending, so progress and outcomes show without running the page."""
    ss = state.upload_session()
    css = st_texts.dropzone_css(lang)
    st.html(css or "<style></style>")    # always one element here, so the uploader's place never moves
    files = st.file_uploader(tr("label", lang, mb=MAX_UPLOAD_MB), type=list(TYPES), accept_multiple_files=True,
                             key="uploader", max_upload_size=MAX_UPLOAD_MB,
                             help=tr("help", lang) + " " + t("uploader_limit", lang, mb=MAX_UPLOAD_MB,
                                                               types=", ".join("." + x for x in TYPES)))
    _intake(files)
    pending = any(e["state"] == "pending" for e in ss[UPLOAD_LIST])
    st.fragment(_poll, run_every=POLL_SECONDS if pending else None)(lang)
