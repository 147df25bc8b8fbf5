"""Plan pages: the list, and a plan's dashboard (targets, trajectory, comparison of children)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hoptac.accounts import access
from hoptac.core import numbers
from hoptac.core.appconfig import domain_configs
from hoptac.core.audit import Actor
from hoptac.core.export import xlsx_response
from hoptac.core.text import vi_sorted
from hoptac.core.validation import query_year
from hoptac.geo.fields import resolve_ref, resolve_typed
from hoptac.geo.models import AdministrativeUnit, Level
from hoptac.indicators.engine import UnitIndex
from hoptac.indicators.library import INDICATORS
from hoptac.plans import maps, progress, services, wording
from hoptac.plans.filters import PlanFilterSet
from hoptac.plans.models import Bound, Plan


@login_required
@require_GET
def plan_list(request):
    plans = (
        Plan.objects.restrict(request.user)
        .select_related("scope_unit", "parent")
        .annotate(n_targets=Count("targets"))
    )
    plans = PlanFilterSet(request.GET, queryset=plans).qs
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans.order_by("date", "key"), "q": request.GET.get("q", "").strip()},
    )


def _attachable_units(user) -> list:
    """Units offered for a plan that names none: the account's own area and the former districts in it."""
    scope = None if user.is_national else user.scope_unit
    if scope is None:
        return []
    units = [scope]
    if scope.level == Level.PROVINCE and scope.is_current:
        districts = AdministrativeUnit.objects.former_units_covered_by(scope, Level.DISTRICT)
        units += vi_sorted(districts.select_related("province", "parent"), key=lambda u: u.name)
    return [u for u in units[:40] if access.can(user, "change", u)]


def _unit_and_year(request, plan):
    ref = request.GET.get("unit") or (plan.scope_unit.ref if plan.scope_unit_id else None)
    unit = None
    if ref:
        try:
            unit = resolve_typed(ref)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            unit = plan.scope_unit
    if unit is not None:
        access.require(request.user, "measure_unit", unit)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    return unit, year


@login_required
@require_GET
def plan_detail(request, pk):
    plan = get_object_or_404(
        Plan.objects.restrict(request.user).select_related("scope_unit", "parent"), pk=pk
    )
    unit, year = _unit_and_year(request, plan)
    targets = list(plan.targets.select_related("clause", "plan"))
    rows = progress.plan_progress(targets, unit, year) if unit is not None else []
    wording.describe(rows)
    measured = [p for p in rows if p.target.bound != Bound.QUALITATIVE and p.target.indicator in INDICATORS]
    chosen = next(
        (p for p in measured if p.target.code == request.GET.get("target")), measured[0] if measured else None
    )
    children = []
    if chosen is not None:
        indicator = INDICATORS[chosen.target.indicator]
        children = indicator.measure_children(
            unit, year, chosen.target.period_start, UnitIndex(on=datetime.date(year, 12, 31))
        )
    if request.GET.get("export") == "progress":
        return _progress_export(plan, unit, year, rows)
    if request.GET.get("export") == "children" and chosen is not None:
        header = [_("Unit"), str(INDICATORS[chosen.target.indicator].name), _("Numerator"), _("Denominator"),
                  _("Expected"), _("Reported"), _("Final"), _("Estimates")]  # fmt: skip
        places = numbers.display_places(INDICATORS[chosen.target.indicator].unit)
        data = [
            [c.name, numbers.rounded(m.value, places), float(m.numerator),
             float(m.denominator) if m.denominator is not None else None,
             m.coverage.expected, m.coverage.reported, m.coverage.final if m.coverage.expected is not None else None,
             m.coverage.estimated if m.coverage.expected is not None else None]
            for c, m in children
        ]  # fmt: skip
        return xlsx_response(
            f"so-sanh-{plan.key}-{year}.xlsx", f"{chosen.target.wording} – {year}", header, data,
            kinds=[None, INDICATORS[chosen.target.indicator].unit],
        )  # fmt: skip
    chart = None
    if chosen is not None:
        goal = progress.goal(chosen.target)
        chart = {
            "years": [y for y, _v in chosen.series] + list(range(year + 1, chosen.target.horizon + 1)),
            "actual": [v for _y, v in chosen.judged_series],
            "path": _target_path(chosen, goal, year),
            "children": [{"name": c.name, "value": m.value if m.sufficient else None} for c, m in children],
            "goal": goal,
        }
    context = {
        # Other apps show their part of the plan here (AppConfig.plan_section: tasks, reports).
        "sections": [c.plan_section for c in domain_configs() if c.plan_section], "today": timezone.localdate(),
        "plan": plan, "unit": unit, "year": year, "rows": rows, "chosen": chosen, "children": children, "chart": chart,
        "indicators": INDICATORS, "years": range(timezone.localdate().year, 2019, -1), "legend": progress.LEGEND,
        "tolerances": {"about": numbers.percent(progress.ABOUT_TOLERANCE * 100, 0), "nearly": numbers.percent((1 - progress.NEARLY_TOLERANCE) * 100, 0)},
        "can_attach": plan.scope_unit_id is None and request.user.can_write,
        "attachable": _attachable_units(request.user) if plan.scope_unit_id is None and request.user.can_write else [],
    }  # fmt: skip
    return render(request, "plans/plan_detail.html", context)


