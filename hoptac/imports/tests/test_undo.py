"""Undoing an import: what it created goes in a few statements, with the same refusals and trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.core.audit import Actor
from hoptac.core.models import AuditEntry
from hoptac.figures import services as figures
from hoptac.figures.models import AnnualFigures
from hoptac.imports import importer
from hoptac.imports.models import ImportBatch
from hoptac.imports.tests.test_import import ROWS, codes, district_file, plan_for
from hoptac.registry.models import Organisation
from hoptac.registry.services import OrganisationHeld

pytestmark = pytest.mark.django_db
COMMAND = Actor.command()


def imported(n, user):
    rows = [
        (f"HTX Thử nghiệm hoàn tác {i}", code, ROWS[i % 3][2], "", 10 + i) for i, code in enumerate(codes(n))
    ]
    return importer.commit(plan_for(district_file(rows, legacy=False), user), user=user)


def undo_queries(batch, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        importer.undo(batch, user=user)
    return len(queries)


def test_undo_asks_as_many_queries_for_thirty_rows_as_for_six(district_officer):
    small = undo_queries(imported(6, district_officer), district_officer)
    assert not Organisation.objects.exists()
    large = undo_queries(imported(30, district_officer), district_officer)
    assert not Organisation.objects.exists()
    assert large <= small  # (the first may warm caches) was ~45 queries per organisation: 179 s for 5,000


def test_each_deleted_organisation_leaves_its_entry_with_what_it_was(district_officer):
    batch = imported(4, district_officer)
    kept = {o.pk: (o.name, o.commune_id) for o in Organisation.objects.all()}
    importer.undo(batch, user=district_officer)
    entries = AuditEntry.objects.filter(action="delete", content_type__model="organisation")
    assert {int(e.object_id): (e.before["name"], e.before["commune"]) for e in entries} == kept
    assert all(e.user == district_officer and e.source == "import" for e in entries)
    assert ImportBatch.objects.get().undone_at


def test_a_draft_added_since_goes_with_its_organisation_and_its_own_entry(district_officer):
    batch = imported(3, district_officer)
    org = Organisation.objects.order_by("pk").first()
    figures.save_figures(COMMAND, org, 2024, {"members_official": 12})  # a draft: not an approved record
    importer.undo(batch, user=district_officer)
    assert not Organisation.objects.exists() and not AnnualFigures.objects.exists()
    assert AuditEntry.objects.filter(action="delete", content_type__model="annualfigures").count() == 1


def test_an_organisation_holding_approved_figures_refuses_the_undo_and_nothing_goes(district_officer):
    batch = imported(5, district_officer)
    held = Organisation.objects.order_by("pk")[2]
    figures.approve(
        COMMAND, figures.submit(COMMAND, figures.save_figures(COMMAND, held, 2024, {"members_official": 9}))
    )
    with pytest.raises(OrganisationHeld, match=held.name):
        importer.undo(batch, user=district_officer)
    assert Organisation.objects.count() == 5 and not ImportBatch.objects.get().undone_at
    assert not AuditEntry.objects.filter(action="delete").exists()
