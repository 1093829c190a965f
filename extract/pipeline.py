"""The extractor, top to bottom: text -> articles -> sentences -> claims -> places and themes -> rows."""
from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path

from .articles import Article, split_articles
from .claims import RawClaim, claims_in_sentences
from .indicators import change_only, indicator_for, list_head
from .places import Mention, Place, city_scope, find_mentions, is_locative, name_ends, resolve
from .reading import Document, read_document
from .normalize import for_reading
from .sentences import Sentence, clause_bounds, clause_cuts, evidence, split_sentences
from .themes import main_theme, themes_for

LEAD_SENTENCES = 2


def extract_text(text: str, doc: str = "text", offset: int = 0, id_key: str | None = None) -> list[dict]:
    """Every quantitative claim in `text` as table rows (see extract.table.COLUMNS).

    `offset` is added to every position, for a chunk taken from a larger file. Claim ids are
    made from `id_key` (default: doc), for a run where two files share a doc (two roots).
    """
    rows: list[dict] = []
    seen: dict[tuple, str] = {}
    reading = for_reading(text)          # same length; traditional characters read as simplified
    ends = name_ends(reading)            # where place names may end: one vectorised pass a page
    for article in split_articles(reading):
        for row in _article_rows(reading, doc, article, ends):
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
            rows.append(row)
    return rows


