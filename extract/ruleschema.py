"""The metadata, period, kind and range rule files as dicts, with what each line means checked.

extract/rulefiles.py checks every rule file against its declared schema (field counts, kinds,
patterns). Modules whose lines need more (patterns compiled after macros are expanded, named
groups a pattern must have, a resolve key that must be known) read them here: each line as a
dict of its fields with its line number, and a line that fails `check` is refused with
rulefiles.RuleError naming the file and the line.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import regex

from .rulefiles import RULES, RuleError, load

DATA = RULES
__all__ = ["DATA", "Field", "RuleError", "compile_pattern", "read_rules"]


@dataclass(frozen=True)
class Field:
    name: str
    choices: tuple[str, ...] = ()       # allowed values (empty: any)
    pattern: bool = False               # a regular expression that must compile
    optional: bool = False              # may be missing at the end of a line


def compile_pattern(text: str, macros: dict[str, str] | None = None):
    """A rule's regular expression (the `regex` module: \\p{Han} and the like), {NAME} macros expanded."""
    for name, body in (macros or {}).items():
        text = text.replace("{" + name + "}", body)
    return regex.compile(text)


def read_rules(name: str, fields: tuple[Field, ...], folder: Path = DATA,
               check: Callable[[dict], str | None] | None = None,
               macros: dict[str, str] | None = None) -> list[dict]:
    """Every rule line of folder/name as a dict of its fields (plus `line`), checked against its
    schema in rulefiles.py, then against `fields` (compiled as `<field>_re` when a pattern) and
    `check(row)`, which may return a reason to refuse the line."""
    path = Path(folder) / name
    load(path)                      # the declared schema first: field counts and kinds
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        need = sum(1 for f in fields if not f.optional)
        if not need <= len(parts) <= len(fields):
            raise RuleError(name, number, f"{len(parts)} tab-separated fields, expected "
                            f"{need if need == len(fields) else f'{need} to {len(fields)}'} "
                            f"({', '.join(f.name for f in fields)})")
        row = {"line": number}
        for f, value in zip(fields, parts + [""] * (len(fields) - len(parts))):
            if f.choices and value not in f.choices:
                raise RuleError(name, number, f"{f.name} {value!r} is not one of {', '.join(f.choices)}")
            row[f.name] = value
            if f.pattern:
                try:
                    row[f.name + "_re"] = compile_pattern(value, macros)
                except regex.error as exc:
                    raise RuleError(name, number, f"{f.name} does not compile: {exc}") from None
        why = check(row) if check else None
        if why:
            raise RuleError(name, number, why)
        out.append(row)
    return out
