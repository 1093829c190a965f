"""text/changes.py: what a changing figure is about (rules/changes.tsv)."""
import pytest

from extract.text.changes import from_to_count, from_to_indicator


def at(text: str, figure: str) -> int:
    return text.index(figure)


@pytest.mark.parametrize("text,figure,noun", [
    ("贫困发生率从5.7%下降至1.4%", "5.7", "贫困发生率"),
    ("贫困发生率从5.7%下降至1.4%", "1.4", "贫困发生率"),
    ("党员村民小组长占比由两年前21%提高到48%", "21", "党员村民小组长占比"),
    ("党员村民小组长占比由两年前21%提高到48%", "48", "党员村民小组长占比"),
    ("全区贫困发生率降至0.23%", "0.23", "全区贫困发生率"),
    ("目前，综合机械化率提升到70%", "70", "综合机械化率"),     # the clause after the comma
    ("2019年底的贫困发生率降至1%", "1%", "贫困发生率"),         # a leading date is no part of it
    ("建成率达90%", "90", None),                                  # no change
    ("从5.7%下降至1.4%", "1.4", None),                            # nothing named before 从
])
def test_rate_of_a_change(text, figure, noun):
    assert from_to_indicator(text, at(text, figure), 0) == noun


@pytest.mark.parametrize("text,figure,noun", [
    ("全省未脱贫人口从2015年底的200万人减少到", "200", "全省未脱贫人口"),
    ("街道职责事项由222项缩减到101项", "222", "街道职责事项"),
    ("贫困人口由去年底的157万减少至", "157", "贫困人口"),
    ("其中贫困户从30户", "30", "贫困户"),                        # 其中 leads the clause
    ("建成服务站30个", "30", None),
])
def test_count_that_changes(text, figure, noun):
    assert from_to_count(text, at(text, figure), 0) == noun
