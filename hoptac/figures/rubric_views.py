"""The rubrics page: each rubric's legal source and period of validity, an administrator changing
that period with a reason, and a province adopting its local rubric (criteria, maxima, bands).

TT 01/2020/TT-BKHĐT is reported repealed from 18/09/2025 (one source): the end date is data an
administrator corrects when the official text is confirmed; the services audit both writes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hoptac.accounts import access
from hoptac.core.audit import Actor
from hoptac.figures import services
from hoptac.figures.choices import Grade
from hoptac.figures.models import Rubric
from hoptac.geo.models import AdministrativeUnit, Level, parse_date


def _day(text: str, field: str, required: bool = True):
    text = (text or "").strip()
    if not text:
        if required:
            raise ValidationError({field: _("Give a date (30/04/2026).")})
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None


def _provinces_for(user) -> list[AdministrativeUnit]:
    """The provinces the account may adopt a local rubric for (today's)."""
    provinces = AdministrativeUnit.objects.filter(generation="new", level=Level.PROVINCE).order_by("name")
    return [p for p in provinces if access.can(user, "adopt_local_rubric", p)]


@login_required
@require_http_methods(["GET", "POST"])
def rubric_list(request):
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "validity":
                rubric = get_object_or_404(Rubric, pk=request.POST.get("rubric") or 0)
                access.require(user, "manage_rules")  # 403 before any field is read
                services.set_rubric_validity(
                    Actor.from_request(request), rubric,
                    _day(request.POST.get("valid_from"), "valid_from"),
                    _day(request.POST.get("valid_to"), "valid_to", required=False),
                    request.POST.get("reason", ""),
                )  # fmt: skip
                messages.success(request, _("The rubric's period of validity is changed."))
            elif action == "adopt":
                _adopt(request)
                messages.success(request, _("The local rubric is adopted."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("figures:rubrics")
    rubrics = list(
        Rubric.objects.select_related("province").prefetch_related("criteria").order_by("-valid_from")
    )
    national = [r for r in rubrics if not r.is_local]
    context = {
        "rubrics": rubrics,
        "can_manage": access.can(user, "manage_rules"),
        "provinces": _provinces_for(user) if access.role_allows(user, "adopt_local_rubric") else [],
        "bases": national,
        "base_criteria": list(national[0].criteria.order_by("number")) if national else [],
        "grades": [(Grade.GOOD, Grade.GOOD.label), (Grade.FAIR, Grade.FAIR.label), (Grade.AVERAGE, Grade.AVERAGE.label)],
    }  # fmt: skip
    return render(request, "figures/rubrics.html", context)


def _adopt(request) -> Rubric:
    post = request.POST
    province = get_object_or_404(
        AdministrativeUnit, pk=post.get("province") or 0, level=Level.PROVINCE, generation="new"
    )
    access.require(request.user, "adopt_local_rubric", province)  # 403: not this province's officer
    base = get_object_or_404(Rubric, pk=post.get("base") or 0, province__isnull=True)
    maxima, bands = {}, {}
    try:
        for criterion in base.criteria.all():
            value = post.get(f"max_{criterion.number}", "").strip().replace(",", ".")
            if value:
                maxima[criterion.number] = Decimal(value)
        for grade in (Grade.GOOD, Grade.FAIR, Grade.AVERAGE):
            value = post.get(f"band_{grade}", "").strip().replace(",", ".")
            if value:
                bands[grade] = Decimal(value)
    except InvalidOperation:
        raise ValidationError({"maxima": _("Points are numbers (7 or 7,5).")}) from None
    if bands and len(bands) != 3:
        raise ValidationError(
            {"bands": _("Give the lowest score of each of the grades tốt, khá and trung bình.")}
        )
    return services.adopt_local_rubric(
        Actor.from_request(request), province, post.get("decision", ""),
        _day(post.get("valid_from"), "valid_from"), base,
        _day(post.get("valid_to"), "valid_to", required=False), maxima=maxima or None, bands=bands or None,
    )  # fmt: skip
