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
