"""Text that does not repeat, for load benchmarks: real phrases recombined, every figure new.

The phrases are the clauses (text between punctuation marks) of the seed pages and of the
shared corpus and pages beside the repository when they are there. A sentence is two to
five random clauses joined by commas, with every digit replaced by a random one (so the
figures, and with them every sentence, are new); a paragraph is three to eight sentences;
an article is a headline (one clause) and four to twelve paragraphs. The same seed gives
the same text.
"""
from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "seeds", ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "pages"]
_CLAUSE = re.compile(r"[^，,。！？!?；;：:\s]{4,40}")
_DIGIT = re.compile(r"[0-9]")


def phrases() -> list[str]:
    out: set[str] = set()
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            out.update(_CLAUSE.findall(path.read_text(encoding="utf-8-sig", errors="replace")))
    if not out:
        raise SystemExit(f"fresh_text: no text found in {SOURCES}")
    return sorted(out)


def articles(seed: int = 20261201) -> Iterator[str]:
    """Articles of new text, one after another, for ever."""
    rng = random.Random(seed)
    pool = phrases()
    digit = lambda m: str(rng.randrange(10))

    def clause() -> str:
        return _DIGIT.sub(digit, rng.choice(pool))

    while True:
        paragraphs = [clause()]
        for _ in range(rng.randint(4, 12)):
            sentences = ["，".join(clause() for _ in range(rng.randint(2, 5))) + "。"
                         for _ in range(rng.randint(3, 8))]
            paragraphs.append("".join(sentences))
        yield "\n\n".join(paragraphs) + "\n"


def write_corpus(out_dir: Path, total_bytes: int, file_bytes: int = 16 * 1024, seed: int = 20261201) -> dict:
    """Files of about file_bytes of new text (1000 to a sub-folder) until total_bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = articles(seed)
    written = index = 0
    while written < total_bytes:
        parts, size = [], 0
        while size < min(file_bytes, total_bytes - written):
            text = next(gen)
            parts.append(text)
            size += len(text.encode("utf-8"))
        data = "\n".join(parts).encode("utf-8")
        path = out_dir / f"d{index // 1000:04d}" / f"f{index:07d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        written += len(data)
        index += 1
    return {"files": index, "bytes": written}


def write_one_line(path: Path, total_bytes: int, seed: int = 20261201) -> int:
    """One line of new text with every punctuation mark and line break taken out."""
    strip = re.compile(r"[，,。！？!?；;：:、\s]")
    gen = articles(seed)
    written = 0
    with open(path, "wb") as fh:
        while written < total_bytes:
            data = strip.sub("", next(gen)).encode("utf-8")
            fh.write(data)
            written += len(data)
    return written
