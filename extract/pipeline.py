"""The extractor, top to bottom: text -> articles -> sentences -> claims -> place -> indicator
-> theme -> row. Each stage lives in its own package; this module only passes one stage's
output to the next. (Reading files: reading/; running over many: run/.)"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from .claims.claims import RawClaim, claims_in_sentences
from .claims.ranges import merge_ranges, share_list_units, value_bounds
from .claims.units import holds_noun
from .text.changes import from_to_indicator
from .indicators.measures import annotate, inherit
from .indicators.phrase import (carried, change_to, held_noun_indicator, indicator_for, is_junk,
                                share_list_heads, verb_on_previous)
from .periods import claim_time
from .places.attribution import PlaceIndex, home_place, lead_end, resolve_all, scope_entries
from .places.roles import subject_mentions
from .places.mentions import find_mentions, name_ends
from .table import claim_id
from .text.articles import Article, split_articles
from .text.normalize import for_reading
from .text.sentences import Sentence, clause_bounds, clause_cuts, evidence, split_sentences
from .themes import Story, carries, carry_themes, themes_for


def extract_text(text: str, doc: str = "text", offset: int = 0, meta: dict | None = None,
                 id_key: str | None = None) -> list[dict]:
    """Every quantitative claim in `text` as table rows (see extract.table.COLUMNS).

    `offset` is added to every position, for a chunk taken from a larger file. `meta`: the
    document's columns (reading.metadata.DocMeta.as_row(): outlet, published, ...), copied to
    every row; its `published` resolves relative periods (今年以来). Claim ids are made from
    `id_key` (default: doc), for a run where two files share a doc (two roots).
    """
    meta = {**EMPTY_META, **(meta or {})}
    rows: list[dict] = []
    seen: dict[tuple, str] = {}
    reading = for_reading(text)          # same length; traditional characters read as simplified
    ends = name_ends(reading)            # where place names may end: one vectorised pass a page
    for article in split_articles(reading):
        for row in _article_rows(reading, doc, article, ends, meta["published"]):
            if reading is not text:      # quote the original characters
                row["number_text"] = text[row["start"]:row["start"] + len(row["number_text"])]
                row["sentence"] = evidence(text, row["sentence_start"], row["sentence_end"],
                                           row["start"], row["end"])
                row["article_title"] = " ".join(text[a:b] for a, b in article.title_spans)
            if offset:
                for key in ("start", "end", "sentence_start", "sentence_end"):
                    row[key] += offset
            row["claim_id"] = claim_id(id_key or doc, row["start"], row["end"])
            key = (row["sentence"], row["start"] - row["sentence_start"], row["number_text"], row["unit"])
            first = seen.setdefault(key, row["claim_id"])
            row["duplicate_of"] = "" if first == row["claim_id"] else first
            row.update(meta)
            rows.append(row)
    return rows


EMPTY_META = {"outlet": "", "published": "", "published_source": "", "url": "", "page": "", "doc_title": ""}


def _article_rows(text: str, doc: str, article: Article, ends: list[int], published: str = ""):
    sentences = split_sentences(text, article.start, article.end, list(article.lines))
    # 5至7个 is one claim; 4个和3.2个百分点 are two of 个百分点
    per_sentence = [share_list_units(text, merge_ranges(text, s.start, s.end, c)) for s, c in
                    zip(sentences, claims_in_sentences(text, [(s.start, s.end) for s in sentences]))]
    found = [(sentence, claims) for sentence, claims in zip(sentences, per_sentence) if claims]
    if not found:
        return                            # no figure: no need to read places at all
    mentions = find_mentions(text, article.start, article.end,
                             ends[bisect_left(ends, article.start + 2):bisect_right(ends, article.end)])
    subjects = subject_mentions(text, mentions)      # no neighbour, destination, dateline …
    home = home_place(text, subjects, article.title_end, lead_end(sentences, article.end))
    resolved = resolve_all(subjects, home)
    places = PlaceIndex(text, resolved, home, scope_entries(text, article.start, article.end, resolved, home))
    starts = [m.start for m in mentions]
    story = Story(text, article.start, article.end)    # what the article and its paragraphs are about
    for sentence, claims in found:
        previous = None
        cuts = clause_cuts(text, sentence)
        words = text[sentence.start:sentence.end]
        done: list[tuple[RawClaim, dict]] = []
        heads: list[tuple[int, bool]] = []     # where each claim's clause starts, whether it carries
        for claim in claims:
            k = bisect_right(starts, claim.start) - 1
            if k >= 0 and claim.start < mentions[k].end:
                continue                  # a numeral inside a place name: 六家子镇
            clause = clause_bounds(text, sentence, claim.start, cuts)
            row = _row(text, doc, article, sentence, claim, places, clause, story)
            row["value_low"], row["value_high"] = value_bounds(text, claim.start, claim.value, claim.qualifier,
                                                               claim.number_text)
            row.update(claim_time(words, claim.start - sentence.start, claim.end - sentence.start, claim.unit,
                                  claim.unit_kind, published))
            if previous is not None and (is_junk(row["indicator"]) or change_to(row["indicator"])):
                indicator = carried(previous[1], text[previous[0].end:claim.start], previous[0].unit, claim.unit)
                if indicator is not None:
                    row["indicator"] = indicator
            elif previous is not None:
                indicator = verb_on_previous(previous[1], text[previous[0].end:claim.start], row["indicator"],
                                             previous[0].unit, claim.unit)
                if indicator is not None:
                    row["indicator"] = indicator
            previous = (claim, row["indicator"])
            done.append((claim, row))
            heads.append((clause[0], carries(text[clause[0]:claim.start])))
        share_list_heads(text, done)
        carry_themes(done, heads)   # 问题171个，涉及住宅面积1778万平方米: the area takes the problems' themes
        finished = [(row, annotate(row, text)) for _, row in done]
        inherit(finished)           # a figure that names nothing takes its sentence's measure
        for row, _ in finished:
            yield row


def _row(text, doc, article: Article, sentence: Sentence, claim: RawClaim, places: PlaceIndex,
         clause: tuple[int, int], story: Story) -> dict:
    lo, hi = clause
    paragraph = text.rfind("\n", 0, sentence.start) + 1
    place, source, scope = places.place_for((lo, hi), claim.start, claim.end, paragraph)
    written = text[claim.unit_start:claim.end]
    if holds_noun(written, claim.unit, claim.unit_kind):
        # 42万贫困人口: a unit written as a noun that holds it is what is counted (实现…脱贫: 脱贫人口)
        indicator = held_noun_indicator(text, written, claim.unit, claim.end)
    else:
        moved = from_to_indicator(text, claim.start, sentence.start) if claim.unit_kind == "percent" else None
        indicator = moved or indicator_for(text, claim.start, claim.unit, claim.end, claim.unit_kind,
                                           sentence.start, sentence.end)
    themes = themes_for(indicator, story.keywords(lo, hi),
                        story.keywords(sentence.start, sentence.end, sentence.text), claim.unit_kind, claim.unit,
                        story.around(paragraph, sentence.end), story.main_theme)
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
        "scope": scope,
        "place_source": source,
        "place_note": place.note,
        "sentence": evidence(text, sentence.start, sentence.end, claim.start, claim.end, sentence.text),
        "sentence_start": sentence.start,
        "sentence_end": sentence.end,
        "duplicate_of": "",
    }