def _progress_export(plan, unit, year, rows):
    """The targets with their bound, actual (rounded as displayed, unit in its own column),
    coverage and status: numbers stay numbers."""
    header = [_("Code"), _("Target"), _("Full wording"), _("Horizon"), _("Indicator"), _("Unit of measure"), _("Bound"),
              _("Baseline year"), _("Baseline"), _("Actual"), _("Expected"), _("Reported"), _("Final"),
              _("Estimates"), _("Status"), _("Projection")]  # fmt: skip
    data = []
    for p in rows:
        indicator = INDICATORS.get(p.target.indicator)
        places = numbers.display_places(p.unit_kind)
        c = p.coverage
        data.append([
            p.target.code, p.target.wording, p.full_wording, p.target.horizon, str(indicator.name) if indicator else "",
            p.unit_kind, p.bound_text, p.baseline_year, numbers.rounded(p.baseline, places),
            numbers.rounded(p.actual, places), c.expected, c.reported,
            c.final if c.expected is not None else None, c.estimated if c.expected is not None else None,
            p.status_label, numbers.rounded(p.projection, places),
        ])  # fmt: skip
    filename = f"tien-do-{plan.key}-{unit.ref.replace(':', '-')}-{year}.xlsx"
    return xlsx_response(filename, f"{plan} – {unit} – {year}", header, data)


def _target_path(p, goal, year):
    """The straight path from the baseline to the target at the horizon, for the chart."""
    if goal is None or p.baseline is None or p.baseline_year is None:
        return []
    span = p.target.horizon - p.baseline_year
    years = [y for y, _v in p.series] + list(range(year + 1, p.target.horizon + 1))
    return [
        round(p.baseline + (goal - p.baseline) * (y - p.baseline_year) / span, 2) if span else goal
        for y in years
    ]


@login_required
@require_POST
def plan_attach(request, pk):
    plan = get_object_or_404(Plan.objects.restrict(request.user), pk=pk)
    try:
        unit = resolve_typed(request.POST.get("unit", ""))
        services.attach_plan(Actor.from_request(request), plan, unit)
        messages.success(request, _("The plan now covers %(unit)s.") % {"unit": unit})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(plan)


@login_required
@require_GET
def plan_map(request, pk):
    """The province map of a plan's target (JSON read by province-map.js): `?target=` (a target's
    code; the first measured one by default), `?year=`, `?unit=` (the plan's own unit by default)."""
    plan = get_object_or_404(Plan.objects.restrict(request.user).select_related("scope_unit"), pk=pk)
    targets = [t for t in plan.targets.select_related("plan") if maps.measurable(t)]
    wanted = request.GET.get("target")
    target = (
        next((t for t in targets if t.code == wanted), None) if wanted else (targets[0] if targets else None)
    )
    if target is None:
        raise Http404
    try:
        year = query_year(request.GET, default=timezone.localdate().year - 1)
        ref = request.GET.get("unit") or (plan.scope_unit.ref if plan.scope_unit_id else None)
        unit = resolve_ref(ref) if ref else None
    except ValidationError as exc:
        return JsonResponse({"error": "invalid", "detail": " ".join(exc.messages)}, status=400)
    if unit is not None:
        access.require(request.user, "measure_unit", unit)
    return JsonResponse(maps.target_map(plan, target, unit, year, request.user))
