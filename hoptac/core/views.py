"""The start page: what the signed-in user's area holds."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render

from hoptac.registry.choices import Kind, Status
from hoptac.registry.models import Organisation


@login_required
def home(request):
    visible = Organisation.objects.restrict(request.user)
    counts = visible.values("kind").annotate(
        total=Count("id"), active=Count("id", filter=Q(status=Status.ACTIVE))
    )
    by_kind = {row["kind"]: row for row in counts}
    summary = [
        {
            "kind": kind,
            "label": kind.label,
            "total": by_kind.get(kind, {}).get("total", 0),
            "active": by_kind.get(kind, {}).get("active", 0),
        }
        for kind in Kind
    ]
    return render(request, "home.html", {"summary": summary, "scope": request.user.scope_unit})


def livez(request):
    """Liveness for a load balancer: the process answers (no database, no session)."""
    return HttpResponse("ok", content_type="text/plain")
