"""The extractor, top to bottom: text -> articles -> sentences -> claims -> place -> indicator
-> theme -> row. Each stage lives in its own package; this module only passes one stage's
output to the next. (Reading files: reading/; running over many: run/.)"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from .claims.claims import RawClaim, claims_in_sentences
from .indicators.phrase import carried, indicator_for, share_list_heads
from .places.attribution import PlaceIndex, home_place, lead_end, resolve_all
from .places.mentions import find_mentions, name_ends
from .table import claim_id
from .text.articles import Article, split_articles
from .text.normalize import for_reading
from .text.sentences import Sentence, clause_bounds, clause_cuts, split_sentences, squash
from .themes import main_theme, themes_for


def extract_text(text: str, doc: str = "text", offset: int = 0) -> list[dict]:
    """Every quantitative claim in `text` as table rows (see extract.table.COLUMNS).

    `offset` is added to every position, for a chunk taken from a larger file.
    """
    rows: list[dict] = []
    seen: dict[tuple, str] = {}
    reading = for_reading(text)          # same length; traditional characters read as simplified
    ends = name_ends(reading)            # where place names may end: one vectorised pass a page
    for article in split_articles(reading):
        for row in _article_rows(reading, doc, article, ends):
            if reading is not text:      # quote the original characters
                row["number_text"] = text[row["start"]:row["start"] + len(row["number_text"])]
                row["sentence"] = squash(text[row["sentence_start"]:row["sentence_end"]])
                row["article_title"] = " ".join(text[a:b] for a, b in article.title_spans)
            if offset:
                for key in ("start", "end", "sentence_start", "sentence_end"):
                    row[key] += offset
            row["claim_id"] = claim_id(doc, row["start"], row["end"])
            key = (row["sentence"], row["start"] - row["sentence_start"], row["number_text"], row["unit"])
            first = seen.setdefault(key, row["claim_id"])
            row["duplicate_of"] = "" if first == row["claim_id"] else first
            rows.append(row)
    return rows


def _article_rows(text: str, doc: str, article: Article, ends: list[int]):
    sentences = split_sentences(text, article.start, article.end, list(article.lines))
    per_sentence = claims_in_sentences(text, [(s.start, s.end) for s in sentences])
    found = [(sentence, claims) for sentence, claims in zip(sentences, per_sentence) if claims]
    if not found:
        return                            # no figure: no need to read places at all
    mentions = find_mentions(text, article.start, article.end,
                             ends[bisect_left(ends, article.start + 2):bisect_right(ends, article.end)])
    home = home_place(mentions, article.title_end, lead_end(sentences, article.end), article.end)
    places = PlaceIndex(text, resolve_all(mentions, home), home)
    starts = [m.start for m in mentions]
    # the article's main theme, for claims with no theme word around them: read once, when first needed
    fallback = lru_cache(maxsize=1)(lambda: main_theme(text[article.start:article.end]))
    for sentence, claims in found:
        previous = None
        cuts = clause_cuts(text, sentence)
        done: list[tuple[RawClaim, dict]] = []
        for claim in claims:
            k = bisect_right(starts, claim.start) - 1
            if k >= 0 and claim.start < mentions[k].end:
                continue                  # a numeral inside a place name: 六家子镇
            row = _row(text, doc, article, sentence, claim, places, cuts, fallback)
            if previous is not None and (not row["indicator"] or row["indicator"] == claim.unit):
                indicator = carried(previous[1], text[previous[0].end:claim.start])
                if indicator is not None:
                    row["indicator"] = indicator
            previous = (claim, row["indicator"])
            done.append((claim, row))
        share_list_heads(text, done)
        for _, row in done:
            yield row


def _row(text, doc, article: Article, sentence: Sentence, claim: RawClaim, places: PlaceIndex,
         cuts: list[int] | None = None, fallback=lambda: "service") -> dict:
    lo, hi = clause_bounds(text, sentence, claim.start, cuts)
    place, source = places.place_for((lo, hi), claim.start, claim.end)
    indicator = indicator_for(text, claim.start, claim.unit, claim.end, claim.unit_kind, sentence.start, sentence.end)
    themes = themes_for(indicator, text[lo:hi], sentence.text, claim.unit_kind, claim.unit, fallback)
    province, city, county = place.names()
    return {
        "claim_id": "",
        "doc": doc,
        "article_index": article.index,
        "article_title": article.title,
        "start": claim.start,
        "end": claim.end,
        "number_text": claim.number_text,
        "value": claim.value,
        "unit": claim.unit,
        "qualifier": claim.qualifier,
        "indicator": indicator,
        "theme": themes[0],
        "themes": ";".join(themes),
        "province": province,
        "province_code": place.province_code or "",
        "city": city,
        "city_code": place.city_code or "",
        "county": county,
        "county_code": place.county_code or "",
        "town": place.town or "",
        "place_source": source,
        "place_note": place.note,
        "sentence": sentence.text,
        "sentence_start": sentence.start,
        "sentence_end": sentence.end,
        "duplicate_of": "",
    }
