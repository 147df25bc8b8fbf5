"""The loaders' bulk path (`load_figures`, `assess_many`) leaves what one set at a time leaves:
the same statuses, approved versions, audit trail and refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.conftest import make_organisation, scores_totalling
from hoptac.core.audit import Actor, history
from hoptac.figures import loaders, services
from hoptac.figures.models import AnnualFigures, Assessment

pytestmark = pytest.mark.django_db

GOOD = {"members_official": 40, "workers": 12, "workers_members": 10, "managers": 5, "managers_degree": 2,
        "revenue": 1_200_000_000, "profit_before_tax": 90_000_000, "digital_einvoice": True}  # fmt: skip


def trail(figures):
    return [(e.action, (e.after or {}).get("status")) for e in reversed(list(history(figures)))]


def test_bulk_sets_match_the_one_by_one_workflow(vinh_linh_htx):
    actor = Actor.command()
    other = make_organisation("19363", name="HTX Nông nghiệp Vĩnh Hòa")
    one = services.approve(actor, services.submit(actor, services.save_figures(actor, other, 2023, GOOD)))
    rows = [
        loaders.FiguresRow(vinh_linh_htx, 2023, GOOD, status="approved"),
        loaders.FiguresRow(vinh_linh_htx, 2024, {**GOOD, "revenue": 1_300_000_000}, status="approved"),
        loaders.FiguresRow(vinh_linh_htx, 2026, GOOD, is_estimate=True, status="submitted"),
    ]
    loaded = loaders.load_figures(actor, rows)
    first = AnnualFigures.objects.get(pk=loaded[0].pk)
    assert first.status == one.status == "approved" and first.approved_at and first.submitted_at
    assert first.digital_transformation and one.digital_transformation  # derived as save() does
    assert (
        trail(first) == trail(one) == [("create", "draft"), ("status", "submitted"), ("status", "approved")]
    )
    assert first.versions.get().data["revenue"] == 1_200_000_000
    estimate = AnnualFigures.objects.get(pk=loaded[2].pk)
    assert estimate.status == "submitted" and not estimate.versions.exists()
    assert trail(estimate) == [("create", "draft"), ("status", "submitted")]


def test_bulk_load_refuses_the_whole_batch_naming_the_row(vinh_linh_htx, cooperative_user, hanoi_htx):
    actor = Actor.command()
    bad = {**GOOD, "members_official": -3}
    with pytest.raises(ValidationError, match="Dòng 2 .*năm 2024"):
        loaders.load_figures(actor, [loaders.FiguresRow(vinh_linh_htx, 2023, GOOD),
                                      loaders.FiguresRow(vinh_linh_htx, 2024, bad)])  # fmt: skip
    assert not AnnualFigures.objects.exists()
    services.save_figures(actor, vinh_linh_htx, 2022, GOOD)
    with pytest.raises(ValidationError):  # an existing set is edited one by one, not loaded again
        loaders.load_figures(actor, [loaders.FiguresRow(vinh_linh_htx, 2022, GOOD)])
    coop = Actor.command(cooperative_user)
    with pytest.raises(PermissionDenied):  # a cooperative does not approve, in bulk either
        loaders.load_figures(coop, [loaders.FiguresRow(vinh_linh_htx, 2023, GOOD, status="approved")])
    with pytest.raises(PermissionDenied):  # nor enters another's figures
        loaders.load_figures(coop, [loaders.FiguresRow(hanoi_htx, 2023, GOOD)])


def test_assess_many_grades_like_assess_and_respects_the_lock(vinh_linh_htx):
    actor = Actor.command()
    other = make_organisation("19363", name="HTX Nông nghiệp Vĩnh Hòa", registration_date="2015-01-01")
    single = services.assess(actor, other, 2023, self_scores=scores_totalling("82"))
    [bulk] = loaders.assess_many(actor, [(vinh_linh_htx, 2023, scores_totalling("82"))])
    bulk = Assessment.objects.get(pk=bulk.pk)
    assert (bulk.score, bulk.grade, bulk.rubric_id) == (single.score, single.grade, single.rubric_id)
    assert [e.action for e in history(bulk)] == ["create"]
    loaders.load_figures(actor, [loaders.FiguresRow(vinh_linh_htx, 2022, GOOD, status="approved")])
    with pytest.raises(services.FiguresLocked):
        loaders.assess_many(actor, [(vinh_linh_htx, 2022, scores_totalling("82"))])
    with pytest.raises(ValidationError, match="99"):
        loaders.assess_many(actor, [(other, 2022, {"99": "1"})])
