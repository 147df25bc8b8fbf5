"""'HTX thực hiện truy xuất nguồn gốc' counts cooperatives whose lots had events in the year."""

import datetime

import pytest

from hoptac.conftest import make_organisation, unit
from hoptac.core.audit import Actor
from hoptac.figures import services as figures
from hoptac.indicators.library import INDICATORS
from hoptac.trace.tests.helpers import event, lot, product

pytestmark = pytest.mark.django_db
ACTOR = Actor.command()


def approved(org, year, **values):
    f = figures.save_figures(ACTOR, org, year, values, confirm_warnings=True)
    return figures.approve(ACTOR, figures.submit(ACTOR, f))


def test_lots_with_events_in_the_year_count_as_applying_traceability():
    reg = datetime.date(2020, 1, 1)
    traced, flagged, neither = (make_organisation("19363", registration_date=reg) for _ in range(3))
    for org, flag in ((traced, False), (flagged, True), (neither, False)):
        approved(org, 2025, revenue=1_000_000, profit_before_tax=1, traceability=flag)
        approved(org, 2024, revenue=1_000_000, profit_before_tax=1, traceability=False)
    share = INDICATORS["share_htx_traceability"]
    assert share.measure(unit("464"), 2025).value == pytest.approx(100 / 3, abs=0.1)  # only the flag
    event(lot(product(traced), produced_on=datetime.date(2025, 3, 1)), day="2025-03-01")
    assert share.measure(unit("464"), 2025).value == pytest.approx(200 / 3, abs=0.1)
    assert share.measure(unit("464"), 2024).value == 0.0  # the lot's events are in 2025
    assert INDICATORS["htx_traceability"].measure(unit("44"), 2025).value == 2
