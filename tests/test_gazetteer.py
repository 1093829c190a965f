"""places/gazetteer.py: the division list and its generated short forms (tests/cases/autonomous_forms.tsv)."""
from __future__ import annotations

import pytest

from extract.places.gazetteer import autonomous_short_forms, gazetteer

from conftest import read_cases


@pytest.mark.parametrize("name,form", [pytest.param(*r, id=r[0]) for r in read_cases("autonomous_forms.tsv")])
def test_autonomous_short_form(name, form):
    assert autonomous_short_forms(name) == ([] if form == "-" else [form])


def test_autonomous_short_forms_name_their_county_or_are_flagged():
    gz = gazetteer()
    for d in gz.divisions.values():
        for form in autonomous_short_forms(d.name) if d.level == "county" else ():
            codes = {c.code for c in gz.names[form]}
            assert d.code in codes
            assert len(codes) == 1 or form in gz.ambiguous_aliases, form


def test_division_list_read_from_the_zip_jionlp_ships():
    """A fresh install of jionlp holds china_location.zip, and unzips it only when jionlp is
    imported (which the extractor avoids): the list is read from the zip, and gives what the
    unzipped text gives where an import has unzipped it."""
    from extract.places import gazetteer as gz

    path = gz._location_file()
    assert path.name == "china_location.zip" and path.exists()
    lines = list(gz._location_lines())
    assert len(lines) > 40_000 and lines[0].split("\t")[:2] == ["上海市", "310000"]
    assert any(line.strip().split("\t")[:2] == ["克什克腾旗", "150425"] for line in lines)
    text = path.with_suffix(".txt")
    if text.exists():
        assert lines == text.read_text(encoding="utf-8").splitlines(keepends=True)
