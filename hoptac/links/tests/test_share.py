"""linked_share: the one definition of "agricultural cooperatives linked with enterprises"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.conftest import make_organisation, unit
from hoptac.core.audit import Actor
from hoptac.indicators.library import INDICATORS
from hoptac.links import services
from hoptac.links.indicators import linked_share
from hoptac.links.tests.helpers import link_data
from hoptac.registry import services as registry

pytestmark = pytest.mark.django_db
OLD = datetime.date(2015, 1, 1)


def farms(n, **fields):
    return [
        make_organisation("19363", sector="agriculture", registration_date=OLD, **fields) for _ in range(n)
    ]


def test_the_share_changes_when_a_link_is_added_and_when_it_ends(province_officer):
    coops = farms(4)
    actor = Actor(user=province_officer, source="web")
    assert linked_share(unit("464"), 2024) == (0, 4, 0.0)
    link = services.create_link(actor, link_data(coops[0]))
    assert linked_share(unit("464"), 2024) == (1, 4, 25.0)
    services.end_link(actor, link, datetime.date(2024, 12, 31))
    assert linked_share(unit("464"), 2024).share == 25.0  # in force during 2024
    assert linked_share(unit("464"), 2025).numerator == 0  # ended before 2025


def test_only_agricultural_cooperatives_existing_at_year_end_count(province_officer):
    linked, stopped = farms(2)
    trade = make_organisation("19363", sector="trade_services", registration_date=OLD)
    group = make_organisation("19363", kind="tht", tax_code="", sector="agriculture", registration_date=OLD)
    actor = Actor(user=province_officer, source="web")
    for org in (linked, stopped, trade, group):
        services.create_link(actor, link_data(org, start_date=datetime.date(2023, 3, 1)))
    registry.change_status(actor, stopped, "dissolved", datetime.date(2024, 6, 1))
    assert linked_share(unit("464"), 2024) == (1, 1, 100.0)
    assert linked_share(unit("464"), 2023) == (2, 2, 100.0)  # not yet dissolved at the end of 2023
    make_organisation("19363", sector="fisheries", registration_date=datetime.date(2025, 3, 1))
    assert linked_share(unit("464"), 2024).denominator == 1  # registered after 2024: not counted


def test_it_agrees_with_the_indicator_and_takes_one_query(province_officer):
    coops = farms(3)
    services.create_link(Actor(user=province_officer, source="web"), link_data(coops[1]))
    province, district = unit("44"), unit("464")
    with CaptureQueriesContext(connection) as queries:
        share = linked_share(province, 2024)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        linked_share(district, 2024)
    assert len(queries) <= 3  # a former district resolves its communes first
    indicator = INDICATORS["share_agri_htx_linked"].measure(unit("44"), 2024)
    assert share.share == round(indicator.value, 1)
    assert (share.numerator, share.denominator) == (indicator.numerator, indicator.denominator)