def claim_id(doc: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{doc}\x1f{start}\x1f{end}".encode("utf-8")).hexdigest()[:16]


def _article_rows(text: str, doc: str, article: Article, ends: list[int]):
    sentences = split_sentences(text, article.start, article.end, list(article.lines))
    per_sentence = claims_in_sentences(text, [(s.start, s.end) for s in sentences])
    found = [(sentence, claims) for sentence, claims in zip(sentences, per_sentence) if claims]
    if not found:
        return                            # no figure: no need to read places at all
    mentions = find_mentions(text, article.start, article.end,
                             ends[bisect_left(ends, article.start + 2):bisect_right(ends, article.end)])
    home = _home_place(text, article, sentences, mentions)
    placed = PlaceIndex(text, _resolve_all(mentions, home), home)
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
            row = _row(text, doc, article, sentence, claim, placed, home, cuts, fallback)
            if previous is not None and (not row["indicator"] or row["indicator"] == claim.unit):
                gap = text[previous[0].end:claim.start]
                if _continues(gap):
                    row["indicator"] = previous[1]      # 开展“荷香带教”2轮,119人次: same activity
                elif previous[1] and change_only(gap):
                    row["indicator"] = previous[1] + gap.lstrip(",，、 ")  # 收入3130元,同比增长19%
            previous = (claim, row["indicator"])
            done.append((claim, row))
        _share_list_heads(text, done)
        for _, row in done:
            yield row


def _share_list_heads(text: str, done: list[tuple[RawClaim, dict]]) -> None:
    """Items of a list that name nothing take the head noun written after the last item, from
    the last item back (1个市级、9个县级、84个乡级综治中心), with its themes. An item names
    nothing when its indicator is empty, its unit, or its own modifier of the same form as the
    next item's (1个旗级和12个镇级…; not 13个苏木乡镇街道、166个嘎查村)."""
    for (claim, row), (nxt, nrow) in reversed(list(zip(done, done[1:]))):
        gap = text[claim.end:nxt.start]
        if nxt.unit != claim.unit or row["indicator"] != claim.unit and not gap.startswith(row["indicator"]):
            continue
        head = list_head(gap, nrow["indicator"], row["indicator"] not in ("", claim.unit))
        if head is not None:
            row["indicator"] = head
            row["theme"], row["themes"] = nrow["theme"], nrow["themes"]


def _continues(gap: str) -> bool:
    """Whether the text between the previous claim and this one (same sentence) is only a comma."""
    return gap in (",", "，", "、")


def _home_place(text, article: Article, sentences: list[Sentence], mentions: list[Mention]) -> Place | None:
    """The place the article is about: the first place in its headline, else in its lead."""
    body = [s for s in sentences if not s.heading]
    lead_end = body[min(LEAD_SENTENCES, len(body)) - 1].end if body else article.end
    for limit in (article.title_end, lead_end, article.end):
        first = None
        for m in mentions:
            if m.start >= limit:
                break
            p = resolve(m, first)
            if p.empty:
                continue
            if first is None:
                first = p
            elif p.county_code and (first.county_code is None) and p.city_code == first.city_code:
                first = p          # 赤峰市松山区: the county refines the city
            elif p.county_code and first.county_code and p.county_code != first.county_code:
                break
        if first is not None:
            return Place(first.province_code, first.city_code, first.county_code)
    return None


def _resolve_all(mentions: list[Mention], home: Place | None) -> list[tuple[int, int, Place]]:
    """Mentions resolved in reading order, each narrowed by the place read before it."""
    out, context = [], home
    for m in mentions:
        p = resolve(m, context)
        if p.empty and not p.note:
            continue
        out.append((m.start, m.end, p))
        if not p.empty and (home is None or p.province_code == home.province_code):
            context = p
    return out


class PlaceIndex:
    """An article's resolved mentions, in reading order, with bisect look-ups so that each
    claim costs a logarithm, not a pass over every mention (a page of 16,000 figures)."""

    def __init__(self, text: str, placed: list[tuple[int, int, Place]], home: Place | None):
        self.text = text
        self.placed = placed
        self.starts = [s for s, _, _ in placed]
        # places that may carry forward: not a province, in the article's province
        self.carry = [(s, e, p) for s, e, p in placed if not p.empty and not _is_province(p)
                      and _same_scope(p, home)]
        self.carry_ends = [e for _, e, _ in self.carry]
        self._locative: dict[int, bool] = {}

    def within(self, lo: int, hi: int) -> list[tuple[int, int, Place]]:
        """Mentions that lie wholly inside text[lo:hi]."""
        i, j = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        return [m for m in self.placed[i:j] if m[1] <= hi]

    def carried_to(self, pos: int) -> Place | None:
        """The last place that carries forward and ends at or before pos: one that only says
        where something happened (is_locative, asked only when needed) does not."""
        k = bisect_right(self.carry_ends, pos) - 1
        while k >= 0:
            s, e, p = self.carry[k]
            locative = self._locative.get(k)
            if locative is None:
                locative = self._locative[k] = is_locative(self.text, s, e)
            if not locative:
                return p
            k -= 1
        return None


def _is_province(p: Place) -> bool:
    return bool(p.province_code) and not p.city_code and not p.county_code


def _same_scope(p: Place, home: Place | None) -> bool:
    return home is None or p.province_code == home.province_code


def _place_for(text, clause: tuple[int, int], claim: RawClaim, placed, home: Place | None) -> tuple[Place, str]:
    """The place a claim is about: the nearest in its clause, else the last one read, else the article's.

    A province name counts only right before the numeral (内蒙古共有…); a place named after
    the numeral counts only inside the article's province (…发往山东潍坊 is a destination).
    """
    lo, hi = clause
    same_province = lambda p: home is None or p.province_code == home.province_code
    before = [p for s, e, p in placed.within(lo, claim.start)
              if not _is_province(p) or claim.start - e <= 6]
    after = [p for s, e, p in placed.within(claim.end, hi)
             if not _is_province(p) and same_province(p)]
    if before:
        place, source = before[-1], "clause"
    elif after:
        place, source = after[0], "clause"
    else:
        # carry forward the last place read in the article's province, unless it was only
        # where something happened (在广东、长沙等地成立…)
        earlier = placed.carried_to(claim.start)
        if earlier is not None:
            place, source = earlier, "article"
            if home is not None and home.county_code and not place.county_code \
                    and place.city_code == home.city_code:
                place = home      # 兴安盟 named again in an article about 突泉县
        elif home is not None:
            place, source = home, "article"
        else:
            return Place(), "none"
    if place.empty and home is not None:
        place = Place(home.province_code, home.city_code, home.county_code, note=place.note)
    if place.city_code and _city_wide(city_scope().findall(text, lo, claim.start), place, home):
        place = Place(place.province_code, place.city_code, None, None, place.note)
    return place, source


def _city_wide(words: list[str], place: Place, home: Place | None) -> bool:
    """Whether 全市/全盟/市级 words before a claim make it about the whole 盟市 (no 旗县区).
    In an article about a county-level city (玉门市, 满洲里市) 全市 is that city: it keeps
    its county code, unless the article is about the 盟市 that holds it."""
    if not words:
        return False
    county_city = place.county_code is not None and place.names()[2].endswith("市") \
        and all("市" in w for w in words)
    about_prefecture = home is not None and home.county_code is None and home.city_code == place.city_code
    return not county_city or about_prefecture


def _row(text, doc, article: Article, sentence: Sentence, claim: RawClaim, placed, home,
         cuts: list[int] | None = None, fallback=lambda: "service") -> dict:
    lo, hi = clause_bounds(text, sentence, claim.start, cuts)
    place, source = _place_for(text, (lo, hi), claim, placed, home)
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
        "sentence": evidence(text, sentence.start, sentence.end, claim.start, claim.end, sentence.text),
        "sentence_start": sentence.start,
        "sentence_end": sentence.end,
        "duplicate_of": "",
    }


def extract_document(document: Document) -> list[dict]:
    return extract_text(document.text, doc=document.name)


def extract_file(path: str | Path) -> list[dict]:
    """Read one file and extract it; raises reading.ReadError when it cannot be read."""
    return extract_document(read_document(path))
