"""The backlog of cooperatives stopped or not re-organised, and dissolution cases."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hoptac.core.audit import Actor
from hoptac.dissolution import services
from hoptac.dissolution.models import CaseKind, DissolutionCase, LegalBasis
from hoptac.registry.choices import Kind, Status
from hoptac.registry.choices import LegalBasis as RegistryBasis
from hoptac.registry.models import Organisation

BACKLOG_SINCE = datetime.date(2023, 1, 1)  # the seeds' plans start in 2023


@login_required
@require_GET
def backlog(request):
    """Seed 001 (8) and seed 004 (đ): stopped cooperatives and those not re-organised, all to be resolved."""
    visible = Organisation.objects.visible_to(request.user).filter(kind=Kind.HTX)
    pending = (
        visible.exclude(status__in=[Status.DISSOLVED, Status.MERGED])
        .filter(
            Q(status=Status.STOPPED)
            | Q(status=Status.DISSOLVING)
            | Q(reorganised=False, legal_basis__in=[RegistryBasis.LAW_2003, RegistryBasis.LAW_2012])
        )
        .select_related("commune")
        .prefetch_related("dissolution_cases")
    )
    resolved = visible.filter(
        status__in=[Status.DISSOLVED, Status.MERGED], status_since__gte=BACKLOG_SINCE
    ).count()
    total = resolved + pending.count()
    context = {"pending": pending.order_by("commune__name", "name"), "resolved": resolved, "total": total,
               "percent": round(100 * resolved / total, 1) if total else None, "since": BACKLOG_SINCE,
               "kinds": CaseKind.choices, "bases": LegalBasis.choices, "today": timezone.localdate()}  # fmt: skip
    return render(request, "dissolution/backlog.html", context)


@login_required
@require_POST
def open_case(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    try:
        day = forms.DateField().clean(request.POST.get("opened_on"))
        case = services.open_case(Actor.from_request(request), organisation, request.POST.get("kind", ""),
                                  request.POST.get("legal_basis", ""), request.POST.get("deciding_body", "").strip(), day)  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("dissolution:backlog")
    return redirect("dissolution:case", pk=case.pk)


@login_required
def case_detail(request, pk):
    case = get_object_or_404(
        DissolutionCase.objects.filter(organisation__in=Organisation.objects.visible_to(request.user)), pk=pk
    )
    if request.method == "POST":
        actor = Actor.from_request(request)
        try:
            day = forms.DateField().clean(request.POST.get("date"))
            if request.POST.get("close"):
                services.close_case(actor, case, day, request.POST.get("decision", "").strip())
            else:
                services.add_step(
                    actor,
                    case,
                    request.POST.get("name", "").strip() or _("Step"),
                    day,
                    request.POST.get("note", ""),
                )
            return redirect("dissolution:case", pk=case.pk)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return render(request, "dissolution/case.html", {"case": case, "steps": case.steps.all()})
