"""Classifying a year (TT 01/2020 grades of every assessment) as a background job (core.jobs):
`services.classify_year` writes in one transaction, so a cancel or a failure changes nothing."""

from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core.audit import Actor
from hoptac.core.jobs import Outcome, job_task
from hoptac.core.models import Source
from hoptac.figures.services import classify_year
from hoptac.geo.fields import resolve_ref
from hoptac.registry.models import Organisation


@job_task
def classify(job, progress, year: int, ref: str = ""):
    """Recompute the grades of `year` in the unit `ref` (the whole country when empty)."""
    unit = resolve_ref(ref) if ref else None
    actor = Actor(user=job.owner, source=Source.WEB)
    access.require(actor, "classify", unit)
    progress.step(0, None, _("Recomputing the grades…"), force=True)
    counts = classify_year(actor, year, Organisation.objects.in_unit(unit) if unit else None)
    changed, locked = counts.pop("changed"), counts.pop("locked")
    total = sum(counts.values())
    progress.step(total, total)
    return Outcome(
        summary={"summary_lines": [
            _("%(n)s assessments for %(year)s; %(changed)s changed; %(locked)s left as approved (figures locked).")
            % {"n": total, "year": year, "changed": changed, "locked": locked}
        ]},
        message=_("Grades recomputed."),
    )  # fmt: skip
