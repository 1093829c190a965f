"""A document's provenance: outlet, date of publication, url, page and title.

Read in this order, each field from the first source that has it:

1. a sidecar file (``--meta FILE``, or one of the names in rules/doc_metadata.tsv beside the
   texts): CSV or JSON lines, one record per text file, keyed by its file name;
2. an HTML page's own metadata (og:/article: meta tags, JSON-LD, <title>, <time>), read by
   trafilatura, which asks htmldate for the date (its extensive search, which guesses from
   any date in the page, is off);
3. the text: 发布时间 lines, a date line under the headline, a dateline (本报北京2月11日电,
   with the year from the other metadata);
4. the path: 20200212-07-01.txt, 2024/03/05/, 2024-03-05_….

A date that cannot be found stays empty: nothing is guessed. `published_source` says where
the date came from (sidecar, html, text_release, text_date_line, text_dateline, path).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..ruleschema import Field, RuleError, read_rules

FIELDS = ("outlet", "published", "published_source", "url", "page", "doc_title")
#: Characters of a text searched for a date: the headline block and the first lines.
HEAD_CHARS = 400
#: A dateline more than this many days after the reference date belongs to the year before
#: (a 12月30日电 story in a paper dated in January).
DATELINE_AHEAD_DAYS = 60
SIDECAR_LEVELS = 2      # folders above a text's own that are searched for a sidecar file


@dataclass(frozen=True)
class DocMeta:
    outlet: str = ""
    published: str = ""           # ISO date, or empty
    published_source: str = ""    # where `published` came from
    url: str = ""
    page: str = ""
    doc_title: str = ""

    def as_row(self) -> dict:
        return asdict(self)

    def fill(self, other: "DocMeta") -> "DocMeta":
        """This metadata, with the fields it lacks taken from `other`."""
        out = {k: v or getattr(other, k) for k, v in asdict(self).items()}
        if not self.published:
            out["published_source"] = other.published_source
        return DocMeta(**out)


# --------------------------------------------------------------------------- rules

@lru_cache(maxsize=1)
def _meta_rules() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    rows = read_rules("doc_metadata.tsv", (Field("kind", ("sidecar", "column")), Field("value"), Field("fields")))
    names = tuple(r["value"] for r in rows if r["kind"] == "sidecar")
    columns = {r["value"]: tuple(c.strip().lower() for c in r["fields"].split("|")) for r in rows
               if r["kind"] == "column"}
    missing = {"doc", *FIELDS} - {"published_source"} - set(columns)
    if missing:
        raise RuleError("doc_metadata.tsv", 0, f"no column line for {', '.join(sorted(missing))}")
    return names, columns


def _check_date_rule(row: dict) -> str | None:
    groups = set(row["pattern_re"].groupindex)
    if not {"m", "d"} <= groups:
        return "a date pattern needs the groups m and d"
    if row["where"] == "path" and "y" not in groups:
        return "a path pattern needs the group y"
    return None


@lru_cache(maxsize=1)
def _date_rules() -> tuple[dict, ...]:
    return tuple(read_rules("date_patterns.tsv", (Field("where", ("text", "path")), Field("source"),
                                                  Field("pattern", pattern=True), Field("example")),
                            check=_check_date_rule))


# --------------------------------------------------------------------------- dates

def iso_date(y, m, d) -> str:
    """YYYY-MM-DD for a real calendar date, else empty."""
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except (TypeError, ValueError):
        return ""


def normal_date(value) -> str:
    """A date as written in a metadata field (2019-02-18, 2019/2/18, 2019年2月18日, 20190218,
    2019-02-18T08:00:00+08:00) as an ISO date; empty when it is no date."""
    import regex

    s = str(value or "").strip()
    m = regex.match(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", s) \
        or regex.fullmatch(r"((?:19|20)\d\d)(\d\d)(\d\d)", s)
    return iso_date(*m.groups()) if m else ""


def _with_year(month: str, day: str, reference: str) -> str:
    """A month and day (a dateline) in the year of the reference date; the year before when the
    day would fall well after the reference (12月30日电 in a January paper)."""
    if not reference:
        return ""
    ref = dt.date.fromisoformat(reference)
    found = iso_date(ref.year, month, day)
    if found and (dt.date.fromisoformat(found) - ref).days > DATELINE_AHEAD_DAYS:
        found = iso_date(ref.year - 1, month, day)
    return found


def text_date(text: str, year_from: str = "") -> tuple[str, str]:
    """(ISO date, source) written near the top of a text; ('', '') when there is none.

    `year_from` (an ISO date from the document's other metadata) gives the year of a
    dateline that has none; without it such a dateline yields nothing."""
    head = text[:HEAD_CHARS]
    for rule in _date_rules():
        if rule["where"] != "text":
            continue
        for m in rule["pattern_re"].finditer(head):
            g = m.groupdict()
            found = iso_date(g["y"], g["m"], g["d"]) if g.get("y") else _with_year(g["m"], g["d"], year_from)
            if found:
                return found, rule["source"]
    return "", ""


def path_meta(path: str) -> DocMeta:
    """The date (and page, when the name holds one) a file's path spells."""
    s = str(path).replace("\\", "/")
    for rule in _date_rules():
        if rule["where"] != "path":
            continue
        for m in rule["pattern_re"].finditer(s):
            g = m.groupdict()
            found = iso_date(g["y"], g["m"], g["d"])
            if found:
                page = str(int(g["page"])) if g.get("page") else ""
                return DocMeta(published=found, published_source=rule["source"], page=page)
    return DocMeta()


# --------------------------------------------------------------------------- HTML

def html_meta(html: str, url: str | None = None) -> DocMeta:
    """What an HTML page says about itself, read by trafilatura (and htmldate for the date):
    og:site_name or the like as outlet, og:url/canonical as url, og:title or <title> as title."""
    from trafilatura.metadata import extract_metadata

    try:
        found = extract_metadata(html, default_url=url, extensive=False)
    except Exception:      # a page trafilatura cannot parse has no metadata; its text is still read
        return DocMeta()
    date = normal_date(found.date) if found.date else ""
    return DocMeta(outlet=found.sitename or "", published=date, published_source="html" if date else "",
                   url=found.url or "", doc_title=(found.title or "").strip())


# --------------------------------------------------------------------------- sidecar files

class SidecarError(ValueError):
    """A sidecar file that cannot be read: its path and why."""


def read_sidecar(path: str | Path) -> dict[str, DocMeta]:
    """A sidecar metadata file (CSV, or JSON lines for .jsonl/.ndjson/.json) as file name -> DocMeta.

    Column names follow rules/doc_metadata.tsv (doc/file, outlet, published/date, url, page,
    title). Raises SidecarError with the line number for a record that is no JSON object."""
    path = Path(path)
    _, columns = _meta_rules()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SidecarError(f"{path}: cannot be read: {exc}") from exc
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        records = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SidecarError(f"{path}:{n}: not JSON: {exc.msg}") from exc
            if not isinstance(rec, dict):
                raise SidecarError(f"{path}:{n}: not a JSON object")
            records.append(rec)
    else:
        records = list(csv.DictReader(text.splitlines()))
    out: dict[str, DocMeta] = {}
    for rec in records:
        low = {str(k).strip().lower(): v for k, v in rec.items() if k is not None}
        get = lambda field: next((str(low[c]).strip() for c in columns[field]
                                  if c in low and low[c] not in (None, "")), "")
        doc = get("doc")
        if not doc:
            continue
        published = normal_date(get("published"))
        page = get("page")
        meta = DocMeta(outlet=get("outlet"), published=published,
                       published_source="sidecar" if published else "", url=get("url"),
                       page=str(int(page)) if page.isdigit() else page, doc_title=get("doc_title"))
        out[doc.replace("\\", "/")] = meta
    return out


def sidecar_entry(table: dict[str, DocMeta], doc: str) -> DocMeta | None:
    """The record of a text in a sidecar table: by its path as given, else by its file name."""
    doc = str(doc).replace("\\", "/")
    return table.get(doc) or table.get(doc.rsplit("/", 1)[-1])


def find_sidecar(text_path: str | Path, levels: int = SIDECAR_LEVELS) -> Path | None:
    """A sidecar file beside a text: in its folder, else in the folders above it (up to `levels`)."""
    names, _ = _meta_rules()
    folder = os.path.dirname(os.path.realpath(text_path))
    for _ in range(levels + 1):
        try:
            found = _sidecar_in(folder, os.stat(folder).st_mtime_ns, names)
        except OSError:
            found = None
        if found is not None:
            return Path(found)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return None


@lru_cache(maxsize=256)
def _sidecar_in(folder: str, mtime_ns: int, names: tuple[str, ...]) -> str | None:
    """The first sidecar name that is a file in `folder`. Cached by the folder's modification
    time, which changes when a file is added to it or removed, so the files of one folder ask
    the disk once and a sidecar written during a run is still found."""
    for name in names:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None


_sidecar_in.reads_files = True     # a cache of the disk, not of text (benchmarks keep it)


@lru_cache(maxsize=64)
def _cached_sidecar(path: str, mtime: float) -> dict[str, DocMeta]:
    return read_sidecar(path)


_cached_sidecar.reads_files = True


def sidecar_for(text_path: str | Path, explicit: str | Path | None = None) -> DocMeta | None:
    """The sidecar record of a text: from `explicit` (--meta FILE), else from a sidecar file found
    beside it. Each file is read once per process (cached by path and modification time)."""
    where = Path(explicit) if explicit else find_sidecar(text_path)
    if where is None:
        return None
    table = _cached_sidecar(str(where.resolve()), where.stat().st_mtime)
    name = Path(text_path).name
    try:    # the path relative to the sidecar's folder (2024/03/05/a.txt), else the bare name
        rel = Path(text_path).resolve().relative_to(where.resolve().parent).as_posix()
    except ValueError:
        rel = name
    return sidecar_entry(table, rel) or sidecar_entry(table, name)


# --------------------------------------------------------------------------- together

def text_title(text: str) -> str:
    """The first line of a text when it reads as a headline: short, no sentence end, no dateline."""
    for line in text[:HEAD_CHARS].splitlines():
        line = line.strip(" \t\u3000")
        if not line:
            continue
        if len(line) <= 40 and not any(ch in line for ch in "。！？；") and not text_date(line, "2000-01-01")[0]:
            return line
        return ""
    return ""


def document_meta(path: str | Path, text: str, *, html: str | None = None,
                  sidecar: DocMeta | None = None) -> DocMeta:
    """A document's metadata from its sidecar record, its HTML, its text and its path, in that order."""
    meta = sidecar or DocMeta()
    if html is not None:
        meta = meta.fill(html_meta(html))
    from_path = path_meta(str(path))
    if not meta.published:
        date, source = text_date(text, year_from=from_path.published)
        if date:
            meta = meta.fill(DocMeta(published=date, published_source=source))
    meta = meta.fill(from_path)
    if not meta.doc_title:
        meta = replace(meta, doc_title=text_title(text))
    return meta


def meta_for(document, meta_file: str | Path | None = None, sidecar: bool = True) -> DocMeta:
    """The metadata of a document read by extract.reading (its sidecar record, its HTML page's
    own metadata, its text, its path). A sidecar file that cannot be read raises SidecarError."""
    html = None
    if getattr(document, "format", "text") == "html":
        try:
            html = Path(document.path).read_bytes().decode(document.encoding, "replace")
        except (OSError, LookupError):
            html = None
    record = sidecar_for(document.path, meta_file) if document.path and sidecar else None
    return document_meta(document.path, document.text, html=html, sidecar=record)
