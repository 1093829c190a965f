"""The extractor, top to bottom: text -> articles -> sentences -> claims -> places and themes -> rows."""
from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path

from .articles import Article, split_articles
from .claims import RawClaim, claims_in_sentences
from .from_to import from_to_indicator
from .indicators import change_only, indicator_for, list_head
from .place_roles import subject_mentions
from .places import Mention, Place, find_mentions, gazetteer, is_locative, name_ends, resolve
from .scopes import NO_LOCAL_HOME, find_scopes
from .reading import Document, read_document
from .normalize import for_reading
from .sentences import Sentence, clause_bounds, clause_cuts, split_sentences, squash
from .themes import main_theme, themes_for

LEAD_SENTENCES = 2
WIDER_GAP = 2          # a province named this close after a place it holds is no new place
LIST_GAPS = ("、", "，", ",", "和", "与", "及")   # between the places of a headline that lists several


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


def claim_id(doc: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{doc}\x1f{start}\x1f{end}".encode("utf-8")).hexdigest()[:16]


def _article_rows(text: str, doc: str, article: Article, ends: list[int]):
    sentences = split_sentences(text, article.start, article.end, list(article.lines))
    per_sentence = claims_in_sentences(text, [(s.start, s.end) for s in sentences])
    found = [(sentence, claims) for sentence, claims in zip(sentences, per_sentence) if claims]
    if not found:
        return                            # no figure: no need to read places at all
    found_names = find_mentions(text, article.start, article.end,
                                ends[bisect_left(ends, article.start + 2):bisect_right(ends, article.end)])
    mentions = subject_mentions(text, found_names)      # no neighbour, destination, dateline …
    home = _home_place(text, article, sentences, mentions)
    resolved = _resolve_all(mentions, home)
    placed = PlaceIndex(text, resolved, home, _scope_entries(text, article, resolved, home))
    mentions = found_names
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
    """The place the article is about: the place of its headline, else of its lead; else, when
    every place the article names lies in one 旗县区 or one 盟市, that one. A headline naming
    places in several 盟市 (沈阳、呼和浩特、福州、长沙…) gives no one place: their common
    province, if any."""
    body = [s for s in sentences if not s.heading]
    lead_end = body[min(LEAD_SENTENCES, len(body)) - 1].end if body else article.end
    for limit, in_title in ((article.title_end, True), (lead_end, False)):
        first, last_end = None, None
        for m in mentions:
            if m.start >= limit:
                break
            p = resolve(m, None)     # 沈阳、呼和浩特: a headline's names are read on their own
            if p.empty:
                p = resolve(m, first)
            if p.empty:
                continue
            listed = last_end is not None and text[last_end:m.start] in LIST_GAPS
            last_end = m.end
            if first is None:
                first = p
            elif _within(p, first) and (p.county_code or p.city_code) and \
                    (p.county_code != first.county_code or p.city_code != first.city_code):
                first = p          # 赤峰市松山区: the county refines the city
            elif _within(first, p):
                continue           # 松山区 … 赤峰市: the city holds the county already read
            elif in_title and listed and p.city_code != first.city_code:
                same = p.province_code == first.province_code
                return Place(first.province_code) if same else None
            elif p.county_code and first.county_code and p.county_code != first.county_code:
                break
        if first is not None:
            return Place(first.province_code, first.city_code, first.county_code)
    places = {(p.city_code, p.county_code) for p in (resolve(m, None) for m in mentions)
              if not p.empty and p.city_code}
    cities = {c for c, _ in places}
    counties = {k for _, k in places if k}
    if len(cities) == 1 and len(counties) <= 1:
        city, county = next(iter(cities)), next(iter(counties), None)
        d = gazetteer().divisions[city]
        return Place(d.province_code, city, county)
    return None


def _within(inner: Place, outer: Place) -> bool:
    """Whether `inner` lies inside `outer` (or is it): same province, and city, and county where
    `outer` has them."""
    return inner.province_code == outer.province_code and \
        (outer.city_code is None or inner.city_code == outer.city_code) and \
        (outer.county_code is None or inner.county_code == outer.county_code)


def _local(home: Place | None) -> bool:
    """Whether the article is about a 盟市 or 旗县区 (not a province, the country or nothing)."""
    return home is not None and home.city_code is not None


def _resolve_all(mentions: list[Mention], home: Place | None) -> list[tuple[int, int, Place]]:
    """Mentions resolved in reading order, each narrowed by the place read before it."""
    out, context = [], home
    for m in mentions:
        p = resolve(m, context)
        if p.empty and not p.note and context is not home:
            p = resolve(m, home)     # 沈阳… then 呼和浩特: a short form of another province's city
        if p.empty and not p.note:
            continue
        if out and _is_province(p) and m.start - out[-1][1] <= WIDER_GAP and _within(out[-1][2], p) \
                and not out[-1][2].empty:
            continue                 # 位于南通市的江苏大生集团: the province adds nothing to the city
        out.append((m.start, m.end, p))
        if not p.empty and (home is None or p.province_code == home.province_code):
            context = p
    return out


NAME, NATIONAL, PROVINCE = "name", "national", "province"   # kinds of PlaceIndex entries


def _scope_entries(text: str, article: Article, placed: list[tuple[int, int, Place]],
                   home: Place | None) -> list[tuple[int, int, Place, str]]:
    """Scope words that act as places (the whole country, a whole province): the entries they
    add to the article's places. 全区 is the autonomous region in an article that is about no
    district; a province scope takes the province of the last place read, else the article's."""
    out = []
    starts = [s for s, _, _ in placed]
    for sc in find_scopes(text, article.start, article.end):
        if sc.condition == NO_LOCAL_HOME and _local(home):
            continue
        if sc.scope == NATIONAL:
            out.append((sc.start, sc.end, Place(), NATIONAL))
            continue
        k = bisect_left(starts, sc.start) - 1
        context = placed[k][2] if k >= 0 else home
        if sc.scope == "region_or_district":
            if _local(home) or _district(context) or not _autonomous_region(context or home):
                continue       # in an article about a 盟市 or 旗县区, 全区 is no region-wide figure
        elif sc.scope != PROVINCE:
            continue
        province = (context or home or Place()).province_code
        if province:
            out.append((sc.start, sc.end, Place(province), PROVINCE))
    return out


def _district(p: Place | None) -> bool:
    return p is not None and p.county_code is not None and p.names()[2].endswith("区")


def _autonomous_region(p: Place | None) -> bool:
    return p is not None and p.province_code is not None and p.names()[0].endswith("自治区")


class PlaceIndex:
    """An article's resolved mentions and place-like scope words, in reading order, with bisect
    look-ups so that each claim costs a logarithm, not a pass over every mention (a page of
    16,000 figures)."""

    def __init__(self, text: str, placed: list[tuple[int, int, Place]], home: Place | None,
                 scoped: list[tuple[int, int, Place, str]] = ()):
        self.text = text
        self.home = home
        self.placed = sorted([(s, e, p, NAME) for s, e, p in placed] + list(scoped))
        self.starts = [m[0] for m in self.placed]
        # what may carry forward: no province named in an article about a 盟市 or 旗县区, nothing
        # outside such an article's province; scope words always
        # (not in an article about a 盟市 or 旗县区: there 全国 counts in its own clause only)
        self.carry = [m for m in self.placed if m[3] != NAME and not _local(home)
                      or m[3] == NAME and not m[2].empty and _carries(m[2], home)]
        self.carry_ends = [m[1] for m in self.carry]
        self._locative: dict[int, bool] = {}

    def within(self, lo: int, hi: int) -> list[tuple[int, int, Place, str]]:
        """Entries that lie wholly inside text[lo:hi]."""
        i, j = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        return [m for m in self.placed[i:j] if m[1] <= hi]

    def carried_to(self, pos: int, paragraph: int = 0) -> tuple[Place, str] | None:
        """The last entry that carries forward and ends at or before pos: a name that only says
        where something happened (is_locative, asked only when needed) does not. A place
        outside the story's own, named in an earlier paragraph, is left behind there: the
        story is back at its own place (None) until the text names another."""
        k = bisect_right(self.carry_ends, pos) - 1
        while k >= 0:
            s, e, p, kind = self.carry[k]
            if e <= paragraph and self.home is not None and kind == NAME and not _within(p, self.home):
                return None
            if kind != NAME:
                return p, kind
            locative = self._locative.get(k)
            if locative is None:
                locative = self._locative[k] = is_locative(self.text, s, e)
            if not locative:
                return p, kind
            k -= 1
        return None


def _carries(p: Place, home: Place | None) -> bool:
    if not _local(home):
        return True
    return not _is_province(p) and p.province_code == home.province_code


def _is_province(p: Place) -> bool:
    return bool(p.province_code) and not p.city_code and not p.county_code


def _place_for(text, clause: tuple[int, int], claim: RawClaim, placed, home: Place | None,
               paragraph: int = 0) -> tuple[Place, str, str]:
    """The place a claim is about, where it was found, and its scope: the nearest place or
    place-like scope word (全国, 全省) in its clause, else the last one read, else the article's.

    A province name counts only right before the numeral (内蒙古共有…) in an article about a
    盟市 or 旗县区; a place named after the numeral counts only inside the article's province
    (…发往山东潍坊 is a destination).
    """
    lo, hi = clause
    local = _local(home)
    same_province = lambda p: home is None or p.province_code == home.province_code
    before = [(p, kind) for s, e, p, kind in placed.within(lo, claim.start)
              if kind != NAME or not local or not _is_province(p) or claim.start - e <= 6]
    after = [(p, kind) for s, e, p, kind in placed.within(claim.end, hi)
             if kind == NAME and not _is_province(p) and same_province(p)]
    if before:
        (place, kind), source = before[-1], "clause"
    elif after:
        (place, kind), source = after[0], "clause"
    else:
        # carry forward the last place read, unless it was only where something happened
        # (在广东、长沙等地成立…)
        earlier = placed.carried_to(claim.start, paragraph)
        if earlier is not None:
            (place, kind), source = earlier, "article"
            if home is not None and home.county_code and not place.county_code \
                    and place.city_code == home.city_code and kind == NAME:
                place = home      # 兴安盟 named again in an article about 突泉县
        elif home is not None:
            place, kind, source = home, NAME, "article"
        else:
            return Place(), "none", "none"
    if kind == NATIONAL:
        return Place(), source, "national"
    if place.empty and home is not None:
        place = Place(home.province_code, home.city_code, home.county_code, note=place.note)
    words = [sc for sc in find_scopes(text, lo, claim.start) if sc.scope == "city"]
    if place.city_code and _city_wide([text[sc.start:sc.end] for sc in words], place, home):
        place = Place(place.province_code, place.city_code, None, None, place.note)
    return place, source, _scope_of(place)


def _scope_of(place: Place) -> str:
    """How far down a place goes: town, county, city, province or none."""
    if place.town:
        return "town"
    if place.county_code:
        return "county"
    if place.city_code:
        return "city"
    return "province" if place.province_code else "none"


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
    paragraph = text.rfind("\n", 0, sentence.start) + 1
    place, source, scope = _place_for(text, (lo, hi), claim, placed, home, paragraph)
    written = text[claim.unit_start:claim.end]
    if claim.unit_kind == "count" and len(written) >= 3 and claim.unit in written[1:]:
        indicator = written       # 42万贫困人口: a unit written as a noun that holds it is what is counted
    else:
        moved = from_to_indicator(text, claim.start, sentence.start) if claim.unit_kind == "percent" else None
        indicator = moved or indicator_for(text, claim.start, claim.unit, claim.end, claim.unit_kind,
                                           sentence.start, sentence.end)
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
        "scope": scope,
        "place_source": source,
        "place_note": place.note,
        "sentence": sentence.text,
        "sentence_start": sentence.start,
        "sentence_end": sentence.end,
        "duplicate_of": "",
    }


def extract_document(document: Document) -> list[dict]:
    return extract_text(document.text, doc=document.name)


def extract_file(path: str | Path) -> list[dict]:
    """Read one file and extract it; raises reading.ReadError when it cannot be read."""
    return extract_document(read_document(path))
