"""The bodies (agencies): which have ceased, and who succeeded them (an administrator records it).

NĐ 150/2025 ended the district bodies on 30/06/2025; their work passed to the communes' and the
province's bodies. Which successor takes which body's work is recorded here, dated, with the act.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hoptac.accounts import access, services
from hoptac.accounts.models import Agency
from hoptac.accounts.structure import body_choices, resolve_body_choice
from hoptac.core.audit import Actor
from hoptac.core.text import fold
from hoptac.geo.models import AdministrativeUnit, Level, parse_date


def _ceased(today):
    return Agency.objects.filter(
        Q(valid_to__lt=today) | Q(valid_to__isnull=True, unit__valid_to__lt=today)
    ).select_related("unit", "unit__province")


@login_required
@require_GET
def agency_list(request):
    """Bodies that have ceased, with their successors (or a warning that none is recorded)."""
    today = timezone.localdate()
    agencies = _ceased(today).prefetch_related("successions__successor__unit")
    query = request.GET.get("q", "").strip()
    if query:
        if "\x00" in query:
            return HttpResponse(_("Invalid text."), status=400, content_type="text/plain; charset=utf-8")
        words = fold(query).split()
        agencies = [a for a in agencies if all(w in fold(str(a)) for w in words)]
    if request.GET.get("missing") == "1":
        agencies = [a for a in agencies if not a.successions.all()]
    page = Paginator(list(agencies), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/agency_list.html",
        {"page": page, "q": query, "missing": request.GET.get("missing") == "1", "today": today},
    )


def _successor_choices(agency, today) -> list[tuple[str, str]]:
    """Today's bodies of the communes covering the ceased body's unit, of its province, and national."""
    if agency.unit_id is None:
        return body_choices([], today)
    unit = agency.unit
    communes = list(AdministrativeUnit.objects.current_communes_covering(unit, on=today).order_by("code"))
    province = unit if unit.is_current and unit.level == Level.PROVINCE else None
    province = province or (unit.province if unit.is_current and unit.province_id else None)
    province = province or (communes[0].province if communes else None)
    return body_choices(([province] if province else []) + communes, today)


@login_required
@require_http_methods(["GET", "POST"])
def agency_detail(request, pk):
    agency = get_object_or_404(Agency.objects.select_related("unit"), pk=pk)
    today = timezone.localdate()
    if request.method == "POST":
        access.require(request.user, "manage_agencies")  # 403 before any field is read
        try:
            try:
                since = parse_date(request.POST.get("since", ""))
            except ValueError as exc:
                raise ValidationError({"since": str(exc)}) from None
            successors = [resolve_body_choice(v, since) for v in request.POST.getlist("successors")]
            services.record_succession(
                Actor.from_request(request), agency, [s for s in successors if s], since,
                request.POST.get("act", ""), request.POST.get("note", ""),
            )  # fmt: skip
            messages.success(request, _("The successors are recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("agencies:detail", pk=agency.pk)
    can_manage = access.can(request.user, "manage_agencies")
    context = {
        "agency": agency,
        "today": today,
        "exists": agency.exists_on(today),
        "successions": agency.successions.select_related("successor__unit"),
        "predecessors": agency.succeeded.select_related("predecessor__unit"),
        "can_manage": can_manage,
        "choices": _successor_choices(agency, today) if can_manage else [],
        "accounts": agency.users.filter(is_active=True).count(),
    }
    return render(request, "accounts/agency_detail.html", context)
