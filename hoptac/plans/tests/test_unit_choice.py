"""The plan page takes its unit by name; a plan without a unit offers the units the officer may attach."""

import pytest

from hoptac.conftest import unit
from hoptac.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def unattached():
    return Plan.objects.create(
        key="test-000", kind="programme", issuer="Huyện ủy", title="Chương trình hành động"
    )


def test_the_unit_box_is_a_picker_and_takes_a_name(client, province_officer, unattached):
    client.force_login(province_officer)
    page = client.get(f"/plans/{unattached.pk}/", {"unit": "Huyện Vĩnh Linh", "year": 2024}).content.decode()
    assert "data-unit-picker" in page and 'value="464"' in page
    assert "Huyện Vĩnh Linh (cũ, đến 30/06/2025) — Quảng Trị" in page


def test_a_plan_without_a_unit_offers_the_officers_units(client, province_officer, unattached):
    client.force_login(province_officer)
    page = client.get(f"/plans/{unattached.pk}/").content.decode()
    assert (
        'name="unit" value="44"' in page and 'name="unit" value="464"' in page
    )  # the province, a former district
    client.post(f"/plans/{unattached.pk}/attach/", {"unit": "Huyện Vĩnh Linh"})
    unattached.refresh_from_db()
    assert unattached.scope_unit == unit("464")


def test_an_ambiguous_name_is_refused_with_the_candidates(client, province_officer, unattached):
    client.force_login(province_officer)
    response = client.post(f"/plans/{unattached.pk}/attach/", {"unit": "vinh linh"}, follow=True)
    unattached.refresh_from_db()
    assert unattached.scope_unit is None
    assert "464" in response.content.decode() and "19363" in response.content.decode()


def test_the_plan_page_query_count_does_not_grow_with_the_offered_units(
    client, province_officer, district_officer, unattached
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(district_officer)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/plans/{unattached.pk}/")
    client.force_login(province_officer)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/plans/{unattached.pk}/")
    assert len(many.captured_queries) <= len(few.captured_queries) + 8
