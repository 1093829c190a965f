"""places/resolve.py: a name to its 旗县区 and 盟市, narrowed by context; ambiguity is flagged."""
from __future__ import annotations

from extract.places.mentions import find_mentions
from extract.places.resolve import Place, resolve


def mention(text: str):
    found = find_mentions(text)
    assert len(found) == 1, found
    return found[0]


def test_a_county_resolves_to_its_codes():
    place = resolve(mention("克什克腾旗建成"), None)
    assert (place.province_code, place.city_code, place.county_code) == ("150000", "150400", "150425")
    assert place.names() == ("内蒙古自治区", "赤峰市", "克什克腾旗")


def test_an_ambiguous_alias_is_flagged_unless_the_context_settles_it():
    alias = mention("阿旗建成")
    flagged = resolve(alias, None)
    assert flagged.empty and "有歧义" in flagged.note
    settled = resolve(alias, Place("150000", "150400", None))     # 赤峰市: 阿鲁科尔沁旗
    assert settled.county_code == "150421"
