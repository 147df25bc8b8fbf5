"""Task evidence is checked by content on upload and served only to those who may see the task."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoptac.conftest import make_user
from hoptac.core.audit import Actor
from hoptac.plans.loader import load_plans
from hoptac.plans.models import Plan
from hoptac.tasks import services
from hoptac.tasks.models import TaskUpdate
from hoptac.tasks.tests.test_tasks import PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plans.json"
    path.write_text(json.dumps([PLAN], ensure_ascii=False), encoding="utf-8")
    load_plans(path)
    return Plan.objects.get(key=PLAN["key"])


@pytest.fixture
def lead_officer(plan):
    officer = make_user("vhtt", "officer", "464")
    officer.agency = plan.tasks.get(code="1.2").lead.first()
    officer.save()
    return officer


def test_html_evidence_is_refused_with_the_field_named(plan, lead_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    task = plan.tasks.get(code="1.2")
    with pytest.raises(ValidationError) as refused:
        services.add_update(Actor(user=lead_officer, source="web"), task, "done",
                            attachment=SimpleUploadedFile("evidence.html", b"<script>alert(1)</script>"))  # fmt: skip
    assert "attachment" in refused.value.message_dict
    assert not TaskUpdate.objects.exists() and not any((tmp_path / "media").rglob("*"))


def test_evidence_is_an_attachment_for_the_area_and_404_outside(
    plan,
    lead_officer,
    client,
    settings,
    tmp_path,
    other_officer,
    province_officer,
):
    settings.MEDIA_ROOT = tmp_path
    task = plan.tasks.get(code="1.2")
    update = services.add_update(Actor(user=lead_officer, source="web"), task, "done",
                                 attachment=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\nbien ban\n"))  # fmt: skip
    assert update.attachment.name.endswith(".pdf") and "bien-ban" not in update.attachment.name
    url = f"/tasks/updates/{update.pk}/evidence/"
    client.force_login(province_officer)
    assert url in client.get(f"/tasks/{task.pk}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(other_officer)  # another province
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in
    assert client.get("/media/" + update.attachment.name).status_code == 404  # no public path


def test_behind_nginx_the_proxy_sends_the_bytes(
    plan, lead_officer, client, settings, tmp_path, province_officer
):
    settings.MEDIA_ROOT = tmp_path
    settings.HOPTAC_SENDFILE = "nginx"
    update = services.add_update(Actor(user=lead_officer, source="web"), plan.tasks.get(code="1.2"), "done",
                                 attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"))  # fmt: skip
    client.force_login(province_officer)
    response = client.get(f"/tasks/updates/{update.pk}/evidence/")
    assert response["X-Accel-Redirect"] == f"/protected/{update.attachment.name}" and response.content == b""
