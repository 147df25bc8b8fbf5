"""Officer and cooperative pages: recording a lot from harvest to shipping, labels, EPCIS."""

import xml.etree.ElementTree as ET

import pytest

from hoptac.conftest import make_user
from hoptac.trace.models import Event, Lot, Product
from hoptac.trace.tests.helpers import harvest_to_shipping, lot, product

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def cooperative_user(vinh_linh_htx):
    return make_user("htx_vt", "cooperative", organisation=vinh_linh_htx)


def test_a_cooperative_records_a_lot_from_harvest_to_shipping(client, cooperative_user, vinh_linh_htx):
    client.force_login(cooperative_user)
    response = client.post(f"/trace/products/new/{vinh_linh_htx.pk}/", {"name": "Hồ tiêu đen", "unit": "KGM",
                                                                         "shelf_life_days": "90"})  # fmt: skip
    assert response.status_code == 302
    prod = Product.objects.get(name="Hồ tiêu đen")
    response = client.post(f"/trace/products/{prod.pk}/lots/new/", {"produced_on": "01/07/2025", "quantity": "1.250",
                                                                     "unit": "KGM"})  # fmt: skip
    the_lot = Lot.objects.get(product=prod)
    assert (
        response.status_code == 302 and the_lot.produced_on.isoformat() == "2025-07-01"
    )  # 1 July, not 7 January
    steps = [("harvesting", "01/07/2025 07:30", {}), ("packing", "02/07/2025 08:00", {}),
             ("shipping", "03/07/2025 09:00", {"partner_name": "Công ty A", "partner_tax_code": "0100233488"})]  # fmt: skip
    for step, when, extra in steps:
        response = client.post(f"/trace/lots/{the_lot.pk}/events/new/", {"step": step, "event_time": when,
                                                                          "quantity": "1250", "unit": "KGM",
                                                                          "party": "cooperative", **extra})  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
    events = list(Event.objects.filter(lot=the_lot).order_by("seq"))
    assert [e.step for e in events] == ["harvesting", "packing", "shipping"]
    assert events[0].event_time.isoformat() == "2025-07-01T00:30:00+00:00"  # 07:30 in Vietnam
    page = client.get(f"/trace/lots/{the_lot.pk}/").content.decode()
    assert "Chuỗi dữ liệu toàn vẹn" in page and the_lot.display_code in page


def test_the_event_form_names_the_wrong_field(client, cooperative_user, vinh_linh_htx):
    client.force_login(cooperative_user)
    the_lot = lot(product(vinh_linh_htx))
    response = client.post(f"/trace/lots/{the_lot.pk}/events/new/", {"step": "shipping", "event_time": "31/02/2025 08:00",
                                                                      "unit": "KGM", "party": "cooperative"})  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"event_time"}
    response = client.post(f"/trace/lots/{the_lot.pk}/events/new/", {"step": "shipping", "event_time": "21/09/2025 08:00",
                                                                      "unit": "KGM", "party": "cooperative"})  # fmt: skip
    assert response.status_code == 400 and "partner_name" in response.context["form"].errors
    assert not Event.objects.exists()


def test_label_sheets_fill_the_chosen_size(client, province_officer, vinh_linh_htx, settings):
    settings.PUBLIC_URL = "https://hoptac.quangtri.gov.vn"
    client.force_login(province_officer)
    the_lot = lot(product(vinh_linh_htx))
    response = client.get(f"/trace/lots/{the_lot.pk}/labels.svg?sheet=a4-24")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert (root.get("width"), root.get("height")) == ("210mm", "297mm")
    assert len(root.findall(f"{SVG}g")) == 24
    assert f"https://hoptac.quangtri.gov.vn/t/{the_lot.code}/" in response.content.decode()  # the public URL
    root = ET.fromstring(client.get(f"/trace/lots/{the_lot.pk}/labels.svg?sheet=roll-50x30").content)
    assert root.get("width") == "50mm" and len(root.findall(f"{SVG}g")) == 1
    assert (
        client.get(f"/trace/lots/{the_lot.pk}/labels.svg?sheet=a4-24&count=5").content.count(b"<title>") == 5
    )
    assert client.get(f"/trace/lots/{the_lot.pk}/labels.svg?sheet=A0").status_code == 400


