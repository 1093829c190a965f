"""The rule files in extract/rules/: their declared schemas, loaded and checked once.

Every rule file is tab-separated text, one rule a line; lines starting with '#' and blank
lines are skipped. Each file is declared here with its columns, how many of them a line
must have, and what a field may hold (one of a set of kinds, a regular expression, a
number). A file is checked as a whole the first time it is read: a malformed line raises
RuleError naming the file and the line, so a domain expert's typo stops the run at once
instead of failing every input file. `check_all()` reads every file (the command line calls
it before it reads any input).

Patterns are compiled with the standard library's `re`, which runs these short patterns
several times faster than `regex`; with `regex` only when a rule needs its syntax
(\\p{Han} and the like). The same holds for the extractor's own patterns: they use `re`
wherever they need nothing from `regex`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

RULES = Path(__file__).parent / "rules"

QUALIFIERS = ("more_than", "approx", "none")
THEMES = ("party_org", "grid", "facility", "service", "governance", "new_employment", "economy", "ecology")
UNIT_KINDS = ("count", "money", "area", "weight", "length", "percent", "rate", "points",
              "volume", "power", "duration")


class RuleError(ValueError):
    """A rule file that does not follow its schema: `file`, `line` (1-based) and `why`."""

    def __init__(self, file: str, line: int, why: str):
        super().__init__(f"{file} line {line}: {why}")
        self.file, self.line, self.why = file, line, why


def compile_rule(pattern: str):
    """A rule's regular expression: with `re`, or with `regex` when it needs its syntax (see above)."""
    try:
        return re.compile(pattern)
    except re.error:
        return regex.compile(pattern)


def _regex(value: str) -> str | None:
    try:
        compile_rule(value)
    except regex.error as exc:
        return f"not a regular expression ({exc})"
    return None


def _place_pattern(value: str) -> str | None:
    """A place_roles.tsv pattern: a regular expression with 〈地〉 where the place name stands."""
    if value.count("〈地〉") != 1:
        return "needs 〈地〉 once, where the place name stands"
    before, _, after = value.partition("〈地〉")
    return next((why for why in (_regex(before), _regex(after)) if why), None)


def _number(value: str) -> str | None:
    try:
        float(value)
    except ValueError:
        return "not a number"
    return None


def _code(value: str) -> str | None:
    return None if value.isdigit() and len(value) == 6 else "not a 6-digit division code"


@dataclass(frozen=True)
class Schema:
    """What a line of a rule file holds.

    columns: the names of its fields, in order (the first `required` must be there);
    kinds: allowed values of a field, by column name (the first column: the line's kind);
    checks: a check of a field by column name ("regex", "number", "code"), or, for a field
    whose meaning depends on the line's kind, by (column, kind)."""
    columns: tuple[str, ...]
    required: int
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    checks: dict = field(default_factory=dict)


def _identifier(value: str) -> str | None:
    return None if re.fullmatch(r"[a-z][a-z0-9_]*", value) else "not an identifier (a-z, 0-9, _)"


def _tag(value: str) -> str | None:
    return None if re.fullmatch(r"[a-z]{1,4}", value) else "not a part-of-speech tag (n, v, nt …)"


CHECKS = {"regex": _regex, "number": _number, "code": _code, "identifier": _identifier, "tag": _tag,
          "place_pattern": _place_pattern}

