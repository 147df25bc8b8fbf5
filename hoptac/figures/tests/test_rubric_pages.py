"""The rubrics page: an administrator changes a rubric's period with a reason; a province adopts
its local rubric with its own bands; others are refused (403)."""

import datetime

import pytest

from hoptac.conftest import make_organisation, scores_totalling, unit
from hoptac.core.audit import Actor
from hoptac.core.models import AuditEntry
from hoptac.figures import services
from hoptac.figures.models import Rubric

pytestmark = pytest.mark.django_db


def test_everyone_signed_in_reads_the_rubrics_and_their_periods(client, viewer):
    client.force_login(viewer)
    response = client.get("/figures/rubrics/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thông tư 01/2020/TT-BKHĐT" in page and "17/09/2025" in page and "78/2025/TT-BTC" in page
    assert 'name="reason"' not in page and 'id="adopt"' not in page  # a viewer changes nothing


def test_an_administrator_changes_the_end_date_with_a_reason(client, admin, province_officer):
    tt01 = Rubric.objects.get(code="TT01/2020")
    client.force_login(admin)
    assert 'name="reason"' in client.get("/figures/rubrics/").content.decode()
    form = {"action": "validity", "rubric": tt01.pk, "valid_from": "01/04/2020", "valid_to": "30/09/2025"}
    client.post("/figures/rubrics/", form)  # no reason: refused with a message
    tt01.refresh_from_db()
    assert tt01.valid_to == datetime.date(2025, 9, 17)
    response = client.post(
        "/figures/rubrics/", {**form, "reason": "Văn bản gốc TT 78/2025 đã đối chiếu"}, follow=True
    )
    tt01.refresh_from_db()
    assert tt01.valid_to == datetime.date(2025, 9, 30)
    assert "Đã thay đổi thời gian hiệu lực" in response.content.decode()
    entry = AuditEntry.objects.filter(content_type__model="rubric", object_id=str(tt01.pk)).latest(
        "timestamp"
    )
    assert entry.message == "Văn bản gốc TT 78/2025 đã đối chiếu" and entry.user == admin
    client.force_login(province_officer)
    assert client.post("/figures/rubrics/", {**form, "reason": "thử đổi ngày"}).status_code == 403


def test_a_province_adopts_local_criteria_with_its_own_bands(client, province_officer, other_officer):
    tt01 = Rubric.objects.get(code="TT01/2020")
    quang_tri = unit("44")
    client.force_login(province_officer)
    page = client.get("/figures/rubrics/").content.decode()
    assert 'id="adopt"' in page and "Tỉnh Quảng Trị" in page and "Thành phố Hà Nội" not in page
    form = {
        "action": "adopt", "province": quang_tri.pk, "base": tt01.pk, "decision": "Quyết định 12/2026/QĐ-UBND",
        "valid_from": "18/09/2025", "band_tot": "75", "band_kha": "60", "band_trung_binh": "45",
    }  # fmt: skip
    response = client.post("/figures/rubrics/", form, follow=True)
    local = Rubric.objects.get(province=quang_tri)
    assert local.bands == {"tot": 75.0, "kha": 60.0, "trung_binh": 45.0}
    assert "tiêu chí địa phương" in response.content.decode() and "Tốt" in response.content.decode()
    org = make_organisation("19363", registration_date=datetime.date(2020, 1, 1))
    graded = services.assess(Actor.command(), org, 2025, self_scores=scores_totalling("76"))
    assert graded.rubric == local and graded.grade == "tot"  # 76 is khá under TT 01/2020, tốt here
    assessment_page = client.get(f"/figures/{org.pk}/2025/assessment/").content.decode()
    assert "Tốt ≥ 75; Khá ≥ 60; Trung bình ≥ 45" in assessment_page
    client.force_login(other_officer)  # Hà Nội's officer cannot adopt for Quảng Trị
    assert client.post("/figures/rubrics/", {**form, "decision": "QĐ khác"}).status_code == 403


def test_bands_that_do_not_fall_are_refused():
    tt01 = Rubric.objects.get(code="TT01/2020")
    for bands in (
        {"tot": 60, "kha": 70, "trung_binh": 40},
        {"tot": 120, "kha": 70, "trung_binh": 40},
        {"tot": 80},
    ):
        with pytest.raises(services.ValidationError) as exc:
            services.adopt_local_rubric(
                Actor.command(), unit("44"), "QĐ 5", datetime.date(2025, 9, 18), tt01, bands=bands
            )
        assert "bands" in exc.value.message_dict
    assert not Rubric.objects.filter(province=unit("44")).exists()
