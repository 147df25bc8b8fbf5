"""What a visitor sees when something goes wrong, with debug off (as `make demo` and production run):
Vietnamese pages of hoptac's own, never Django's technical page listing the URLs."""

import os
import subprocess
import sys

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_a_mistyped_trace_code_gives_the_vietnamese_404_page(client, settings):
    assert settings.DEBUG is False
    response = client.get("/t/ABCDE12345/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page and "Không có lô hàng nào có mã truy xuất này" in page
    assert "Kiểm tra lại mã in trên nhãn" in page
    assert "URLconf" not in page and "Django" not in page and "Traceback" not in page


def test_an_unknown_address_gives_the_404_page_without_internal_messages(client, province_officer):
    client.force_login(province_officer)
    response = client.get("/registry/999999/")
    page = response.content.decode()
    assert response.status_code == 404 and "Không tìm thấy trang" in page
    assert "matches the given query" not in page and "Organisation" not in page
    assert client.get("/khong-co-trang-nay/").status_code == 404


def test_a_refusal_gives_the_403_page(client, viewer, vinh_linh_htx):
    client.force_login(viewer)
    response = client.get(f"/registry/{vinh_linh_htx.pk}/edit/")  # a viewer of Quảng Trị reads, never edits
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không được phép" in page and "Về trang chủ" in page


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_bad_request_gives_the_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_the_500_page_needs_no_request_nor_database():
    page = render_to_string("500.html")
    assert "Đã có lỗi ở phía hệ thống" in page and "bootstrap.min.css" in page


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_demo_settings_run_without_debug():
    """`make demo` (HOPTAC_DEMO=1): no debug, yet no key to set, localhost allowed, static files served."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOPTAC_", "DJANGO_"))}
    env.update(
        HOPTAC_DEMO="1", HOPTAC_VAR_DIR=os.environ.get("TMPDIR", "/tmp") + "/hoptac-demo-settings-test"
    )
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'hoptac.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.WHITENOISE_USE_FINDERS, s.SESSION_COOKIE_SECURE, bool(s.SECRET_KEY))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False ['127.0.0.1', 'localhost'] True False True"