def test_other_areas_and_viewers_cannot_record(client, other_officer, viewer, vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    client.force_login(other_officer)
    assert client.get(f"/trace/lots/{the_lot.pk}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/trace/lots/{the_lot.pk}/").status_code == 200
    assert client.get(f"/trace/lots/{the_lot.pk}/events/new/").status_code == 403


def test_the_cooperative_page_lists_traced_products(client, province_officer, vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx, name="Mật ong hoa cà phê"))
    harvest_to_shipping(the_lot)
    client.force_login(province_officer)
    page = client.get(vinh_linh_htx.get_absolute_url()).content.decode()
    assert "Mật ong hoa cà phê" in page


def test_the_lot_export_is_scoped_and_names_the_last_step(client, commune_officer, vinh_linh_htx, hanoi_htx):
    import io

    import openpyxl

    shipped = lot(product(vinh_linh_htx, name="Hồ tiêu"))
    harvest_to_shipping(shipped)
    lot(product(hanoi_htx, name="Rau Hà Nội"))
    client.force_login(commune_officer)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/trace/export.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    body = [r for r in rows if r and r[0] == shipped.display_code]
    assert (
        len(body) == 1
        and body[0][2] == "Hồ tiêu"
        and body[0][10] == 5
        and body[0][11] == "Vận chuyển, xuất bán"
    )
    assert not any("Rau Hà Nội" in str(r) for r in rows)  # outside the officer's commune
    found = b"".join(client.get("/trace/export.csv", {"q": shipped.code}).streaming_content).decode(
        "utf-8-sig"
    )
    assert shipped.display_code in found
    none = b"".join(client.get("/trace/export.csv", {"q": "không có"}).streaming_content).decode("utf-8-sig")
    assert shipped.display_code not in none


def test_a_product_is_corrected_and_a_bad_barcode_is_named(client, province_officer, vinh_linh_htx):
    prod = product(vinh_linh_htx)
    client.force_login(province_officer)
    bad = client.post(f"/trace/products/{prod.pk}/edit/", {"name": "Gạo ST25 túi 2 kg", "unit": "KGM",
                                                            "gtin": "8930000000018"})  # fmt: skip
    assert bad.status_code == 400 and "gtin" in bad.context["form"].errors
    prod.refresh_from_db()
    assert prod.name == "Gạo ST25"  # nothing saved
    good = client.post(f"/trace/products/{prod.pk}/edit/", {"name": "Gạo ST25 túi 2 kg", "unit": "KGM"})
    assert good.status_code == 302 and good["Location"] == prod.get_absolute_url()
    prod.refresh_from_db()
    assert prod.name == "Gạo ST25 túi 2 kg"


