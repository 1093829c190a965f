"""When a figure was true: the time expression of its sentence, as written and as dates.

`find_times` reads the time expressions of a stretch of text (rules/time_words.tsv);
`period_for` picks the one that dates a claim: the nearest before it in its sentence;
`resolve` turns it into ISO dates, relative words (今年以来, 去年, 截至目前) against the
date the document was published. No expression, or a relative one without a publication
date, leaves the dates empty: nothing is guessed.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from pathlib import Path

from ..rulefiles import compile_rule
from ..ruleschema import DATA, Field, RuleError, read_rules

RESOLVES = ("span", "year_end", "month_end", "year_start", "half", "quarter", "quarters", "now",
            "recent_years", "vague", "fixed")
#: A month with no year that would start more than this many days after the date published is in
#: the year before (11月 in a paper of February); closer ones are in the year published (2月上旬
#: in a paper of 30 January).
MONTH_AHEAD_DAYS = 60
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    text: str
    resolve: str                  # one of RESOLVES
    groups: tuple                 # (name, value) pairs of the pattern's named groups that matched
    wrap: str = ""                # as_of, since or empty
    fixed: tuple = ()             # (start, end) ISO dates of a `fixed` expression


@dataclass(frozen=True)
class Period:
    period: str = ""
    period_start: str = ""
    period_end: str = ""

    def as_row(self) -> dict:
        return {"period": self.period, "period_start": self.period_start, "period_end": self.period_end}


@dataclass(frozen=True)
class TimeRules:
    exprs: tuple          # (resolve, compiled, fixed, line)
    scan: object          # every expression in one alternation, branch b<i> for exprs[i] (file order)
    lead: object          # the characters an expression can start with
    branch_groups: tuple  # per branch: ((group name in scan, name in the rule), ...)
    rel: dict             # word -> year offset
    as_of: object         # compiled prefix, anchored at the end
    since: object         # compiled suffix, anchored at the start
    not_before: object    # compiled: ends right before an expression that is no period (比去年)
    not_after: object     # compiled: starts right after one (9月6日电, a dateline)


def _check(row: dict) -> str | None:
    if row["kind"] == "expr" and row["key"].split()[0] not in RESOLVES:
        return f"resolve {row['key'].split()[0]!r} is not one of {', '.join(RESOLVES)}"
    if row["kind"] == "wrap" and row["key"] not in ("as_of", "since"):
        return f"wrap {row['key']!r} is not as_of or since"
    if row["kind"] == "guard" and row["key"] not in ("not_before", "not_after", "lead"):
        return f"guard {row['key']!r} is not not_before, not_after or lead"
    if row["kind"] == "rel" and not row["pattern"].lstrip("-").isdigit():
        return f"rel offset {row['pattern']!r} is not a whole number"
    return None


@lru_cache(maxsize=1)
def time_rules(name: str = "time_words.tsv", folder: Path | None = None) -> TimeRules:
    """The rules of rules/time_words.tsv (or folder/name), macros expanded and patterns compiled
    (checked on load: RuleError with the file and line)."""
    import regex

    macros: dict[str, str] = {}
    fields = (Field("kind", ("macro", "rel", "expr", "wrap", "guard")), Field("key"), Field("pattern"), Field("example", optional=True))
    rows = read_rules(name, fields, folder or DATA, check=_check)
    exprs, rel, wraps, guards = [], {}, {}, {}
    for row in rows:
        kind, key, pattern = row["kind"], row["key"], row["pattern"]
        for mname, body in macros.items():
            pattern = pattern.replace("{" + mname + "}", body)
        if kind == "rel":
            rel[key] = int(pattern)
            continue
        try:
            compiled = regex.compile(pattern)
        except regex.error as exc:
            raise RuleError(name, row["line"], f"pattern does not compile: {exc}") from None
        if kind == "macro":
            macros[key] = f"(?:{pattern})"
        elif kind == "guard":
            guards[key] = compile_rule(pattern)
        elif kind == "wrap":
            wraps[key] = compile_rule(f"(?:{pattern})$" if key == "as_of" else pattern)
        else:
            parts = key.split()
            fixed = ()
            if parts[0] == "fixed":
                if len(parts) != 3 or not all(_iso(p) for p in parts[1:]):
                    raise RuleError(name, row["line"], "fixed needs a start and an end ISO date")
                fixed = (parts[1], parts[2])
            exprs.append((parts[0], compiled, fixed, row["line"]))
    if set(wraps) != {"as_of", "since"}:
        raise RuleError(name, 0, "needs one wrap line for as_of and one for since")
    if "lead" not in guards:
        raise RuleError(name, 0, "needs a lead line: the characters an expression can start with")
    scan, groups = _one_scan(exprs)
    return TimeRules(tuple(exprs), scan, guards.pop("lead"), groups, rel, wraps["as_of"], wraps["since"], guards.get("not_before"),
                     guards.get("not_after"))


def _one_scan(exprs) -> tuple:
    """The expressions as one alternation in file order, each a named branch with its groups
    renamed apart (y -> y__3): one pass over a sentence instead of one per rule."""
    import re

    import regex

    branches, groups = [], []
    for i, (_, compiled, _, _) in enumerate(exprs):
        body, names = compiled.pattern, []
        for n in compiled.groupindex:
            k = 0
            while f"(?P<{n}>" in body:      # each use of a name apart: 近(?P<n>…)年|(?P<n>…)年来
                body = body.replace(f"(?P<{n}>", f"(?P<{n}__{i}_{k}>", 1)
                names.append((f"{n}__{i}_{k}", n))
                k += 1
        branches.append(f"(?P<b__{i}>{body})")
        groups.append(tuple(names))
    joined = "|".join(branches)
    try:
        scan = re.compile(joined)          # the standard library's re runs these several times faster
    except re.error:
        scan = regex.compile(joined)
    return scan, tuple(groups)


def _iso(s: str) -> bool:
    try:
        dt.date.fromisoformat(s)
        return True
    except ValueError:
        return False


def find_times(text: str, lo: int = 0, hi: int | None = None) -> list[TimeExpr]:
    """The time expressions in text[lo:hi], left to right, not overlapping: at each place the
    first rule of rules/time_words.tsv that matches there (the longer forms are listed first)."""
    hi = len(text) if hi is None else hi
    r = time_rules()
    out: list[TimeExpr] = []
    for m in _matches(r, text, lo, hi):
        i = int(m.lastgroup[3:])
        resolve, _, fixed, _ = r.exprs[i]
        groups = tuple((name, m.group(key)) for key, name in r.branch_groups[i] if m.group(key))
        start, end, wrap = m.start(), m.end(), ""
        w = r.since.match(text, end, hi)
        if w and resolve not in ("now", "recent_years", "vague"):
            end, wrap = w.end(), "since"
        else:
            w = r.as_of.search(text, max(lo, start - 6), start)
            if w and w.end() == start and resolve != "now":
                start, wrap = w.start(), "as_of"
        if r.not_before is not None and r.not_before.search(text, max(lo, start - 4), start):
            continue          # 比去年: the base of a comparison
        if r.not_after is not None and r.not_after.match(text, end, hi):
            continue          # 9月6日电: a dateline
        if out and start < out[-1].end:
            continue          # 至今 of 2019年至今 took the start of 今年: the rest is no expression
        out.append(TimeExpr(start, end, text[start:end], resolve, groups, wrap, fixed))
    return out


def _matches(r: TimeRules, text: str, lo: int, hi: int):
    """r.scan tried only where an expression can start (the rule file's lead characters, found
    by one C scan), as finditer would find them, several times faster."""
    lead, scan = r.lead.search, r.scan.match
    pos = lo
    while True:
        found = lead(text, pos, hi)
        if found is None:
            return
        m = scan(text, found.start(), hi)
        if m is not None and m.end() > m.start():
            yield m
            pos = m.end()
        else:
            pos = found.start() + 1


def period_for(times: list[TimeExpr], claim_start: int, sentence_start: int) -> TimeExpr | None:
    """The time expression that dates a claim: the nearest one ending before it in its sentence."""
    best = None
    for e in times:
        if e.end <= claim_start and e.start >= sentence_start:
            best = e
        elif e.start >= claim_start:
            break
    return best


def _number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS.get(s[1:], 0)
    if "十" in s:
        a, _, b = s.partition("十")
        return _CN_DIGITS.get(a, 0) * 10 + (_CN_DIGITS.get(b, 0) if b else 0)
    return _CN_DIGITS.get(s, 0)


def _last_day(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _year(g: dict, published: dt.date | None, rel: dict) -> int | None:
    if g.get("y"):
        return int(g["y"])
    if g.get("ry"):
        return published.year + rel.get(g["ry"], 0) if published else None
    return None


def resolve(expr: TimeExpr, published: str = "") -> Period:
    """The expression as written and its first and last day (ISO), against the date published.

    A month or day with no year takes the year published (the year before, when that would
    put it after the date published). A `since` expression runs to the date published, an
    `as_of` one is the point at the end of its period."""
    pub = dt.date.fromisoformat(published) if published and _iso(published) else None
    bounds = _bounds(expr, pub)
    if bounds is None:
        return Period(expr.text)
    start, end = bounds
    if expr.wrap == "since":
        if pub is None:
            return Period(expr.text)
        end = max(pub, start)       # 2024年以来 in a text dated earlier: no end before the start
    elif expr.wrap == "as_of":
        start = end
    return Period(expr.text, start.isoformat(), end.isoformat())


def _bounds(expr: TimeExpr, pub: dt.date | None) -> tuple[dt.date, dt.date] | None:
    r = time_rules()
    g = dict(expr.groups)
    kind = expr.resolve
    try:
        if kind == "fixed":
            return dt.date.fromisoformat(expr.fixed[0]), dt.date.fromisoformat(expr.fixed[1])
        if kind == "vague":
            return None
        if kind == "now":
            return (pub, pub) if pub else None
        if kind == "recent_years":
            if pub is None or not g.get("n"):
                return None
            n = _number(g["n"])
            return (pub.replace(year=pub.year - n) if not (pub.month == 2 and pub.day == 29)
                    else dt.date(pub.year - n, 2, 28)), pub
        year = _year(g, pub, r.rel)
        if year is None and g.get("d") and not g.get("m"):      # 27日: in the month published
            if pub is None:
                return None
            day = dt.date(pub.year, pub.month, 1)
            if int(g["d"]) > pub.day:
                day = (day - dt.timedelta(days=1)).replace(day=1)
            return _bounds(TimeExpr(expr.start, expr.end, expr.text, kind, tuple(list(expr.groups) + [
                ("y", str(day.year)), ("m", str(day.month))])), pub)
        # a month, half or quarter with no year is in the year published (or the one before)
        month_only = year is None and (g.get("m") or kind in ("half", "quarter", "quarters"))
        if year is None:
            if not month_only or pub is None:
                return None
            year = pub.year
        if kind == "year_end":
            return dt.date(year, 12, 31), dt.date(year, 12, 31)
        if kind == "year_start":
            return dt.date(year, 1, 1), dt.date(year, 1, 1)
        if kind == "half":
            start, end = (dt.date(year, 1, 1), dt.date(year, 6, 30)) if g["h"] == "上" else \
                (dt.date(year, 7, 1), dt.date(year, 12, 31))
        elif kind in ("quarter", "quarters"):
            q = _number(g["q"])
            first = 1 if kind == "quarters" else 3 * q - 2
            start, end = dt.date(year, first, 1), _last_day(year, 3 * q)
        elif (g.get("y2") or g.get("ry2")) and not g.get("m") and not g.get("m2"):
            return dt.date(year, 1, 1), dt.date(int(g["y2"]), 12, 31)   # 2016—2020年
        elif not g.get("m") and not g.get("m2"):
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        else:
            if g.get("ry2"):
                if pub is None:
                    return None
                g["y2"] = str(pub.year + r.rel.get(g["ry2"], 0))
            start, end = _month_bounds(kind, g, year)
        if month_only and pub is not None and (start - pub).days > MONTH_AHEAD_DAYS:    # 11月 in a paper of February
            return _bounds(TimeExpr(expr.start, expr.end, expr.text, kind,
                                    tuple(list(expr.groups) + [("y", str(year - 1))])), pub)
        return start, end
    except (ValueError, KeyError):
        return None


def _month_bounds(kind: str, g: dict, year: int) -> tuple[dt.date, dt.date]:
    if not g.get("m"):                   # 2019年至今年4月: from the start of the first year
        y2 = int(g["y2"]) if g.get("y2") else year
        return dt.date(year, 1, 1), _last_day(y2, int(g["m2"]))
    m = int(g["m"])
    if g.get("d"):
        start = end = dt.date(year, m, int(g["d"]))
    elif kind == "month_end":
        start = end = _last_day(year, m)
    elif g.get("m2"):
        y2 = int(g["y2"]) if g.get("y2") else year
        start, end = dt.date(year, m, 1), _last_day(y2, int(g["m2"]))
    else:
        start, end = dt.date(year, m, 1), _last_day(year, m)
    return start, end


def period_of(text: str, sentence: tuple[int, int], claim_start: int, published: str = "",
              times: list[TimeExpr] | None = None) -> Period:
    """The period of a claim at claim_start in text[sentence[0]:sentence[1]] (times: that
    sentence's find_times, when the caller has them)."""
    lo, hi = sentence
    times = find_times(text, lo, hi) if times is None else times
    expr = period_for(times, claim_start, lo)
    return resolve(expr, published) if expr else Period()
