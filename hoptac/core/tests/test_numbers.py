"""One way of writing numbers for pages, documents and exports (hoptac.core.numbers)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from hoptac.core import numbers


@pytest.mark.parametrize(
    "value, text",
    [
        (3 * 100 / 13, "23,1%"),
        (23.05, "23,1%"),
        (23.04, "23,0%"),
        (0.05, "0,1%"),
        (100, "100,0%"),
        (None, ""),
    ],
)
def test_shares_round_half_up_to_one_decimal(value, text):
    assert numbers.percent(value) == text


@pytest.mark.parametrize(
    "value, text",
    [(1_390_000_000, "1,39 tỷ đồng"), (215_000_000, "215 triệu đồng"), (1_599_068_296.9, "1,6 tỷ đồng"),
     (56_123_456, "56,1 triệu đồng"), (950_000, "950.000 đồng"), (-120_000_000, "-120 triệu đồng")],
)  # fmt: skip
def test_money_in_the_unit_a_reader_expects(value, text):
    assert numbers.money(value) == text


def test_counts_dates_and_machine_series():
    assert numbers.number(2115.0) == "2.115" and numbers.number(123.5) == "124"
    assert numbers.value(2115.0, "count") == "2.115" and numbers.value(None, "count") == "—"
    assert numbers.date(datetime.date(2026, 6, 10)) == "10/06/2026"
    assert numbers.machine([1, None, 2.5]) == "[1.0, null, 2.5]"
    assert numbers.rounded(3 * 100 / 13, 1) == 23.1


def test_the_template_filters_use_the_same_rounding():
    with translation.override("vi"):
        html = Template(
            "{% load vn %}{{ v|number:1 }}|{{ v|percent }}|{{ m|amount }}|{{ s|machine }}"
        ).render(Context({"v": 3 * 100 / 13, "m": 215_000_000, "s": [1, 1.5]}))
    assert html == "23,1|23,1%|215 triệu đồng|[1.0, 1.5]"
