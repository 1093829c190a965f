"""What the stages that grow with the characters, not with the claims, cost on their own.

The issue's target (20 times a bare digit scan) is a budget for the whole extractor. This runs,
over one pass of the unique corpus and in one process, the bare scan, the per-character stages
alone (reading and decoding, metadata, the traditional-character pass, the place-name end scan,
articles, sentences, place mentions, each article's theme keywords) and the full cold pass
(extract_bench.cold_process_file), best of five each, and prints their CPU seconds and ratios.

    python benchmarks/per_char_floor.py
"""
from __future__ import annotations

import gc
import re
import sys
import time
from bisect import bisect_left, bisect_right
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import extract_bench  # noqa: E402


def per_char_stages():
    from extract.places.mentions import find_mentions, name_ends
    from extract.reading.document import read_document
    from extract.reading.metadata import meta_for
    from extract.text.articles import split_articles
    from extract.text.normalize import for_reading
    from extract.text.sentences import split_sentences
    from extract.themes import Story

    def run(path):
        document = read_document(path)
        meta_for(document, None)
        reading = for_reading(document.text)
        ends = name_ends(reading)
        for a in split_articles(reading):
            split_sentences(reading, a.start, a.end, list(a.lines))
            find_mentions(reading, a.start, a.end, ends[bisect_left(ends, a.start + 2):bisect_right(ends, a.end)])
            Story(reading, a.start, a.end)
    return run


def main() -> int:
    from extract_bench import ensure_unique
    files = sorted((ensure_unique(HERE / "out", 1) / "p00").glob("*.txt"))
    chars = sum(len(f.read_text(encoding="utf-8-sig")) for f in files)
    digits = re.compile(r"\d+")

    def scan(path):
        return sum(1 for _ in digits.finditer(path.read_bytes().decode("utf-8-sig")))

    full = extract_bench.cold_process_file()
    from extract.run.runtime import warm_up
    warm_up(everything=True)
    for f in files:               # every lazy pattern compiled, every rule file read
        full(f)
    stages = per_char_stages()
    gc.freeze()

    def best(fn, n=5):
        times = []
        for _ in range(n):
            t = time.process_time()
            for f in files:
                fn(f)
            times.append(time.process_time() - t)
        return min(times)

    bare = best(scan)
    print(f"{len(files)} files, {chars:,} characters")
    print("| run | CPU s | chars per CPU-second | vs bare scan |")
    print("| --- | --- | --- | --- |")
    for name, fn in (("bare scan", scan), ("per-character stages only", stages), ("full cold pass", full)):
        t = bare if fn is scan else best(fn)
        print(f"| {name} | {t:.4f} | {chars / t / 1e6:.2f} M | {t / bare:.0f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
