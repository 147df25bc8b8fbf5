"""Browsing units: find a unit of either generation and see its parent, children and lineage."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hoptac.geo.fields import resolve_ref
from hoptac.geo.filters import UnitFilterSet
from hoptac.geo.models import AdministrativeUnit, Generation, Level
from hoptac.geo.picker import describe, pick


@login_required
@require_GET
def unit_list(request):
    filterset = UnitFilterSet(
        request.GET or {"level": Level.PROVINCE, "generation": "new"},
        queryset=AdministrativeUnit.objects.select_related("parent", "province").order_by(
            "generation", "code"
        ),
    )
    page = Paginator(
        filterset.qs if filterset.is_valid() else AdministrativeUnit.objects.none(), 100
    ).get_page(request.GET.get("page"))
    return render(request, "geo/unit_list.html", {"filterset": filterset, "page": page})


@login_required
@require_GET
def unit_detail(request, ref):
    try:
        unit = resolve_ref(ref)
    except ValidationError as exc:
        raise Http404 from exc
    context = {
        "unit": unit,
        "version": unit.version,
        "versions": unit.versions.select_related("parent", "act").order_by("valid_from"),
        # a dated ref (`75@2026-01-01`, `?on=`): the units under it that day, named as then
        "children": AdministrativeUnit.objects.children_on(unit, unit.as_of)
        if getattr(unit, "as_of", None)
        else unit.children.order_by("code"),
        "predecessors": unit.predecessor_links.select_related("old__province").order_by("old__code"),
        "successors": unit.successor_links.select_related("new__province").order_by("new__code"),
        "covering": AdministrativeUnit.objects.current_communes_covering(unit).select_related("province")
        if not unit.is_current and unit.level != Level.COMMUNE
        else None,
    }
    return render(request, "geo/unit_detail.html", context)


@require_GET
def unit_pick(request):
    """JSON for the unit picker: `?q=vinh linh` (letters of a name, any accents) or `?ref=464`.

    `levels=province,district`, `generation=old|new` and `within=REF` narrow the choice;
    `within=mine` is the signed-in user's own area. Units are public data (as in the API).
    """
    ref = (request.GET.get("ref") or "").strip()[:20]
    if ref:
        try:
            return JsonResponse({"results": [describe(resolve_ref(ref))]})
        except ValidationError:
            return JsonResponse({"results": []})
    levels = [level for level in (request.GET.get("levels") or "").split(",") if level in Level.values]
    generation = request.GET.get("generation") if request.GET.get("generation") in Generation.values else None
    within_ref = (request.GET.get("within") or "").strip()[:20]
    within = None
    if within_ref == "mine":
        within = getattr(request.user, "scope_unit", None)
    elif within_ref:
        try:
            within = resolve_ref(within_ref)
        except ValidationError as exc:
            return JsonResponse({"error": "invalid", "within": exc.messages}, status=400)
    units = pick((request.GET.get("q") or "")[:100], levels=levels, generation=generation, within=within)
    return JsonResponse({"results": [describe(unit) for unit in units]})
