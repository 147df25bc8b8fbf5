"""Pages of the plumbing: the liveness check (the home page is the registry's, `registry.views.home`)."""

from django.http import HttpResponse


def livez(request):
    """Liveness for a load balancer: the process answers (no database, no session)."""
    return HttpResponse("ok", content_type="text/plain")
