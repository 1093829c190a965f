"""A benchmark corpus of unique real text: every real article once, no paragraph twice.

The recombined corpus (make_corpus.py) deals the five seed pages' paragraphs out again and
again, so the extractor's caches (tagger windows, phrases, places) hit far more often than on
an archive of articles that do not repeat each other. This corpus takes every real article
the repository and ../shared hold (seeds/, tests/data/fresh/docs/, ../shared/corpus,
../shared/pages; ../shared/seeds is the same five pages as seeds/), keeps each paragraph (a
non-empty line, compared stripped) the first time it is met and drops it after, and writes
one file per article. Larger sizes are the same files written `passes` times in pass folders;
the benchmark then empties every cache before each file, so a later pass reuses nothing.

    python benchmarks/unique_corpus.py -o benchmarks/out/unique --passes 5
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the repository (a worktree under wt/ has it two levels up)
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
SOURCES = (ROOT / "seeds", ROOT / "tests" / "data" / "fresh" / "docs", SHARED / "seeds",
           SHARED / "corpus", SHARED / "pages")


def unique_articles(sources=SOURCES) -> list[tuple[str, str]]:
    """(name, text) of every article in the source folders, with every paragraph already seen
    in an earlier article (or earlier in the same one) left out; articles left empty are dropped."""
    seen: set[str] = set()
    out = []
    for folder in sources:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")):
            kept = []
            for line in path.read_text(encoding="utf-8-sig").splitlines():
                para = line.strip()
                if para and para not in seen:
                    seen.add(para)
                    kept.append(para)
            if kept:
                out.append((f"{folder.name}_{path.name}", "\n\n".join(kept) + "\n"))
    return out


def make_unique_corpus(out_dir: str | Path, passes: int = 1, sources=SOURCES) -> dict:
    """Write the unique articles `passes` times into out_dir/pNN/; return a summary."""
    out = Path(out_dir)
    articles = unique_articles(sources)
    if not articles:
        raise SystemExit("unique_corpus: no articles found")
    files = chars = nbytes = 0
    for p in range(passes):
        folder = out / f"p{p:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in articles:
            data = text.encode("utf-8")
            (folder / name).write_bytes(data)
            files += 1
            chars += len(text)
            nbytes += len(data)
    return {"dir": str(out), "files": files, "chars": chars, "bytes": nbytes,
            "articles": len(articles), "passes": passes}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", default=str(ROOT / "benchmarks" / "out" / "unique"))
    ap.add_argument("--passes", type=int, default=1)
    args = ap.parse_args(argv)
    if Path(args.out).exists() and any(Path(args.out).iterdir()):
        print(f"unique_corpus: {args.out} is not empty; remove it first", file=sys.stderr)
        return 2
    info = make_unique_corpus(args.out, args.passes)
    print(f"{info['articles']} articles x {info['passes']} passes: {info['files']} files, "
          f"{info['chars']:,} characters -> {info['dir']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
