"""Large imports as background jobs (core.jobs): the same dry run and commit as the upload page,
with progress. The commit is `importer.commit`'s one transaction, so a cancel, a failure or a
killed worker writes nothing, and a job run again after an interruption imports the file once."""

from django.urls import reverse
from django.utils.translation import gettext as _

from hoptac.core.jobs import JobFailed, Outcome, job_task
from hoptac.geo.fields import resolve_ref
from hoptac.imports import importer
from hoptac.imports.reading import ReadError, read

MAX_ERRORS_SHOWN = 30


def _uploads():
    from hoptac.imports.views import _store  # the upload store belongs to the pages

    return _store()


@job_task
def import_file(job, progress, token, filename, import_kind, within="", year=None, mapping=None, commit=False,
                valid_only=False, sheet=None):  # fmt: skip
    """Check a stored upload (the dry run) and, when asked, import it."""
    path = _uploads() / token
    if not path.exists():
        raise JobFailed(_("The uploaded file is no longer kept (files are kept a day); upload it again."))
    progress.step(0, None, _("Reading the file…"), force=True)
    try:
        table = read(path.read_bytes(), filename, sheet=sheet)
    except ReadError as exc:
        raise JobFailed(str(exc)) from exc
    kind = import_kind
    plan = importer.prepare(
        kind, table, filename, context=resolve_ref(within) if within else None, user=job.owner, year=year,
        mapping={int(k): v for k, v in (mapping or {}).items()},
        progress=lambda done, total: progress.step(done, total, _("Checking the rows…")),
    )  # fmt: skip
    counts = {o: plan.count(o) for o in ("new", "changed", "unchanged", "error")}
    summary = {
        "summary_lines": [
            _("%(n)s rows: %(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(error)s with errors.")
            % {"n": len(plan.rows), **counts}
        ],
        "errors": [
            _("row %(row)s: %(errors)s") % {"row": r.number, "errors": "; ".join(r.errors)}
            for r in plan.rows
            if r.outcome == "error"
        ][:MAX_ERRORS_SHOWN],
        "has_errors": plan.has_errors,
    }
    if not commit:
        summary.update(
            commit_form=reverse("imports:upload"),
            commit_fields={"token": token, "filename": filename, "kind": kind, "within": within or "",
                           "year": year or "", "sheet": sheet or ""},
        )  # fmt: skip
        return Outcome(summary=summary, message=_("Checked: nothing was written yet."))
    progress.step(len(plan.rows), len(plan.rows), _("Writing to the database…"), force=True)
    try:
        batch = importer.commit(plan, user=job.owner, valid_only=valid_only)
    except importer.ImportRefused as exc:
        raise JobFailed(str(exc)) from exc
    path.unlink(missing_ok=True)
    return Outcome(
        summary={**summary, "link_label": _("Open the import")},
        link=reverse("imports:batch", args=[batch.pk]),
        message=_("Imported: %(c)s created, %(u)s updated.") % {"c": batch.created, "u": batch.updated},
    )


def unit_organisations(user, unit):
    from hoptac.registry.models import Organisation

    return Organisation.objects.in_unit(unit).filter(pk__in=Organisation.objects.restrict(user).values("pk"))


@job_task
def export_unit(job, progress, ref: str):
    """Everything of a unit the user may see (registry, figures, grades) as one .xlsx."""
    from django.utils import timezone

    from hoptac.accounts import access
    from hoptac.imports import exports

    unit = resolve_ref(ref)
    access.require(job.owner, "measure_unit", unit)
    organisations = unit_organisations(job.owner, unit)
    progress.step(0, None, _("Gathering the registry, figures and grades…"), force=True)
    title = f"{unit.full_name()} – {timezone.localdate():%d/%m/%Y}"
    data = exports.unit_archive(organisations, title)
    return Outcome(file_name=f"du-lieu-{unit.ref.replace(':', '-')}.xlsx", file_bytes=data)
