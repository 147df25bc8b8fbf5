"""Traceability against the persona table: inputs from other cooperatives, event IDs, API and pages."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from hoptac.accounts.tests.access_table import PERSONAS, build_world, expected, persona_user
from hoptac.trace.models import Event

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    if user.is_authenticated:
        client.force_authenticate(user)
    return client


def processing(output_code, input_code, **extra):
    return {"lot": output_code, "step": "processing", "event_time": "2025-09-22T08:00:00+07:00",
            "quantity": "600", "unit": "KGM", "inputs": [{"lot": input_code, "quantity": "800"}], **extra}  # fmt: skip


def public_page(client, code) -> str:
    cache.clear()  # the page as it would be rendered now, not as cached
    return client.get(f"/t/{code}/").content.decode()


@pytest.fixture
def world(vinh_linh_htx, hanoi_htx, lead_agency):
    return build_world(vinh_linh_htx, hanoi_htx, lead_agency)


def test_a_cooperative_cannot_name_another_provinces_lot_as_its_input(client, world, cooperative_user):
    """The issue's reproducer: 400 naming the input exactly as for an unknown code; the other page unchanged."""
    from hoptac.trace.tests.helpers import lot, product

    rice = lot(product(world.htx, name="Gạo"))
    before = public_page(client, world.hanoi_lot.code)
    api = api_for(cooperative_user)
    foreign = api.post("/api/v1/trace/events/", processing(rice.code, world.hanoi_lot.code), format="json")
    unknown = api.post("/api/v1/trace/events/", processing(rice.code, "ZZZZZZZZZZ"), format="json")
    assert (foreign.status_code, unknown.status_code) == (400, 400)
    assert foreign.json()["inputs"] == [
        unknown.json()["inputs"][0].replace("ZZZZZZZZZZ", world.hanoi_lot.code)
    ]
    assert not Event.objects.filter(lot=rice).exists()
    after = public_page(client, world.hanoi_lot.code)
    assert after == before and "Đã chuyển đến" not in after
    own = api.post("/api/v1/trace/events/", processing(rice.code, world.htx_lot.code), format="json")
    assert own.status_code == 201, own.json()


@pytest.mark.parametrize("persona", PERSONAS)
def test_inputs_follow_the_table(persona, request, world):
    """A processing step of each cooperative's own rice, naming each cooperative's paddy."""
    from hoptac.trace.tests.helpers import lot, product

    user = persona_user(request, persona)
    api = api_for(user)
    for owner, name in ((world.htx, "htx"), (world.hanoi_htx, "hanoi_htx")):
        rice = lot(product(owner, name="Gạo"))
        may_record = expected(persona, "record_trace", "htx") if name == "htx" else (
            persona in ("admin", "other_officer", "second_cooperative_user"))  # fmt: skip
        may_see = expected(persona, "view", name)
        for lot_name in ("htx_lot", "hanoi_lot"):
            response = api.post(
                "/api/v1/trace/events/",
                processing(rice.code, world[lot_name].code, note=lot_name),
                format="json",
            )
            if not user.is_authenticated:
                assert response.status_code in (401, 403)
            elif not may_see:
                assert (
                    response.status_code == 400 and "lot" in response.json()
                )  # the output lot is not theirs to see
            elif not may_record:
                assert response.status_code == 403
            elif expected(persona, "use_as_input", lot_name):
                assert response.status_code == 201, (persona, name, lot_name, response.json())
            else:
                assert response.status_code == 400 and "inputs" in response.json()


def test_event_ids_are_unique_per_cooperative_and_another_ones_is_not_revealed(
    world, cooperative_user, second_cooperative_user
):
    from hoptac.trace.tests.helpers import lot, product

    body = {"step": "harvesting", "event_time": "2025-09-20T08:00:00+07:00", "quantity": "1000", "unit": "KGM",
            "event_id": "urn:uuid:5b4e2f0e-0000-4000-8000-000000000001"}  # fmt: skip
    ours = api_for(cooperative_user).post(
        "/api/v1/trace/events/", {**body, "lot": world.htx_lot.code}, format="json"
    )
    assert ours.status_code == 201
    theirs = api_for(second_cooperative_user).post(
        "/api/v1/trace/events/", {**body, "lot": world.hanoi_lot.code}, format="json"
    )
    assert theirs.status_code == 201, theirs.json()  # as if the ID were unused: nothing is learnt
    clash = api_for(cooperative_user).post(
        "/api/v1/trace/events/",
        {**body, "lot": lot(product(world.htx, name="Bưởi")).code, "quantity": "5"},
        format="json",
    )
    assert clash.status_code == 409  # within one cooperative an ID still names one event


def test_a_correction_names_an_event_of_the_same_cooperative(
    world, cooperative_user, second_cooperative_user
):
    body = {"step": "harvesting", "event_time": "2025-09-20T08:00:00+07:00", "quantity": "1000", "unit": "KGM",
            "event_id": "urn:uuid:5b4e2f0e-0000-4000-8000-000000000002"}  # fmt: skip
    for user, code in (
        (cooperative_user, world.htx_lot.code),
        (second_cooperative_user, world.hanoi_lot.code),
    ):
        assert (
            api_for(user).post("/api/v1/trace/events/", {**body, "lot": code}, format="json").status_code
            == 201
        )
    fixed = api_for(cooperative_user).post(
        "/api/v1/trace/events/",
        {**body, "lot": world.htx_lot.code, "event_id": "", "quantity": "950", "corrects": body["event_id"]},
        format="json",
    )
    assert fixed.status_code == 201, fixed.json()
    assert fixed.json()["corrects"] == body["event_id"]
    assert Event.objects.get(event_id=fixed.json()["event_id"]).corrects.lot == world.htx_lot