SCHEMAS: dict[str, Schema] = {
    "units.tsv": Schema(("written", "unit", "kind", "scale"), 3, {"kind": UNIT_KINDS}, {"scale": "number"}),
    "people_nouns.tsv": Schema(("noun", "unit"), 2),
    "spoken_money.tsv": Schema(("kind", "word", "value or example"), 3, {"kind": ("word", "tail", "follow", "unit")},
                               {("value or example", "word"): "number"}),
    "implied_money.tsv": Schema(("kind", "word", "example"), 2,
                                {"kind": ("verb", "part_of", "follow", "unit", "min_value")},
                                {("word", "min_value"): "number"}),
    "per_units.tsv": Schema(("side", "word"), 2,
                            {"side": ("per", "unit", "before", "before_sale", "sale", "no_price")}),
    "qualifiers.tsv": Schema(("word", "where", "qualifier"), 3,
                             {"where": ("before", "before_verb", "before_round", "after_noun", "between", "after", "bare"),
                              "qualifier": QUALIFIERS}),
    "exclusions.tsv": Schema(
        ("side", "pattern", "reason", "extra"), 2,
        {"side": ("before", "after", "chinese_before", "chinese_after", "chinese_numeral",
                  "chinese_numeral_unless", "chinese_unit", "unit_needs_before", "unit_refuses_before",
                  "chinese_count_below", "quoted")},
        {("pattern", "before"): "regex", ("pattern", "after"): "regex",
         ("pattern", "chinese_before"): "regex", ("pattern", "chinese_after"): "regex",
         ("pattern", "chinese_numeral"): "regex", ("pattern", "chinese_numeral_unless"): "regex",
         ("reason", "unit_needs_before"): "regex", ("reason", "unit_refuses_before"): "regex",
         ("pattern", "chinese_count_below"): "number", ("pattern", "quoted"): "regex"}),
    "place_aliases.tsv": Schema(("alias", "full names"), 2),
    "place_stopwords.txt": Schema(("word",), 1),
    "place_locatives.tsv": Schema(("side", "word"), 2, {"side": ("before", "after", "road", "suffix", "title", "arrival")}),
    "place_lists.tsv": Schema(("kind", "word"), 2, {"kind": ("join", "respective")}),
    "division_counts.tsv": Schema(("level", "pattern", "example"), 2, {"level": ("county", "city")},
                                  {"pattern": "regex"}),
    "place_roles.tsv": Schema(("role", "pattern", "example"), 2,
                              {"role": ("neighbour", "distance", "destination", "origin", "helper_target",
                                        "dateline")},
                              {"pattern": "place_pattern"}),
    "scopes.tsv": Schema(("scope", "word", "condition"), 2,
                         {"scope": ("national", "province", "city", "county", "town", "region_or_district",
                                    "grade"),
                          "condition": ("always", "no_local_home")}),
    "attribution.tsv": Schema(("setting", "value", "meaning"), 2,
                              {"setting": ("province_before_chars", "lead_sentences", "wider_gap",
                                           "role_before_chars", "role_after_chars")},
                              {"value": "number"}),
    "articles.tsv": Schema(("setting", "value", "meaning"), 2,
                           {"setting": ("indented_share", "headline_max", "title_lines")}, {"value": "number"}),
    "themes.tsv": Schema(("theme", "label", "keywords"), 3),
    "theme_unit_hints.tsv": Schema(("unit", "theme", "weight"), 3, {}, {"weight": "number"}),
    "theme_carry.tsv": Schema(("word", "meaning"), 1),
    "theme_weights.tsv": Schema(("part", "weight", "meaning"), 2,
                                {"part": ("indicator", "clause", "sentence", "paragraph", "article", "keyword",
                                          "keyword_char", "profile_full")},
                                {"weight": "number"}),
    "indicator_words.tsv": Schema(("kind", "word"), 2,
                                  {"kind": ("lead", "compound", "stop", "suffix", "fallback", "after_lead",
                                            "change", "change_lead", "alone", "fund", "list_join",
                                            "not_first", "count_suffix", "change_to", "stop_verb", "junk",
                                            "verb_head", "rate_suffix", "share_of", "people_of",
                                            "people_units", "change_drop", "locative_end",
                                            "sale_verb", "modal", "result_verb", "unit_tail", "dimension", "per_head", "place_suffix", "unit_noun", "unit_names", "change_canon", "grade_word", "activity_verb", "measure_noun", "plural_end",
                                            "outcome_verb", "tail_noun", "where")}),
    "tagger_words.tsv": Schema(("word", "tag", "whole"), 1, {"whole": ("yes", "no")},
                               {"tag": "tag"}),
    "measures.tsv": Schema(("id", "label_zh", "label_en", "theme", "unit_family", "additive",
                            "fallback units", "surface forms"), 8,
                           {"theme": THEMES, "additive": ("yes", "no")}, {"id": "identifier"}),
    "measure_units.tsv": Schema(("family", "units"), 2, {}, {"family": "identifier"}),
    "measure_per.tsv": Schema(("measure", "words", "becomes"), 3, {}, {"measure": "identifier", "becomes": "identifier"}),
    "level_words.tsv": Schema(("word", "level"), 2, {"level": ("village", "town", "county", "city")}),
    "pos_tags.tsv": Schema(("set", "tag"), 2,
                           {"set": ("noun", "modifier", "verb", "function", "after_noun", "before_noun",
                                    "before_modifier", "locative", "place", "preposition")}),
    "bylines.tsv": Schema(("kind", "pattern"), 2,
                          {"kind": ("byline", "photo_credit", "section_marker", "article_end")},
                          {"pattern": "regex"}),
    "simplified_also.txt": Schema(("character", "example"), 1),
    # document metadata, periods, kinds and ranges (issue 13): patterns are compiled, and what a
    # line means is checked with its line number, by extract/ruleschema.py for each module
    "doc_metadata.tsv": Schema(("kind", "value", "fields"), 3, {"kind": ("sidecar", "column")}),
    "date_patterns.tsv": Schema(("where", "source", "pattern", "example"), 3, {"where": ("text", "path")},
                                {"pattern": "regex"}),
    "time_words.tsv": Schema(("kind", "key", "pattern", "example"), 3,
                             {"kind": ("macro", "rel", "expr", "wrap", "guard")}),
    "kind_words.tsv": Schema(("kind", "where", "pattern", "note"), 3,
                             {"kind": ("stock", "flow", "change", "target", "forecast", "actual", "noun"),
                              "where": ("sentence", "clause", "near", "after", "around", "verb", "unit")}),
    "changes.tsv": Schema(("kind", "word", "note"), 2, {"kind": ("from", "verb", "to", "leading", "count_date")},
                          {("word", "leading"): "regex", ("word", "count_date"): "regex"}),
    "ranges.tsv": Schema(("kind", "pattern", "note"), 2, {"kind": ("connector", "pair", "below", "list")},
                         {"pattern": "regex"}),
}


