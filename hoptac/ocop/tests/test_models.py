"""OCOP rules: stars follow the score bands, the level follows the stars and the date, 36 months."""

import datetime

import pytest

from hoptac.ocop.models import Level, add_months, level_for, stars_for


def test_score_bands_of_qd_148():
    assert [stars_for(s) for s in (0, 49, 50, 69, 70, 89, 90, 100)] == [None, None, 3, 3, 4, 4, 5, 5]


def test_three_stars_moved_from_the_district_to_the_province_by_qd_1489():
    assert level_for(3, datetime.date(2025, 7, 5)) == Level.DISTRICT
    assert level_for(3, datetime.date(2025, 7, 6)) == Level.PROVINCE
    assert level_for(4, datetime.date(2023, 1, 1)) == Level.PROVINCE
    assert level_for(5, datetime.date(2023, 1, 1)) == Level.CENTRAL


@pytest.mark.parametrize(
    ("day", "expiry"),
    [((2023, 5, 31), (2026, 5, 31)), ((2024, 2, 29), (2027, 2, 28)), ((2022, 12, 15), (2025, 12, 15))],
)
def test_certificates_run_36_months(day, expiry):
    assert add_months(datetime.date(*day), 36) == datetime.date(*expiry)
