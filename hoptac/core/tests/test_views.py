"""Pages every user sees: the liveness check and the menus by role."""

import pytest

from hoptac.conftest import make_user


def test_livez_answers_without_login_or_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/livez")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_a_cooperative_account_sees_its_own_menus_only(client, vinh_linh_htx, province_officer):
    client.force_login(make_user("htx_nav", "cooperative", organisation=vinh_linh_htx))
    page = client.get("/trace/").content.decode()
    assert "Truy xuất nguồn gốc" in page
    assert "Duyệt số liệu" not in page and "Kế hoạch và báo cáo" not in page
    client.force_login(province_officer)
    page = client.get("/trace/").content.decode()
    assert "Duyệt số liệu" in page and "Kế hoạch và báo cáo" in page
