"""Training pages: the cooperative's section, forms naming the field, scope 404, read-only 403, exports."""

import csv
import io

import pytest

from hoptac.core.audit import Actor
from hoptac.training import services
from hoptac.training.models import Manager, Training

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(vinh_linh_htx):
    return services.add_manager(
        Actor.command(), vinh_linh_htx, {"name": "Lê Văn Tâm", "role": "director", "education": "degree"}
    )


def test_recording_a_manager_and_a_course_from_the_cooperatives_page(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    assert (
        f"/training/new/{vinh_linh_htx.pk}/" in client.get(vinh_linh_htx.get_absolute_url()).content.decode()
    )
    bad = client.post(
        f"/training/new/{vinh_linh_htx.pk}/",
        {"name": "Lê Văn Tâm", "role": "director", "education": "degree", "birth_year": "1890"},
    )
    assert bad.status_code == 400 and "birth_year" in bad.context["form"].errors
    client.post(
        f"/training/new/{vinh_linh_htx.pk}/",
        {"name": "Lê Văn Tâm", "role": "director", "education": "degree", "birth_year": "1995"},
    )
    manager = Manager.objects.get()
    late = client.post(f"/training/managers/{manager.pk}/train/", {"course": "Sơ cấp nghề giám đốc", "level": "director",
                                                                    "start": "01/03/2024", "end": "01/01/2024"})  # fmt: skip
    assert late.status_code == 400 and "end" in late.context["form"].errors
    client.post(
        f"/training/managers/{manager.pk}/train/",
        {"course": "Sơ cấp nghề giám đốc", "level": "director", "start": "01/03/2024"},
    )
    assert Training.objects.get().manager == manager
    assert "Sơ cấp nghề giám đốc" in client.get(vinh_linh_htx.get_absolute_url()).content.decode()
    assert (
        "under 35" in client.get(manager.get_absolute_url()).content.decode()
        or "dưới 35" in client.get(manager.get_absolute_url()).content.decode()
    )


def test_scope_404_and_read_only_403(client, other_officer, viewer, director):
    client.force_login(other_officer)
    assert client.get(f"/training/managers/{director.pk}/").status_code == 404
    assert client.get(f"/training/new/{director.organisation_id}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/training/managers/{director.pk}/").status_code == 200
    assert client.post(f"/training/managers/{director.pk}/train/", {}).status_code == 403
    assert client.get(f"/training/managers/{director.pk}/train/").status_code == 405


def test_the_list_filters_and_the_exports_are_scoped(client, commune_officer, director, hanoi_htx):
    services.add_manager(
        Actor.command(), hanoi_htx, {"name": "Nguyễn Văn Hà", "role": "director", "education": "none"}
    )
    client.force_login(commune_officer)
    page = client.get("/training/", {"trained": "no"}).content.decode()
    assert "Lê Văn Tâm" in page and "Nguyễn Văn Hà" not in page
    body = b"".join(client.get("/training/export.csv").streaming_content).decode("utf-8-sig")
    assert [r[2] for r in list(csv.reader(io.StringIO(body)))[1:]] == ["Lê Văn Tâm"]
    assert client.get("/training/export.xlsx", {"role": "director"}).status_code == 200
