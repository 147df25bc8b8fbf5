"""The hash chain: a row changed, deleted or inserted behind the application's back is named
(messages in Vietnamese, as officers read them)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hoptac.trace import chain
from hoptac.trace.models import EpcisEvent, EpcisIdentifier, Event, EventInput, Lot, Step
from hoptac.trace.tests.helpers import event, harvest_to_shipping, lot, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    harvest_to_shipping(the_lot)
    the_lot.refresh_from_db()
    return the_lot


def raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_chain_verifies(shipped):
    verdict = chain.verify(shipped)
    assert verdict.ok, verdict.problems
    assert verdict.events == shipped.event_count == 5
    events = list(Event.objects.filter(lot=shipped).order_by("seq"))
    assert events[0].prev_hash == shipped.genesis_hash
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert shipped.head_hash == events[-1].hash


def test_a_quantity_changed_in_the_database_breaks_the_chain_at_that_event(shipped):
    target = Event.objects.get(lot=shipped, seq=3)
    raw(f"UPDATE {Event._meta.db_table} SET quantity = 900 WHERE id = %s", target.pk)
    verdict = chain.verify(shipped)
    assert not verdict.ok
    assert verdict.problems == ["Sự kiện 3 đã bị thay đổi sau khi ghi nhận."]


def test_a_moved_event_time_and_a_rewritten_partner_are_detected(shipped):
    shipping = Event.objects.get(lot=shipped, step=Step.SHIPPING)
    raw(f"UPDATE {Event._meta.db_table} SET partner_name = 'Công ty khác' WHERE id = %s", shipping.pk)
    assert not chain.verify(shipped).ok
    raw(
        f"UPDATE {Event._meta.db_table} SET partner_name = %s WHERE id = %s",
        shipping.partner_name,
        shipping.pk,
    )
    assert chain.verify(shipped).ok  # restoring the value restores the chain: the hash covers content only
    raw(
        f"UPDATE {Event._meta.db_table} SET event_time = %s WHERE id = %s", "2025-01-01 00:00:00", shipping.pk
    )
    assert not chain.verify(shipped).ok


def delete_event_rows(where: str) -> None:
    """Delete events behind the application's back, with their rows in the EPCIS repository."""
    events = f"SELECT id FROM {Event._meta.db_table} WHERE {where}"
    stored = f"SELECT id FROM {EpcisEvent._meta.db_table} WHERE native_id IN ({events})"
    raw(f"DELETE FROM {EpcisIdentifier._meta.db_table} WHERE event_id IN ({stored})")
    raw(f"DELETE FROM {EpcisEvent._meta.db_table} WHERE native_id IN ({events})")
    raw(f"DELETE FROM {Event._meta.db_table} WHERE {where}")


def test_a_deleted_last_event_is_detected(shipped):
    last = Event.objects.get(lot=shipped, seq=5)
    delete_event_rows(f"id = {last.pk}")
    verdict = chain.verify(shipped)
    assert verdict.problems == ["Lô hàng ghi nhận 5 sự kiện nhưng chỉ lưu 4: một sự kiện đã bị xóa."]


def test_a_deleted_middle_event_is_named(shipped):
    delete_event_rows(f"lot_id = {shipped.pk} AND seq = 2")
    assert chain.verify(shipped).problems == ["Thiếu sự kiện 2: chuỗi nhảy sang sự kiện 3."]


def test_a_changed_production_date_of_the_lot_is_detected(shipped):
    raw(f"UPDATE {Lot._meta.db_table} SET produced_on = %s WHERE id = %s", "2025-09-01", shipped.pk)
    shipped.refresh_from_db()
    assert chain.verify(shipped).problems == ["Dữ liệu của lô hàng (mã, ngày, số lượng) đã bị thay đổi."]


def test_a_changed_input_of_processing_is_detected(vinh_linh_htx):
    paddy = lot(product(vinh_linh_htx))
    other = lot(product(vinh_linh_htx, name="Lúa thường"))
    event(paddy)
    rice = lot(product(vinh_linh_htx, name="Gạo"), produced_on=paddy.produced_on)
    from hoptac.trace.services import InputLot

    event(rice, Step.PROCESSING, "2025-09-22", inputs=[InputLot(paddy.code, 1000)])
    assert chain.verify(rice).ok
    raw(f"UPDATE {EventInput._meta.db_table} SET lot_id = %s", other.pk)  # "made from" another lot
    assert chain.verify(rice).problems == ["Sự kiện 1 đã bị thay đổi sau khi ghi nhận."]


def test_the_command_reports_broken_chains_and_fails(shipped, vinh_linh_htx, capsys):
    healthy = lot(product(vinh_linh_htx, name="Bưởi"))
    event(healthy)
    call_command("verify-chains")
    assert "2 lots, 6 events checked" in capsys.readouterr().out
    raw(f"UPDATE {Event._meta.db_table} SET note = 'sửa tay' WHERE lot_id = %s AND seq = 1", shipped.pk)
    with pytest.raises(CommandError):
        call_command("verify-chains")
    err = capsys.readouterr().err
    assert f"{shipped.code}: Sự kiện 1 đã bị thay đổi" in err and healthy.code not in err
    from hoptac.trace.models import PublicPage

    # the broken lot's stored page now warns the consumer
    assert 'id="chain-status" role="alert"' in PublicPage.objects.get(lot=shipped, language="vi").body
