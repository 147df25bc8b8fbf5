"""The page a consumer opens from the QR code: no login, the TT 02/2024 minimum record, nothing private."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from hoptac.core.audit import Actor
from hoptac.trace import services
from hoptac.trace.models import Event, Step
from hoptac.trace.tests.helpers import event, harvest_to_shipping, lot, product

pytestmark = pytest.mark.django_db
LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "trace-page"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "trace-rl"},
}


@pytest.fixture
def shipped(vinh_linh_htx):
    prod = product(vinh_linh_htx, gtin="8930000000019", shelf_life_days=365, description="Gạo thơm")
    services.add_certification(Actor.command(), prod, {"kind": "vietgap", "number": "VG-01", "issuer": "Trung tâm X",
                                                       "valid_from": datetime.date(2024, 1, 1),
                                                       "valid_until": datetime.date(2099, 1, 1)})  # fmt: skip
    services.add_certification(Actor.command(), prod, {"kind": "organic", "number": "HC-OLD", "issuer": "Y",
                                                       "valid_from": datetime.date(2020, 1, 1),
                                                       "valid_until": datetime.date(2021, 1, 1)})  # fmt: skip
    the_lot = lot(prod, number="VX-07")
    event(
        the_lot, Step.GROWING, "2025-07-05", party="member", member_ref="CCCD-038095001234", note="Bón phân"
    )
    harvest_to_shipping(the_lot)
    return the_lot


def test_anyone_sees_the_minimum_record_and_the_timeline(client, shipped, vinh_linh_htx):
    response = client.get(f"/t/{shipped.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gạo ST25" in page  # product name
    assert vinh_linh_htx.name in page and vinh_linh_htx.commune.name in page  # producer, address
    assert "20/09/2025" in page  # production date, Vietnamese format
    assert shipped.display_code in page and "8930000000019" in page  # code, barcode
    assert "20/09/2026" in page  # expiry: production + shelf life
    for step in ("Thu hoạch", "Đóng gói", "Vận chuyển"):  # the timeline, in Vietnamese
        assert step in page
    assert "Công ty CP Lương thực Quảng Trị" in page  # one step forward
    assert "VietGAP" in page and "HC-OLD" not in page  # only valid certifications
    assert 'id="chain-status" role="status"' in page
    assert "CCCD-038095001234" not in page and "3200114345" not in page  # no personal or internal identifiers
    assert "hộ thành viên" in page.lower()


def test_the_page_in_english(client, shipped):
    page = client.get(f"/t/{shipped.code}/?lang=en").content.decode()
    assert '<html lang="en">' in page and "Harvesting" in page and "Production date" in page


def test_codes_are_read_as_printed_and_unknown_codes_are_404(client, shipped):
    assert client.get(f"/t/{shipped.display_code.lower()}/").status_code == 200
    assert client.get("/t/ZZZZZZZZZZ/").status_code == 404


def test_a_tampered_lot_warns_the_consumer(client, shipped):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET quantity = 1 WHERE lot_id = %s AND seq = 2", [shipped.pk]
        )
    page = client.get(f"/t/{shipped.code}/").content.decode()
    assert 'id="chain-status" role="alert"' in page


@override_settings(CACHES=LOCMEM, TRACE_RATE_PER_MINUTE=1000)
def test_the_page_is_stored_until_the_lot_changes_and_rendered_again_on_commit(
    client, shipped, django_capture_on_commit_callbacks
):
    from hoptac.trace.models import PublicPage

    cache.clear()
    client.get(f"/t/{shipped.code}/")
    assert set(PublicPage.objects.filter(lot=shipped).values_list("language", flat=True)) == {"vi", "en"}
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"/t/{shipped.code}/")
    assert again.status_code == 200 and len(queries) == 1  # the stored page, nothing rendered
    with django_capture_on_commit_callbacks(execute=True):
        event(shipped, Step.RECEIVING, "2025-09-26", partner_name="Siêu thị Đông Hà", quantity=Decimal("990"))
    stored = PublicPage.objects.get(lot=shipped, language="vi")  # rendered again once the event committed
    assert "Siêu thị Đông Hà" in stored.body
    assert "Siêu thị Đông Hà" in client.get(f"/t/{shipped.code}/").content.decode()


@override_settings(CACHES=LOCMEM, TRACE_RATE_PER_MINUTE=1000)
def test_an_organisation_renamed_renders_its_lots_pages_again(
    client, shipped, django_capture_on_commit_callbacks
):
    from hoptac.core.audit import Actor
    from hoptac.registry import services as registry
    from hoptac.trace.models import PublicPage

    client.get(f"/t/{shipped.code}/")
    organisation = shipped.product.organisation
    with django_capture_on_commit_callbacks(execute=True):
        registry.update_organisation(Actor.command(), organisation, {"name": "Hợp tác xã Đổi Tên Mới"})
    assert "Hợp tác xã Đổi Tên Mới" in PublicPage.objects.get(lot=shipped, language="vi").body


def test_backfill_and_the_daily_dated_rendering(shipped):
    import datetime

    from django.core.management import call_command

    from hoptac.trace.models import PublicPage

    out = io.StringIO()
    call_command("render-public-pages", stdout=out)
    assert "1 lots rendered" in out.getvalue() and "[####" in out.getvalue()
    assert PublicPage.objects.filter(lot=shipped).count() == 2
    call_command("render-public-pages", stdout=io.StringIO())  # nothing left to backfill
    PublicPage.objects.filter(lot=shipped).update(rendered_on=datetime.date(2020, 1, 1), depends_on_date=True)
    out = io.StringIO()
    call_command("render-public-pages", "--dated", stdout=out)
    assert "1 lots rendered" in out.getvalue()
    assert not PublicPage.objects.filter(rendered_on=datetime.date(2020, 1, 1)).exists()


@override_settings(CACHES=LOCMEM, TRACE_RATE_PER_MINUTE=3)
def test_one_address_is_limited(client, shipped):
    from django.core.cache import caches

    caches["ratelimit"].clear()
    codes = [client.get(f"/t/{shipped.code}/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(f"/t/{shipped.code}/", REMOTE_ADDR="10.0.0.9").status_code == 200  # another phone


@override_settings(CACHES=LOCMEM, TRACE_RATE_PER_MINUTE=1000)
def test_a_label_scanned_again_by_a_phone_that_kept_the_page_is_answered_304(
    client, shipped, django_capture_on_commit_callbacks
):
    first = client.get(f"/t/{shipped.code}/")
    etag = first["ETag"]
    again = client.get(f"/t/{shipped.code}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == first["Cache-Control"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"
    english = client.get(f"/t/{shipped.code}/?lang=en", HTTP_IF_NONE_MATCH=etag)  # another page
    assert english.status_code == 200 and english["ETag"] != etag and english["Content-Language"] == "en"
    with django_capture_on_commit_callbacks(execute=True):
        event(shipped, Step.RECEIVING, "2025-09-26", partner_name="Siêu thị Đông Hà", quantity=Decimal("990"))
    changed = client.get(f"/t/{shipped.code}/", HTTP_IF_NONE_MATCH=etag)  # the page has changed since
    assert changed.status_code == 200 and "Siêu thị Đông Hà" in changed.content.decode()


@override_settings(CACHES=LOCMEM, TRACE_RATE_PER_MINUTE=3)
def test_the_limit_holds_for_re_scans_and_unknown_codes(client, shipped):
    etag = client.get(f"/t/{shipped.code}/")["ETag"]
    assert client.get(f"/t/{shipped.code}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/t/ABCDEFGHJK/").status_code == 404
    refused = client.get(f"/t/{shipped.code}/", HTTP_IF_NONE_MATCH=etag)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"


def _shared_counters(tmp_path):
    """A cache every process would share (Redis in production; files here)."""
    return {**LOCMEM, "ratelimit": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                    "LOCATION": str(tmp_path / "rl")}}  # fmt: skip


def test_with_shared_counters_the_limit_is_exact_below_200_a_minute(tmp_path):
    from hoptac.trace.ratelimit import Limiter

    with override_settings(CACHES=_shared_counters(tmp_path)):
        workers = [Limiter(clock=lambda: 6_000_000.0) for _ in range(2)]
        answers = [workers[i % 2].over("trace", "10.0.0.1", 40) for i in range(100)]
        assert answers == [False] * 40 + [True] * 60  # one limit for both workers, as before
        assert not workers[1].over("trace", "10.0.0.2", 40)  # another address


def test_with_shared_counters_the_limit_holds_within_a_batch_per_worker(tmp_path):
    from hoptac.trace.ratelimit import Limiter

    limit, batch = 1000, 10  # batch: limit // 100
    now = [6_000_000.0]
    with override_settings(CACHES=_shared_counters(tmp_path)):
        workers = [Limiter(clock=lambda: now[0]) for _ in range(3)]
        admitted = sum(not workers[i % 3].over("trace", "10.0.0.1", limit) for i in range(3000))
        assert limit <= admitted <= limit + 3 * (batch - 1)
        assert all(w.over("trace", "10.0.0.1", limit) for w in workers)  # refused until the window ends
        now[0] += 60
        assert not any(w.over("trace", "10.0.0.1", limit) for w in workers)  # a new window


def test_the_qr_code_points_to_the_public_page(client, shipped):
    response = client.get(f"/t/{shipped.code}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<path" in response.content


def test_the_consumer_reads_plain_words_not_offsets_nor_event_numbers(client, vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx, name="Lúa"))
    harvest = event(the_lot, Step.HARVESTING, "2025-09-20")
    event(the_lot, Step.HARVESTING, "2025-09-20", corrects=harvest, quantity=Decimal("950"))
    page = client.get(f"/t/{the_lot.code}/").content.decode()
    assert "đã sửa thông tin thu hoạch" in page and "thông tin cũ, đã được sửa" in page
    assert "UTC" not in page and "đính chính sự kiện" not in page
    assert "20/09/2025" in page  # the local date and time, without a zone
