"""Errors block, warnings ask to confirm; messages name the field in Vietnamese."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.test import APIClient

from hoptac.core.audit import Actor
from hoptac.figures import services
from hoptac.figures.models import AnnualFigures

pytestmark = pytest.mark.django_db


def save(org, data, year=2024, **kw):
    return services.save_figures(Actor.command(), org, year, data, **kw)


def test_members_among_workers_cannot_exceed_workers(vinh_linh_htx):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        save(vinh_linh_htx, {"workers": 5, "workers_members": 8})
    assert "workers_members" in exc.value.message_dict
    assert "lao động" in exc.value.message_dict["workers_members"][0].lower()
    assert not AnnualFigures.objects.exists()


def test_degree_holding_managers_cannot_exceed_managers(vinh_linh_htx):
    with pytest.raises(ValidationError) as exc:
        save(vinh_linh_htx, {"managers": 3, "managers_degree": 4})
    assert "managers_degree" in exc.value.message_dict


def test_amounts_cannot_be_negative_but_a_loss_can(vinh_linh_htx):
    with pytest.raises(ValidationError) as exc:
        save(vinh_linh_htx, {"revenue": -5})
    assert "revenue" in exc.value.message_dict
    assert (
        save(
            vinh_linh_htx,
            {"members_official": 12, "profit_before_tax": -20_000_000, "profit_after_tax": -20_000_000},
        ).profit_before_tax
        == -20_000_000
    )


def test_fewer_than_five_official_members_is_a_warning_citing_the_law(vinh_linh_htx):
    with translation.override("vi"), pytest.raises(services.UnconfirmedWarnings) as exc:
        save(vinh_linh_htx, {"members_official": 3})
    assert "Luật Hợp tác xã 2023" in exc.value.warnings["members_official"][0]
    figures = save(vinh_linh_htx, {"members_official": 3}, confirm_warnings=True)
    assert figures.members_official == 3 and figures.confirmed_warnings


def test_ten_times_last_year_is_flagged_as_an_outlier(vinh_linh_htx):
    save(vinh_linh_htx, {"members_official": 20, "revenue": 500_000_000}, year=2023)
    with pytest.raises(services.UnconfirmedWarnings) as exc:
        save(vinh_linh_htx, {"members_official": 20, "revenue": 5_000_000_000}, year=2024)
    assert list(exc.value.warnings) == ["revenue"]


def test_api_reports_warnings_and_accepts_confirmation(province_officer, vinh_linh_htx):
    client = APIClient()
    client.force_authenticate(province_officer)
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2024/"
    response = client.put(url, {"members_official": 2}, format="json")
    assert response.status_code == 400 and "members_official" in response.json()["warnings"]
    assert (
        client.put(url, {"members_official": 2, "confirm_warnings": True}, format="json").status_code == 200
    )
    bad = client.put(url, {"revenue": "nhiều"}, format="json")
    assert bad.status_code == 400 and "revenue" in bad.json()


def test_entry_page_reads_vietnamese_numbers(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    response = client.post(
        f"/figures/{vinh_linh_htx.pk}/2024/",
        {
            "members_official": "1.250",
            "revenue": "1.234.567.000",
            "workers": "12",
            "workers_members": "10",
            "high_tech": "on",
        },
    )
    assert response.status_code == 302
    figures = AnnualFigures.objects.get(organisation=vinh_linh_htx, year=2024)
    assert (figures.members_official, figures.revenue, figures.high_tech) == (1250, 1_234_567_000, True)
    page = client.get(f"/figures/{vinh_linh_htx.pk}/2024/").content.decode()
    assert "1.234.567.000" in page


def test_entry_page_shows_errors_beside_the_field(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    response = client.post(
        f"/figures/{vinh_linh_htx.pk}/2024/", {"workers": "5", "workers_members": "8", "revenue": "12,5"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "revenue" in form.errors or "workers_members" in form.errors


def test_locked_figures_refuse_edits_in_the_ui(client, province_officer, vinh_linh_htx):
    actor = Actor.command()
    figures = services.save_figures(actor, vinh_linh_htx, 2024, {"members_official": 30})
    services.approve(actor, services.submit(actor, figures))
    client.force_login(province_officer)
    client.post(f"/figures/{vinh_linh_htx.pk}/2024/", {"members_official": "31"})
    figures.refresh_from_db()
    assert figures.members_official == 30