def read_rows(path: str | Path) -> list[list[str]]:
    """The fields of every line of a tab-separated file, comments and blank lines skipped
    (no schema: for the rule files through `rows`, and for test case files)."""
    return [fields for _, fields in _numbered(Path(path))]


def _numbered(path: Path) -> list[tuple[int, list[str]]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            out.append((number, line.split("\t")))
    return out


def check(name: str, numbered: list[tuple[int, list[str]]], schema: Schema) -> None:
    """Raise RuleError for the first line of `name` that does not follow `schema`."""
    most = len(schema.columns)
    for number, fields in numbered:
        if not schema.required <= len(fields) <= most:
            want = str(most) if schema.required == most else f"{schema.required} to {most}"
            raise RuleError(name, number, f"expected {want} tab-separated fields, got {len(fields)}")
        kind = fields[0]
        for column, value in zip(schema.columns, fields):
            if not value.strip():
                raise RuleError(name, number, f"empty {column}")
            allowed = schema.kinds.get(column)
            if allowed is not None and value not in allowed:
                raise RuleError(name, number, f"unknown {column} {value!r} (one of: {', '.join(allowed)})")
            test = schema.checks.get((column, kind)) or schema.checks.get(column)
            why = CHECKS[test](value) if test else None
            if why:
                raise RuleError(name, number, f"{column} {value!r}: {why}")


def load(path: str | Path) -> tuple[tuple[str, ...], ...]:
    """The fields of every rule line of the rule file at `path`, checked against the schema
    of its name (RuleError for the first line that does not follow it)."""
    path = Path(path)
    schema = SCHEMAS.get(path.name)
    if schema is None:
        raise RuleError(path.name, 0, "no schema declared for this rule file (extract/rulefiles.py SCHEMAS)")
    try:
        numbered = _numbered(path)
    except OSError as exc:
        raise RuleError(path.name, 0, f"cannot be read: {exc.strerror or exc}") from exc
    check(path.name, numbered, schema)
    return tuple(tuple(fields) for _, fields in numbered)


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The fields of every rule line of extract/rules/<name>, checked against its schema once."""
    return load(RULES / name)


def numbered(name: str) -> list[tuple[int, tuple[str, ...]]]:
    """(line number, fields) of every rule line of extract/rules/<name>, checked against its
    schema: for checks across files that name the line (indicators/measures.py)."""
    checked = rows(name)
    return list(zip((n for n, _ in _numbered(RULES / name)), checked))


@lru_cache(maxsize=None)
def grouped(name: str) -> dict[str, tuple[str, ...]]:
    """The second field of every line of a rule file, by its first field, in file order:
    {"byline": (pattern, ...), "photo_credit": (...)}."""
    out: dict[str, list[str]] = {}
    for fields in rows(name):
        out.setdefault(fields[0], []).append(fields[1])
    return {key: tuple(values) for key, values in out.items()}


@lru_cache(maxsize=None)
def settings(name: str) -> dict[str, float]:
    """A rule file of named numbers (setting, value): {setting: value}."""
    return {fields[0]: float(fields[1]) for fields in rows(name)}


def check_all() -> None:
    """Read and check every rule file (raises RuleError for the first bad line)."""
    for name in SCHEMAS:
        rows(name)
