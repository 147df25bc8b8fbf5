"""Pages of the plumbing: the liveness check and the favicon (the home page is the registry's,
`registry.views.home`)."""

from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import require_GET

FAVICON = Path(__file__).resolve().parent.parent / "static" / "hoptac" / "favicon.ico"


def livez(request):
    """Liveness for a load balancer: the process answers (no database, no session)."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request):
    """`/favicon.ico`, which browsers ask for on every first page (pages also link the SVG one)."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
