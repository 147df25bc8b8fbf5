"""The Vĩnh Linh plan's report, drafted in 2026, is issued by a body that exists and names the plan fully."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from rest_framework.test import APIClient

from hoptac.accounts.models import Agency
from hoptac.accounts.structure import bodies_of
from hoptac.conftest import unit
from hoptac.core.audit import Actor
from hoptac.core.models import AuditEntry
from hoptac.plans.loader import load_plans
from hoptac.plans.models import Plan
from hoptac.reporting import issuer, services
from hoptac.reporting.models import CarrierRole, ReportDue, duty_carriers_on, duty_ceased_bodies

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def vinh_linh_plan():
    load_plans()
    return Plan.objects.get(key="vinhlinh-cv-2023")


def _text(response) -> str:
    doc = Document(io.BytesIO(response.content))
    return (
        "\n".join(p.text for p in doc.paragraphs)
        + "\n"
        + "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    )


def _draft(user, plan, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/plans/{plan.pk}/report.docx", {"unit": "464", "period": "2026-H1", **params})


def test_the_plans_district_bodies_have_ceased_and_the_duty_asks_for_a_successor(vinh_linh_plan):
    obligation = vinh_linh_plan.obligations.first()
    assert duty_carriers_on(obligation, TODAY) == []
    ceased = duty_ceased_bodies(obligation, TODAY)
    assert ceased and all(a.ended_on == datetime.date(2025, 6, 30) for a in ceased)


def test_without_a_successor_the_province_officer_drafts_as_the_provincial_peoples_committee(
    vinh_linh_plan, province_officer
):
    response = _draft(province_officer, vinh_linh_plan)
    assert response.status_code == 200
    text = _text(response)
    assert "HUYỆN VĨNH LINH" not in text.upper().split("NƠI NHẬN")[0].split("BÁO CÁO")[0]
    assert "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ" in text and "Quảng Trị, ngày" in text
    assert "Văn bản số …/UBND-NN tháng 02 năm 2023 của Ủy ban nhân dân huyện Vĩnh Linh" in text
    assert "Kết quả thực hiện Văn bản số …/UBND-NN" in text
    assert "trên địa bàn huyện Vĩnh Linh (cũ)" in text
    # the plan's recipient ceased: "Nơi nhận" says so rather than printing it as if it existed
    receive = text.split("Nơi nhận:")[1]
    assert "- Ủy ban nhân dân huyện Vĩnh Linh;" not in receive


def test_with_a_recorded_successor_the_report_is_issued_by_it(vinh_linh_plan, province_officer):
    obligation = vinh_linh_plan.obligations.first()
    office = next(a for a in bodies_of(unit("19363")) if a.name == "Phòng Kinh tế")
    finance = next(a for a in bodies_of(unit("44")) if a.name == "Sở Tài chính")
    actor = Actor(user=province_officer, source="web")
    services.set_duty_carriers(actor, obligation, [office], datetime.date(2025, 7, 1), "Quyết định phân công")
    services.set_duty_carriers(
        actor, obligation, [finance], datetime.date(2025, 7, 1), role=CarrierRole.RECIPIENT
    )
    assert (
        AuditEntry.objects.filter(
            object_id=str(obligation.pk), content_type__model="obligation", action="update"
        ).count()
        == 2
    )
    text = _text(_draft(province_officer, vinh_linh_plan))
    assert "ỦY BAN NHÂN DÂN XÃ VĨNH LINH\nPHÒNG KINH TẾ" in text and "Số:      /BC-PKT" in text
    assert "Phòng Kinh tế xã Vĩnh Linh báo cáo" in text and "TRƯỞNG PHÒNG" in text
    assert "- Sở Tài chính;" in text and "Vĩnh Linh, ngày" in text
    # the officer may choose the People's Committee instead, but never a ceased body
    committee = bodies_of(unit("44"))[0]
    assert "TM. ỦY BAN NHÂN DÂN" in _text(_draft(province_officer, vinh_linh_plan, body=committee.pk))
    ceased = duty_ceased_bodies(obligation, datetime.date(2025, 6, 1)) or list(
        obligation.reporter_agencies.all()
    )
    assert _draft(province_officer, vinh_linh_plan, body=ceased[0].pk).status_code == 400
    # the 2026 reports are due from the successor, not from the ceased bodies
    services.generate_dues(obligation, 2026)
    agencies = set(
        ReportDue.objects.filter(obligation=obligation, agency__isnull=False).values_list("agency", flat=True)
    )
    assert agencies == {office.pk}


def test_a_ceased_body_cannot_be_recorded_as_successor_and_only_the_province_records(
    vinh_linh_plan, province_officer, commune_officer, other_officer
):
    obligation = vinh_linh_plan.obligations.first()
    old = obligation.reporter_agencies.first()
    with pytest.raises(ValidationError) as exc:
        services.set_duty_carriers(Actor(user=province_officer, source="web"), obligation, [old], TODAY)
    assert "không còn hoạt động vào ngày 01/12/2026" in str(exc.value)
    office = bodies_of(unit("19363"))[1]
    for user in (commune_officer, other_officer):
        with pytest.raises(PermissionDenied):
            services.set_duty_carriers(Actor(user=user, source="web"), obligation, [office], TODAY)


def test_place_and_case_follow_the_unit_of_the_day():
    dong_nai = Agency.objects.get_or_create(
        unit=unit("75"), name="Sở Tài chính", defaults={"kind": "so", "symbol": "STC"}
    )[0]
    before = issuer.issuer_block(dong_nai, datetime.date(2026, 1, 1), [])
    after = issuer.issuer_block(dong_nai, datetime.date(2026, 5, 1), [])
    assert before.managing_line == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI" and before.place == "Đồng Nai"
    assert after.managing_line == "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐỒNG NAI" and after.signer == ["GIÁM ĐỐC"]
    ward = bodies_of(unit("26368"), datetime.date(2026, 5, 1))
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in {a.name for a in ward}
    assert issuer.expand("UBND huyện Vĩnh Linh") == "Ủy ban nhân dân huyện Vĩnh Linh"


def test_recorded_carriers_and_written_drafts_are_not_deleted_with_their_duty_plan_or_unit(
    vinh_linh_plan, province_officer
):
    """Carriers are history and drafts are the official's text: deleting what they hang on is refused."""
    from django.db.models import ProtectedError

    from hoptac.reporting.models import DutyCarrier, ReportDraft

    obligation = vinh_linh_plan.obligations.first()
    office = next(a for a in bodies_of(unit("19363")) if a.name == "Phòng Kinh tế")
    actor = Actor(user=province_officer, source="web")
    services.set_duty_carriers(actor, obligation, [office], datetime.date(2025, 7, 1), "Quyết định phân công")
    draft = services.save_draft(
        Actor.command(), vinh_linh_plan, unit("464"), "2026-H1", "Thiếu vốn.", "Hỗ trợ."
    )
    carrier = DutyCarrier.objects.get(obligation=obligation)
    with pytest.raises(ProtectedError) as refused:
        obligation.delete()
    assert carrier in refused.value.protected_objects
    for target in (vinh_linh_plan, unit("464")):
        with pytest.raises(ProtectedError) as refused:
            target.delete()
        assert draft in refused.value.protected_objects
    assert (
        DutyCarrier.objects.filter(pk=carrier.pk).exists()
        and ReportDraft.objects.filter(pk=draft.pk).exists()
    )
