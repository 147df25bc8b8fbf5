"""Recording lots and events: idempotent, append-only, scoped, with one step back and forward."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.conftest import make_user
from hoptac.core.audit import Actor
from hoptac.core.models import AuditEntry
from hoptac.core.services import Conflict
from hoptac.trace import services
from hoptac.trace.models import CODE_ALPHABET, Event, Lot, Step
from hoptac.trace.services import InputLot
from hoptac.trace.tests.helpers import at, event, lot, product

pytestmark = pytest.mark.django_db


def test_a_lot_gets_an_unambiguous_public_code_and_expiry_from_the_shelf_life(vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx, shelf_life_days=365))
    assert len(the_lot.code) == 10 and set(the_lot.code) <= set(CODE_ALPHABET)
    assert not set(the_lot.code) & set("01OIL")
    assert the_lot.expires_on == datetime.date(2026, 9, 20)
    assert the_lot.place == vinh_linh_htx.commune  # produced where the cooperative is, unless told


def test_the_same_event_sent_twice_is_stored_once(vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    data = {"step": Step.HARVESTING, "event_time": at("2025-09-20"), "quantity": Decimal("1000")}
    first, created = services.record_event(Actor.command(), the_lot, data)
    again, created_again = services.record_event(Actor.command(), the_lot, dict(data))
    assert created and not created_again and again.pk == first.pk
    assert Event.objects.filter(lot=the_lot).count() == 1
    assert first.event_id.startswith("ni:///sha-256;")
    # An explicit ID is honoured; reusing it for different content is refused, not overwritten.
    services.record_event(
        Actor.command(), the_lot, {**data, "event_id": "urn:uuid:1", "step": Step.INSPECTING}
    )
    with pytest.raises(Conflict):
        services.record_event(
            Actor.command(), the_lot, {**data, "event_id": "urn:uuid:1", "step": Step.PACKING}
        )
    the_lot.refresh_from_db()
    assert the_lot.event_count == 2


def test_a_correction_is_a_new_event_and_the_original_stays(vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    wrong = event(the_lot, quantity=Decimal("1200"))
    fixed = event(the_lot, quantity=Decimal("1000"), corrects=wrong)
    wrong.refresh_from_db()
    assert wrong.quantity == Decimal("1200") and list(wrong.corrections.all()) == [fixed]
    other = lot(product(vinh_linh_htx, name="Bưởi"))
    with pytest.raises(ValidationError) as exc:
        event(other, corrects=wrong)
    assert "corrects" in exc.value.message_dict


def test_processing_links_one_step_back_and_one_step_forward(vinh_linh_htx, hanoi_htx):
    paddy = lot(product(vinh_linh_htx, name="Lúa"))
    bought = lot(product(hanoi_htx, name="Lúa mua ngoài"))  # another cooperative's lot, by its public code
    rice = lot(product(vinh_linh_htx, name="Gạo"))
    with pytest.raises(ValidationError) as exc:
        event(rice, Step.PROCESSING)
    assert "inputs" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        event(rice, Step.PROCESSING, inputs=[InputLot("ZZZZZ-99999")])
    assert "ZZZZZ-99999" in str(exc.value)
    milling = event(
        rice, Step.PROCESSING, inputs=[InputLot(paddy.display_code, Decimal("800")), InputLot(bought.code)]
    )
    assert milling.kind == Event.Kind.TRANSFORMATION
    assert {i.lot for i in milling.inputs.all()} == {paddy, bought}  # one step back
    assert [i.event.lot for i in paddy.used_in.all()] == [rice]  # one step forward


def test_shipping_names_the_receiver_and_checks_its_tax_code(vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    with pytest.raises(ValidationError) as exc:
        event(the_lot, Step.SHIPPING)
    assert "partner_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        event(the_lot, Step.SHIPPING, partner_name="Công ty A", partner_tax_code="0100233489")
    assert "partner_tax_code" in exc.value.message_dict
    shipped = event(the_lot, Step.SHIPPING, partner_name="Công ty A", partner_tax_code="0100233488")
    assert shipped.partner_tax_code == "0100233488"


def test_a_member_event_needs_the_private_reference(vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    with pytest.raises(ValidationError) as exc:
        event(the_lot, Step.GROWING, party="member")
    assert "member_ref" in exc.value.message_dict


def test_events_cannot_be_in_the_future(vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    with pytest.raises(ValidationError) as exc:
        services.record_event(Actor.command(), the_lot, {"step": Step.HARVESTING,
                                                         "event_time": at("2099-01-01")})  # fmt: skip
    assert "event_time" in exc.value.message_dict


def test_writes_are_scoped_and_audited(vinh_linh_htx, other_officer, viewer, commune_officer):
    the_lot = lot(product(vinh_linh_htx))
    with pytest.raises(PermissionDenied):
        event(the_lot, actor=Actor(other_officer, "web"))
    with pytest.raises(PermissionDenied):
        event(the_lot, actor=Actor(viewer, "web"))
    own = make_user("htx_user", "cooperative", organisation=vinh_linh_htx)
    recorded = event(the_lot, actor=Actor(own, "web"))
    entry = AuditEntry.objects.filter(object_id=str(recorded.pk), content_type__model="event").get()
    assert entry.user == own and entry.after["hash"] == recorded.hash
    assert Lot.objects.restrict(other_officer).count() == 0
    assert Lot.objects.restrict(commune_officer).count() == 1


def test_gtin_check_digit(vinh_linh_htx):
    with pytest.raises(ValidationError) as exc:
        product(vinh_linh_htx, gtin="8930000000018")
    assert "gtin" in exc.value.message_dict
    assert product(vinh_linh_htx, gtin="8930000000019").gtin == "8930000000019"


def test_a_resent_event_is_recognised_however_its_codes_and_numbers_are_written(vinh_linh_htx):
    paddy = lot(product(vinh_linh_htx, name="Lúa"))
    rice = lot(product(vinh_linh_htx, name="Gạo"))
    data = {"step": Step.PROCESSING, "event_time": at("2025-09-22"), "quantity": Decimal("600")}
    first, _ = services.record_event(Actor.command(), rice, data, [InputLot(paddy.code, Decimal("950"))])
    again, created = services.record_event(
        Actor.command(), rice, {**data, "quantity": Decimal("600.000")},
        [InputLot(paddy.display_code.lower(), Decimal("950.0"))],
    )  # fmt: skip
    assert not created and again.pk == first.pk
    ship = {"step": Step.SHIPPING, "event_time": at("2025-09-25"), "partner_name": "Công ty A"}
    a, _ = services.record_event(Actor.command(), rice, {**ship, "partner_tax_code": "0100233488-001"})
    b, created = services.record_event(Actor.command(), rice, {**ship, "partner_tax_code": "0100233488001"})
    assert not created and a.pk == b.pk and a.partner_tax_code == "0100233488-001"
