"""Make a large test corpus by recombining the real article text in seeds/.

The seed pages are split into paragraphs (non-empty lines), the paragraphs are
shuffled with a fixed seed, and dealt out into UTF-8 files of about --file-kb
kilobytes each until the corpus reaches --size bytes. Every paragraph is real
newspaper text, so the extractor meets realistic numbers, places and sentence
shapes; only the order of paragraphs is new. Files are written one at a time
(nothing but the seed paragraphs is held in memory), 1000 to a sub-folder:

    python benchmarks/make_corpus.py --size 10MB  -o benchmarks/out/corpus-10MB
    python benchmarks/make_corpus.py --size 200MB -o benchmarks/out/corpus-200MB

Sizes are in bytes of UTF-8 text: KB, MB and GB are powers of 1024. The same
seed, size and file size always give byte-identical files.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT / "seeds"
FILES_PER_DIR = 1000
_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "M": 1024 ** 2, "MB": 1024 ** 2,
          "G": 1024 ** 3, "GB": 1024 ** 3}


def parse_size(text: str) -> int:
    """'10MB' -> 10485760; '500KB', '1.5GB', '4096' also accepted (powers of 1024)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*", text.upper())
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 10MB, 500KB, 1GB)")
    return int(float(m.group(1)) * _UNITS[m.group(2)])


def size_label(nbytes: int) -> str:
    for unit, factor in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if nbytes >= factor and nbytes % factor == 0:
            return f"{nbytes // factor}{unit}"
    return f"{nbytes}B"


def seed_paragraphs(seeds_dir: str | Path = DEFAULT_SEEDS) -> list[str]:
    """Every non-empty line of every seed page, stripped, in file order."""
    paragraphs = []
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig")
        paragraphs.extend(line.strip() for line in text.splitlines() if line.strip())
    if not paragraphs:
        raise SystemExit(f"make_corpus: no paragraphs found in {seeds_dir}/*.txt")
    return paragraphs


def _dealt(paragraphs: list[str], rng: random.Random) -> Iterator[str]:
    """The paragraphs over and over, reshuffled on each pass."""
    order = list(paragraphs)
    while True:
        rng.shuffle(order)
        yield from order


def iter_files(total_bytes: int, file_bytes: int, seed: int = 20261123,
               seeds_dir: str | Path = DEFAULT_SEEDS) -> Iterator[tuple[str, str]]:
    """(relative path, text) for each corpus file, in order, until total_bytes is reached."""
    deal = _dealt(seed_paragraphs(seeds_dir), random.Random(seed))
    written, index = 0, 0
    while written < total_bytes:
        target = min(file_bytes, total_bytes - written)
        parts, size = [], 0
        while size < target:
            para = next(deal)
            parts.append(para)
            size += len(para.encode("utf-8")) + 2          # + the blank line after it
        text = "\n\n".join(parts) + "\n"
        written += len(text.encode("utf-8"))
        yield f"d{index // FILES_PER_DIR:04d}/c{index:07d}.txt", text
        index += 1


def make_corpus(out_dir: str | Path, total_bytes: int, file_kb: int = 16, seed: int = 20261123,
                seeds_dir: str | Path = DEFAULT_SEEDS) -> dict:
    """Write the corpus into out_dir (which should be empty or absent); return a summary."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = nbytes = nchars = 0
    for rel, text in iter_files(total_bytes, file_kb * 1024, seed, seeds_dir):
        path = out / rel
        path.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        files += 1
        nbytes += len(data)
        nchars += len(text)
    return {"dir": str(out), "files": files, "bytes": nbytes, "chars": nchars}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=parse_size, required=True, help="total corpus size, e.g. 10MB, 200MB")
    ap.add_argument("-o", "--out", help="folder to write (default benchmarks/out/corpus-SIZE)")
    ap.add_argument("--file-kb", type=int, default=16, help="approximate size of each file in KB (default 16)")
    ap.add_argument("--seed", type=int, default=20261123, help="shuffle seed (default 20261123)")
    ap.add_argument("--seeds-dir", default=str(DEFAULT_SEEDS), help="folder of seed pages (default seeds/)")
    args = ap.parse_args(argv)
    out = Path(args.out or ROOT / "benchmarks" / "out" / f"corpus-{size_label(args.size)}")
    if out.exists() and any(out.iterdir()):
        print(f"make_corpus: {out} is not empty; remove it first", file=sys.stderr)
        return 2
    info = make_corpus(out, args.size, args.file_kb, args.seed, args.seeds_dir)
    print(f"{info['files']} files, {info['bytes']:,} bytes, {info['chars']:,} characters -> {info['dir']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
