"""Signing in, and the lockout after repeated failures."""

import pytest

pytestmark = pytest.mark.django_db


def test_sign_in_and_reach_the_registry(client, province_officer):
    response = client.post("/login/", {"username": "quangtri", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get("/registry/").status_code == 200


def test_wrong_password_is_refused_in_vietnamese(client, province_officer):
    response = client.post("/login/", {"username": "quangtri", "password": "wrong"})
    assert response.status_code == 200
    assert "mật khẩu" in response.content.decode().lower()


def test_five_failures_lock_the_account_even_with_the_right_password(client, province_officer):
    for _ in range(5):
        client.post("/login/", {"username": "quangtri", "password": "wrong"})
    response = client.post("/login/", {"username": "quangtri", "password": "correct horse battery"})
    assert response.status_code == 429
    assert client.get("/registry/").status_code == 302


def test_a_locked_user_name_stays_locked_from_another_address(client, province_officer):
    for n in range(5):
        client.post("/login/", {"username": "quangtri", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n + 1}")
    response = client.post(
        "/login/", {"username": "quangtri", "password": "correct horse battery"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


def test_one_password_sprayed_over_many_names_throttles_the_address(client, province_officer, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for n in range(6):  # one try each: no user name reaches its own limit
        client.post("/login/", {"username": f"nguoi{n}", "password": "Matkhau@2025"}, REMOTE_ADDR="10.1.1.1")
    refused = client.post(
        "/login/", {"username": "quangtri", "password": "correct horse battery"}, REMOTE_ADDR="10.1.1.1"
    )
    assert refused.status_code == 429
    elsewhere = client.post(
        "/login/", {"username": "quangtri", "password": "correct horse battery"}, REMOTE_ADDR="10.2.2.2"
    )
    assert elsewhere.status_code == 302  # the user was never locked, only that address


def test_a_session_ends_after_its_maximum_lifetime_however_active(client, province_officer, settings):
    client.post("/login/", {"username": "quangtri", "password": "correct horse battery"})
    assert client.get("/registry/").status_code == 200
    session = client.session
    session["hoptac_signed_in_at"] -= settings.SESSION_MAX_SECONDS + 1
    session.save()
    assert client.get("/registry/").status_code == 302


def test_the_admin_pages_are_not_mounted(client, admin):
    client.force_login(admin)
    assert client.get("/admin/").status_code == 404