def test_a_product_image_must_really_be_an_image(client, province_officer, vinh_linh_htx, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(province_officer)
    fake = SimpleUploadedFile("anh.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(
        f"/trace/products/new/{vinh_linh_htx.pk}/", {"name": "Mật ong", "unit": "KGM", "image": fake}
    )
    assert response.status_code == 400 and "image" in response.context["form"].errors
    disguised = SimpleUploadedFile(
        "evil.html", b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", content_type="image/png"
    )
    response = client.post(
        f"/trace/products/new/{vinh_linh_htx.pk}/", {"name": "Mật ong", "unit": "KGM", "image": disguised}
    )
    assert response.status_code == 400 and "image" in response.context["form"].errors
    real = SimpleUploadedFile("evil.html", png_bytes(), content_type="application/octet-stream")
    response = client.post(
        f"/trace/products/new/{vinh_linh_htx.pk}/", {"name": "Mật ong", "unit": "KGM", "image": real}
    )
    assert response.status_code == 302
    stored = Product.objects.get(name="Mật ong").image.name
    assert stored.startswith("trace/products/") and stored.endswith(".png") and "evil" not in stored
    page = client.get("/" + settings.MEDIA_URL.strip("/") + "/" + stored)
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    assert page["X-Content-Type-Options"] == "nosniff"


def png_bytes(size=(4, 3)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("public_url", ["", "http://127.0.0.1:8811", "http://localhost:8000/"])
def test_labels_without_a_public_address_are_refused_unless_confirmed(
    client, province_officer, vinh_linh_htx, settings, public_url
):
    settings.PUBLIC_URL = public_url
    client.force_login(province_officer)
    the_lot = lot(product(vinh_linh_htx))
    page = client.get(f"/trace/lots/{the_lot.pk}/").content.decode()
    assert 'id="label-warning"' in page and "HOPTAC_PUBLIC_URL" in page  # said before printing
    response = client.get(f"/trace/lots/{the_lot.pk}/labels.svg?sheet=a4-24")
    refusal = response.content.decode()
    assert response.status_code == 409 and "Chưa in nhãn" in refusal and "HOPTAC_PUBLIC_URL" in refusal
    assert f"/trace/lots/{the_lot.pk}/labels.svg?sheet=a4-24&amp;confirm=1" in refusal
    confirmed = client.get(f"/trace/lots/{the_lot.pk}/labels.svg?sheet=a4-24&confirm=1")
    assert confirmed.status_code == 200 and confirmed["Content-Type"] == "image/svg+xml"


def test_expired_and_expiring_lots_are_marked_everywhere(client, province_officer, vinh_linh_htx):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    old = lot(
        product(vinh_linh_htx, name="Gạo cũ"), produced_on=today - 400 * day, expires_on=today - 61 * day
    )
    soon = lot(product(vinh_linh_htx, name="Bưởi"), produced_on=today - 20 * day, expires_on=today + 5 * day)
    fresh = lot(product(vinh_linh_htx, name="Hồ tiêu"), produced_on=today, expires_on=today + 300 * day)
    client.force_login(province_officer)
    page = client.get(f"/trace/lots/{old.pk}/").content.decode()
    assert (
        'data-expiry="expired"' in page
        and "Lô hàng này đã hết hạn sử dụng" in page
        and "61 ngày trước" in page
    )
    public = client.get(f"/t/{old.code}/").content.decode()
    assert "Sản phẩm này đã hết hạn sử dụng" in public and "Không nên ăn hoặc sử dụng" in public
    assert "còn 5 ngày" in client.get(f"/t/{soon.code}/").content.decode()
    assert "data-expiry" not in client.get(f"/t/{fresh.code}/").content.decode()
    listing = client.get("/trace/").content.decode()
    assert listing.count('data-expiry="expired"') == 1 and listing.count('data-expiry="expiring"') == 1


def test_the_lot_list_pages_the_newest_first_with_each_lots_product(client, province_officer, vinh_linh_htx):
    """The page's lots are read by id after their order (issue 20): the order and each row's
    product and cooperative are those of the list, page after page (25 a page)."""
    import datetime

    for i in range(30):
        lot(product(vinh_linh_htx, name=f"Sản phẩm {i:02d}"), produced_on=datetime.date(2025, 1, 1 + i))
    client.force_login(province_officer)

    def rows(page):  # the table's body (the product filter lists every product too)
        return client.get(page).content.decode().split("<tbody")[1].split("</tbody>")[0]

    first, second = rows("/trace/"), rows("/trace/?page=2")
    assert first.index("Sản phẩm 29") < first.index("Sản phẩm 28") < first.index("Sản phẩm 05")
    assert "Sản phẩm 04" not in first and "Sản phẩm 05" not in second
    assert second.index("Sản phẩm 04") < second.index("Sản phẩm 00")
    assert vinh_linh_htx.name in first and vinh_linh_htx.name in second
