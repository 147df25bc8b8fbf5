"""Pages of the plumbing: the liveness check, the favicon and the pages of background jobs (the
home page is the registry's, `registry.views.home`)."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hoptac.core import jobs
from hoptac.core.models import Job

FAVICON = Path(__file__).resolve().parent.parent / "static" / "hoptac" / "favicon.ico"


def livez(request):
    """Liveness for a load balancer: the process answers (no database, no session)."""
    return HttpResponse("ok", content_type="text/plain")


# -- background jobs (core.jobs): the user's own jobs only; another's is a 404 ------------------


def _own_job(request, pk):
    return get_object_or_404(Job, pk=pk, owner=request.user)


@login_required
@require_GET
def job_list(request):
    return render(request, "core/job_list.html", {"jobs": Job.objects.filter(owner=request.user)[:50]})


@login_required
@require_GET
def job_detail(request, pk):
    """The job's page: the progress bar polls `job_progress` (htmx) until the job ends."""
    job = _own_job(request, pk)
    template = "core/_job_progress.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job, "progress": jobs.live(job), "now": timezone.now()})


@login_required
@require_POST
def job_cancel(request, pk):
    job = _own_job(request, pk)
    jobs.cancel(job)
    if not job.finished:
        messages.info(request, _("Cancelling: the job stops at its next step and writes nothing."))
    return redirect("job", pk=job.pk)


@login_required
@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.state != Job.State.DONE or not job.result_name:
        raise Http404
    if not job.result_file or (job.result_expires_at and job.result_expires_at < timezone.now()):
        return render(
            request, "core/job.html", {"job": job, "progress": jobs.live(job), "expired": True}, status=410
        )
    response = FileResponse(
        default_storage.open(job.result_file, "rb"), as_attachment=True, filename=job.result_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def favicon(request):
    """`/favicon.ico`, which browsers ask for on every first page (pages also link the SVG one)."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
