"""The review queue's deadlines name the levels that exist in the year they are for."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_district_level_deadline_is_gone_from_2025(client, province_officer):
    client.force_login(province_officer)
    page_2024 = client.get("/figures/review/", {"year": 2024}).content.decode()
    page_2026 = client.get("/figures/review/", {"year": 2026}).content.decode()
    assert "Cấp huyện gửi tổng hợp về tỉnh" in page_2024
    assert "Cấp huyện" not in page_2026 and "Cấp xã gửi tổng hợp về tỉnh" in page_2026
