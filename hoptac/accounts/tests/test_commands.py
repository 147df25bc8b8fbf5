"""`hoptac user add` and `hoptac token`, as an administrator types them."""

import io

import pytest
from django.core.management import CommandError, call_command

from hoptac.accounts.models import User
from hoptac.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*args, stdin=""):
    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_add_an_officer_scoped_to_a_former_district():
    out = run(
        "user",
        "add",
        "vinhlinh",
        "--role",
        "officer",
        "--unit",
        "464",
        "--password-stdin",
        stdin="mật khẩu dài 2025\n",
    )
    user = User.objects.get(username="vinhlinh")
    assert user.role == "officer" and user.unit.name == "Huyện Vĩnh Linh"
    assert user.check_password("mật khẩu dài 2025")
    assert "vinhlinh" in out
    assert AuditEntry.objects.filter(object_id=str(user.pk), source="command", action="create").exists()


def test_add_a_cooperative_account_by_tax_code(vinh_linh_htx):
    run(
        "user",
        "add",
        "htx1",
        "--role",
        "cooperative",
        "--organisation",
        vinh_linh_htx.tax_code,
        "--password-stdin",
        stdin="mật khẩu dài 2025\n",
    )
    assert User.objects.get(username="htx1").organisation == vinh_linh_htx


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "officer", "--unit", "99999"], "no such unit"),
        (["--role", "officer", "--unit", "12ab"], "không phải là mã"),
        (["--role", "officer"], "phạm vi"),
        (["--role", "cooperative", "--organisation", "0100233489"], "mã số thuế"),
    ],
)
def test_bad_arguments_say_what_is_wrong(args, message):
    with pytest.raises(CommandError) as exc:
        run("user", "add", "x", *args, "--password-stdin", stdin="mật khẩu dài 2025\n")
    assert message in str(exc.value).lower()
    assert not User.objects.filter(username="x").exists()


def test_a_weak_password_is_refused():
    with pytest.raises(CommandError):
        run("user", "add", "weak", "--role", "admin", "--password-stdin", stdin="123\n")


def test_token_prints_a_stable_key_that_authenticates(client, viewer):
    key = run("token", "xem").strip()
    assert len(key) == 40 and run("token", "xem").strip() == key
    response = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert run("token", "xem", "--renew").strip() != key
    assert client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
