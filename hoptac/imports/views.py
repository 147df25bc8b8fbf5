"""Upload → dry run → commit → batch (with undo). The uploaded file is kept under media/imports
until committed, so the commit re-reads exactly what the dry run showed."""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hoptac.accounts import access
from hoptac.core.jobs import start as start_job
from hoptac.core.services import Conflict
from hoptac.geo.fields import resolve_ref, resolve_typed
from hoptac.geo.models import AdministrativeUnit
from hoptac.imports import exports, importer, jobs
from hoptac.imports.columns import label
from hoptac.imports.models import ImportBatch
from hoptac.imports.reading import ReadError, read

MAX_UPLOAD = 50 * 1024 * 1024


KEEP_UPLOADS = 24 * 3600  # seconds: a file only checked (never committed) is removed after a day


def _store() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def remove_stale_uploads(now: float | None = None) -> int:
    """Delete uploads older than a day (dry runs nobody committed); run on every upload."""
    limit = (now or time.time()) - KEEP_UPLOADS
    removed = 0
    for path in _store().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _mapping(post) -> dict[int, str]:
    """Column choices from the dry-run page: map_<index>=<field or empty>."""
    return {int(k[4:]): v for k, v in post.items() if k.startswith("map_") and k[4:].isdigit()}


def _plan(request, table, kind, filename, within, year, mapping=None):
    """The dry run of the table read from the stored upload."""
    context = resolve_typed(within) if within else None
    return importer.prepare(
        kind, table, filename, context=context, user=request.user, year=year, mapping=mapping
    )


def _start_job(request, token, filename, kind, within, year, mapping, sheet=None):
    """Hand a large file to a worker: the job page shows the dry run's outcome, then the import's."""
    if within:
        within = resolve_typed(within).ref  # a wrong unit is refused here, beside the form
    commit = bool(request.POST.get("commit"))
    title = (_("Import %(name)s") if commit else _("Check %(name)s")) % {"name": filename}
    job = start_job(
        request.user, jobs.import_file, kind="import", title=title, token=token, filename=filename, import_kind=kind,
        within=within, year=int(year) if year.isdigit() else None, mapping={str(k): v for k, v in mapping.items()},
        commit=commit, valid_only=bool(request.POST.get("valid_only")), sheet=sheet,
    )  # fmt: skip
    return redirect("job", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    access.require(request.user, "import")
    context = {"batches": ImportBatch.objects.filter(user=request.user)[:20], "kinds": ImportBatch.KINDS,
               "import_job_rows": settings.IMPORT_JOB_ROWS}  # fmt: skip
    if request.method == "GET":
        return render(request, "imports/upload.html", context)
    upload = request.FILES.get("file")
    kind, within, year = (
        request.POST.get("kind", "organisations"),
        request.POST.get("within", "").strip(),
        request.POST.get("year", "").strip(),
    )
    token = request.POST.get("token", "")
    try:
        if upload is not None:
            remove_stale_uploads()
            if upload.size > MAX_UPLOAD:
                raise ReadError(_("The file is larger than 50 MB."))
            token = uuid.uuid4().hex
            (_store() / token).write_bytes(upload.read())
            filename = upload.name
        else:
            filename = request.POST.get("filename", "")
            if not token.isalnum() or not (_store() / token).exists():
                raise ReadError(_("Choose a file."))
        mapping = _mapping(request.POST)
        # a new upload is read from the sheet found; a re-check or a commit from the one chosen
        sheet = (request.POST.get("sheet", "").strip() or None) if upload is None else None
        table = read((_store() / token).read_bytes(), filename, sheet=sheet)
        if len(table.rows) > settings.IMPORT_JOB_ROWS:  # a large file: checked and written by a worker
            return _start_job(request, token, filename, kind, within, year, mapping, sheet)
        plan = _plan(request, table, kind, filename, within, int(year) if year.isdigit() else None, mapping)
        if mapping and request.POST.get("save_mapping"):
            importer.save_mapping(request.user, kind, plan.columns, mapping)
    except (ReadError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return render(request, "imports/upload.html", context, status=400)
    if request.POST.get("commit"):
        try:
            batch = importer.commit(plan, user=request.user, valid_only=bool(request.POST.get("valid_only")))
        except (importer.ImportRefused, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            (_store() / token).unlink(missing_ok=True)
            messages.success(
                request,
                _("Imported: %(c)s created, %(u)s updated.") % {"c": batch.created, "u": batch.updated},
            )
            return redirect("imports:batch", pk=batch.pk)
    context.update(
        {"plan": plan, "token": token, "filename": filename, "kind": kind, "within": within, "year": year,
         "fields": [(f, label(f)) for f in importer.MAPPABLE.get(kind, [])],
         "header_rows": ", ".join(str(r) for r in plan.header_rows)}
    )  # fmt: skip
    return render(request, "imports/dry_run.html", context)


@login_required
@require_http_methods(["GET"])
def batch_detail(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk, user=request.user)
    return render(
        request,
        "imports/batch.html",
        {"batch": batch, "items": batch.items.select_related("content_type")[:500]},
    )


@login_required
@require_POST
def batch_undo(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk, user=request.user)
    access.require(request.user, "undo_import", batch)
    try:
        importer.undo(batch, user=request.user)
        messages.success(request, _("The import was undone."))
    except (ValidationError, Conflict) as exc:  # e.g. records now hold an organisation
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("imports:batch", pk=batch.pk)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET"])
def template_download(request, kind):
    """A blank template; its commune list is that of `?within=<unit ref>`, else of the user's area."""
    if kind not in ("organisations", "tht", "figures"):
        raise Http404
    communes = None
    if kind != "figures":
        within = request.GET.get("within", "").strip()
        try:
            unit = resolve_typed(within) if within else request.user.scope_unit
        except ValidationError as exc:
            raise Http404 from exc
        if unit is not None:
            covering = AdministrativeUnit.objects.current_communes_covering(unit)
            communes = sorted(covering.values_list("name", flat=True).distinct())
    response = HttpResponse(exports.template(kind, communes), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
    return response


@login_required
@require_http_methods(["GET"])
def unit_export(request, ref):
    """Everything of a unit the user may see: for archiving or handing to another system."""
    try:
        unit = resolve_ref(ref)
    except ValidationError as exc:
        raise Http404 from exc
    access.require(request.user, "measure_unit", unit)
    organisations = jobs.unit_organisations(request.user, unit)
    count = organisations.count()
    if count > settings.EXPORT_JOB_ROWS:  # a province or the country: written by a worker
        job = start_job(
            request.user, jobs.export_unit, kind="export", title=_("Export everything in %(unit)s") % {"unit": unit.full_name()},
            ref=unit.ref,
        )  # fmt: skip
        return redirect("job", pk=job.pk)
    title = f"{unit.full_name()} – {timezone.localdate():%d/%m/%Y}"
    response = HttpResponse(exports.unit_archive(organisations, title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="du-lieu-{unit.ref.replace(":", "-")}.xlsx"'
    return response
