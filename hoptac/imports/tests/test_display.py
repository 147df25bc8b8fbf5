"""The import pages speak Vietnamese: field labels, outcomes, records by name with links, local time."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hoptac.imports.models import ImportBatch
from hoptac.imports.tests.test_import import district_file, rows  # noqa: F401 - the fixture
from hoptac.registry.models import Organisation

pytestmark = pytest.mark.django_db

IDENTIFIERS = re.compile(r"\b(tax_code|former_commune|commune|name|kind|error|new|changed|unchanged)\b")


def _visible_text(html: str) -> str:
    body = html.split("<main", 1)[-1] if "<main" in html else html
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)  # attribute values (name="…", value="tax_code") are not on screen
    return body


def _dry_run(client, user, rows):  # noqa: F811
    client.force_login(user)
    return client.post(
        "/imports/",
        {
            "kind": "organisations",
            "within": "464",
            "file": SimpleUploadedFile("vl.xlsx", district_file(rows)),
        },
    )


def test_the_dry_run_shows_labels_and_outcomes_in_vietnamese(client, district_officer, rows):  # noqa: F811
    response = _dry_run(client, district_officer, rows)
    text = _visible_text(response.content.decode())
    assert not IDENTIFIERS.findall(text), IDENTIFIERS.findall(text)[:10]
    assert "Mã số thuế" in text or "mã số thuế" in text.lower()


def test_the_batch_page_names_the_organisations_with_links_in_local_time(client, district_officer, rows):  # noqa: F811
    token = _dry_run(client, district_officer, rows).context["token"]
    client.post(
        "/imports/",
        {"kind": "organisations", "within": "464", "token": token, "filename": "vl.xlsx", "commit": "1"},
    )
    batch = ImportBatch.objects.get()
    page = client.get(f"/imports/batch/{batch.pk}/").content.decode()
    organisation = Organisation.objects.order_by("pk").last()
    assert f'<a href="{organisation.get_absolute_url()}">{organisation.name}</a>' in page
    assert "create organisation" not in page and "#" + str(organisation.pk) not in _visible_text(page)
    assert timezone.localtime(batch.created_at).strftime("%d/%m/%Y %H:%M") in page
    utc = batch.created_at.astimezone(datetime.UTC).strftime("%d/%m/%Y %H:%M")
    assert utc not in page  # never the UTC time beside the local one


def test_the_upload_page_picks_the_files_area_by_name(client, district_officer):
    client.force_login(district_officer)
    page = client.get("/imports/").content.decode()
    assert 'name="within"' in page and "data-unit-picker" in page and 'data-within="mine"' in page
    assert "(mã đơn vị)" not in page
