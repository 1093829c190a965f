"""Reading the time, kind and range rule files with their declared schema.

A rule file is tab-separated, '#' comments and blank lines skipped. Each file declares
its fields here; a line with the wrong number of fields, a value outside its field's
choices or a pattern that does not compile is refused with the file and line number.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import regex

DATA = Path(__file__).resolve().parent / "data"


class RuleError(ValueError):
    """A broken line of a rule file: where it is and why it is refused."""

    def __init__(self, file: str, line: int, why: str):
        super().__init__(f"{file}:{line}: {why}")
        self.file, self.line, self.why = file, line, why


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
    """Every rule line of folder/name as a dict of its fields (plus `line`), checked against `fields`.

    Patterns are compiled (key `<field>_re`). `check(row)` may return a reason to refuse a line."""
    path = Path(folder) / name
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
