"""The annual update to the national cooperative information system (TT 09/2024/TT-BKHĐT Điều 6):
due 15/12, Forms VII-1 (THT), VII-2 (HTX), VII-3 (LH HTX), from 01/07/2024."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from hoptac.conftest import make_organisation, make_user
from hoptac.core.audit import Actor
from hoptac.core.models import AuditEntry
from hoptac.figures import services as figures
from hoptac.registry.models import Organisation
from hoptac.reporting import information, services
from hoptac.reporting.models import InformationUpdateDue, Notification

pytestmark = pytest.mark.django_db
ACTOR = Actor.command()


def approved(org, year, **values):
    f = figures.save_figures(ACTOR, org, year, values, confirm_warnings=True)
    return figures.approve(ACTOR, figures.submit(ACTOR, f))


def due_of(org, year):
    information.ensure_dues(year, Organisation.objects.filter(pk=org.pk))
    return InformationUpdateDue.objects.get(organisation=org, year=year)


def test_the_form_follows_the_kind_and_the_groups_regime():
    htx = make_organisation()
    union = make_organisation(kind="lhhtx", name="Liên hiệp HTX Vĩnh Linh")
    registered = make_organisation(kind="tht", tax_code="", name="THT A", tht_regime="luat_htx_2023")
    contract = make_organisation(kind="tht", tax_code="", name="THT B", tht_regime="nd77_contract")
    unknown = make_organisation(kind="tht", tax_code="", name="THT C")
    fund = make_organisation(kind="qtdnd", name="QTDND Hồ Xá")
    assert information.form_for(htx)["code"] == "VII-2"
    assert information.form_for(union)["code"] == "VII-3"
    assert information.form_for(registered)["code"] == "VII-1"
    for org in (contract, unknown, fund):
        assert information.form_for(org) is None
    assert "NĐ 77/2019" in information.why_not(contract)
    assert information.why_not(unknown).startswith("Chưa ghi nhận chế độ của tổ hợp tác")
    information.ensure_dues(2025)
    assert set(InformationUpdateDue.objects.filter(year=2025).values_list("organisation", "form_code")) == {
        (htx.pk, "VII-2"), (union.pk, "VII-3"), (registered.pk, "VII-1"),
    }  # fmt: skip


def test_the_period_runs_from_15_december_to_14_december_and_starts_with_the_circular():
    first = information.period(2024)
    assert (first.start, first.end, first.due) == (
        datetime.date(2024, 7, 1), datetime.date(2024, 12, 14), datetime.date(2024, 12, 15),
    )  # fmt: skip
    later = information.period(2026)
    assert (later.start, later.end, later.due) == (
        datetime.date(2025, 12, 15), datetime.date(2026, 12, 14), datetime.date(2026, 12, 15),
    )  # fmt: skip
    assert information.period(2023) is None  # before TT 09/2024 was in force
    assert information.years_due(datetime.date(2026, 3, 1)) == [2024, 2025, 2026]


def test_dues_are_made_once_and_only_while_the_organisation_exists():
    old = make_organisation()
    new = make_organisation(registration_date=datetime.date(2026, 3, 2))
    gone = make_organisation()
    Organisation.objects.filter(pk=gone.pk).update(
        status="dissolved", status_since=datetime.date(2025, 1, 10)
    )
    assert information.ensure_dues(2025) >= 1
    assert information.ensure_dues(2025) == 0  # idempotent
    assert InformationUpdateDue.objects.filter(organisation=old, year=2025).exists()
    assert not InformationUpdateDue.objects.filter(organisation=new, year=2025).exists()
    assert not InformationUpdateDue.objects.filter(organisation=gone, year=2025).exists()
    assert due_of(new, 2026).period_start == datetime.date(
        2026, 3, 2
    )  # its first period starts on registration
    assert [d.year for d in information.dues_of(old, datetime.date(2026, 1, 5))] == [2026, 2025, 2024]


def test_the_sheet_is_prefilled_from_the_approved_figures_and_says_its_fields_are_unconfirmed(client):
    htx = make_organisation(name="Hợp tác xã Vĩnh Thái", director_name="Lê Văn Tám")
    approved(htx, 2025, members_official=27, revenue=1_390_000_000)
    user = make_user("htx_vt", "cooperative", organisation=htx)
    client.force_login(user)
    due = due_of(htx, 2025)
    response = client.get(f"/reporting/information-updates/{due.pk}.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'cap-nhat-vii-2-{htx.pk}-2025.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    text = " ".join(str(c) for row in cells for c in row if c is not None)
    assert "Mẫu VII-2" in text and "Thông tư 09/2024/TT-BKHĐT" in text
    assert "CHƯA ĐƯỢC XÁC NHẬN" in text  # the notice on the sheet
    assert "15/12/2024 – 14/12/2025" in text and "15/12/2025" in text
    values = {row[1]: row[2] for row in cells if len(row) > 2 and row[1]}
    assert values["Tên hợp tác xã"] == "Hợp tác xã Vĩnh Thái"
    assert values["Người đại diện theo pháp luật"] == "Lê Văn Tám"
    assert values["Số thành viên chính thức"] == 27
    assert values["Doanh thu (đồng)"] == 1_390_000_000
    sources = {row[1]: row[3] for row in cells if len(row) > 3 and row[1]}
    assert sources["Doanh thu (đồng)"] == "số liệu đã duyệt năm 2025"


def test_the_cooperative_sees_its_update_and_records_it_audited(client):
    htx = make_organisation(name="Hợp tác xã Vĩnh Thái")
    user = make_user("htx_vt", "cooperative", organisation=htx)
    client.force_login(user)
    page = client.get(f"/registry/{htx.pk}/").content.decode()
    assert "Cập nhật thông tin hằng năm" in page or "Hệ thống thông tin quốc gia" in page
    due = InformationUpdateDue.objects.get(organisation=htx, year=2024)  # made when the page was shown
    assert "VII-2" in page and "15/12/2024" in page and "hiệu lực từ 01/07/2024" in page
    response = client.post(
        f"/reporting/information-updates/{due.pk}/record/",
        {"submitted_on": "10/12/2024", "reference": "HTTQG-2024-118"},
    )
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.submitted_on == datetime.date(2024, 12, 10) and due.on_time and due.submitted_by == user
    assert due.reference == "HTTQG-2024-118"
    entry = AuditEntry.objects.filter(object_id=str(due.pk), content_type__model="informationupdatedue").get()
    assert entry.after["submitted_on"] == "2024-12-10" and entry.user == user
    with pytest.raises(ValidationError) as exc:  # once only
        services.record_information_update(Actor(user, "web"), due, datetime.date(2024, 12, 11))
    assert "submitted_on" in exc.value.message_dict


def test_a_day_in_the_future_or_before_the_period_is_refused():
    due = due_of(make_organisation(), 2025)
    for day in (datetime.date(2100, 1, 1), datetime.date(2024, 1, 1), None):
        with pytest.raises(ValidationError) as exc:
            services.record_information_update(ACTOR, due, day)
        assert "submitted_on" in exc.value.message_dict


def test_others_cannot_see_or_record_it(
    client, vinh_linh_htx, second_cooperative_user, viewer, commune_officer
):
    due = due_of(vinh_linh_htx, 2025)
    client.force_login(second_cooperative_user)
    assert client.get(f"/reporting/information-updates/{due.pk}.xlsx").status_code == 404
    assert (
        client.post(
            f"/reporting/information-updates/{due.pk}/record/", {"submitted_on": "01/12/2025"}
        ).status_code
        == 404
    )
    client.force_login(viewer)  # the province's viewer reads it but records nothing
    assert client.get(f"/reporting/information-updates/{due.pk}.xlsx").status_code == 200
    assert (
        client.post(
            f"/reporting/information-updates/{due.pk}/record/", {"submitted_on": "01/12/2025"}
        ).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.record_information_update(Actor(viewer, "web"), due, datetime.date(2025, 12, 1))
    # the commune's officer records it for a group that cannot
    services.record_information_update(Actor(commune_officer, "web"), due, datetime.date(2025, 12, 20))
    due.refresh_from_db()
    assert due.state_on(datetime.date(2026, 1, 1)) == "late"
    assert client.get(f"/reporting/information-updates/{due.pk}/record/").status_code == 405


def test_officers_see_completeness_per_commune(client, commune_officer, hanoi_htx):
    done = make_organisation(name="HTX Đã cập nhật")
    make_organisation(name="HTX Chưa cập nhật")
    make_organisation(
        kind="tht", tax_code="", name="THT Hợp đồng", tht_regime="nd77_contract"
    )  # owes nothing
    make_organisation(
        kind="tht", tax_code="", name="THT Chưa rõ chế độ"
    )  # may owe VII-1: its regime is asked for
    services.record_information_update(ACTOR, due_of(done, 2025), datetime.date(2025, 12, 1))
    client.force_login(commune_officer)
    response = client.get("/reporting/information-updates/?year=2025")
    assert response.status_code == 200
    rows = response.context["by_commune"]
    assert [
        (r["organisation__commune__name"], r["expected"], r["submitted"], r["on_time"]) for r in rows
    ] == [("Xã Vĩnh Linh", 2, 1, 1)]
    page = response.content.decode()
    assert "HTX Chưa cập nhật" in page and "HTX Đã cập nhật" not in page.split('id="missing"')[1]
    assert hanoi_htx.name not in page
    assert response.context["unknown_regime"] == 1, response.context["unknown_regime"]
    assert "1 tổ hợp tác chưa ghi nhận chế độ" in page
    assert client.get("/reporting/information-updates/?year=abc").status_code == 400
    assert client.get("/reporting/information-updates/?year=2099").status_code == 200
    assert not InformationUpdateDue.objects.filter(year=2099).exists()


def test_reminders_go_to_the_cooperative_a_week_before_and_once_after():
    htx = make_organisation()
    user = make_user("htx_nhac", "cooperative", organisation=htx)
    sent = services.remind_information_updates(datetime.date(2026, 12, 10))
    assert sent["before"] >= 1
    assert Notification.objects.filter(user=user, message__contains="VII-2").count() == 1
    assert services.remind_information_updates(datetime.date(2026, 12, 11))["before"] == 0
    assert services.remind_information_updates(datetime.date(2026, 12, 20))["overdue"] >= 1
    assert Notification.objects.filter(user=user).count() == 2


def test_the_api_lists_the_updates_the_account_sees(vinh_linh_htx, hanoi_htx, cooperative_user):
    from rest_framework.test import APIClient

    information.ensure_dues(2025)
    client = APIClient()
    client.force_authenticate(cooperative_user)
    data = client.get("/api/v1/information-updates/", {"year": 2025}).json()
    assert [(r["organisation"], r["form"], r["due_date"]) for r in data["results"]] == [
        (vinh_linh_htx.pk, "VII-2", "2025-12-15")
    ]
    assert client.get("/api/v1/information-updates/", {"year": "x"}).status_code == 400
    assert client.get("/api/v1/information-updates/", {"organisation": hanoi_htx.pk}).json()["results"] == []
