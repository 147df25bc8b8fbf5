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
