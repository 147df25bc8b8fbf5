"""Indicator pages: the documented library, one indicator's values and the organisations behind them,
and a unit's key indicators over the years."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Value
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hoptac.accounts import access
from hoptac.core import numbers
from hoptac.core.collation import vi
from hoptac.core.export import xlsx_response
from hoptac.core.validation import query_choice, query_year
from hoptac.geo.fields import resolve_ref, resolve_typed
from hoptac.indicators import maps
from hoptac.indicators.library import INDICATORS
from hoptac.registry.models import Organisation

KEY_INDICATORS = [
    "htx_count", "tht_count", "htx_members", "htx_workers", "avg_revenue_htx", "avg_profit_htx",
    "share_good_fair", "share_managers_degree", "share_directors_trained", "share_htx_hightech",
    "share_htx_digital", "share_agri_htx_linked", "htx_unresolved",
]  # fmt: skip


def _unit(request, ref=None):
    ref = ref or request.GET.get("unit")
    if ref:
        try:
            unit = resolve_typed(ref)
        except ValidationError as exc:
            raise Http404 from exc
    else:
        unit = None if request.user.is_national else request.user.scope_unit
    access.require(request.user, "measure_unit", unit)
    return unit


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1990 <= int(value) <= 2100 else timezone.localdate().year - 1


@login_required
@require_GET
def indicator_list(request):
    return render(request, "indicators/indicator_list.html", {"indicators": INDICATORS.values()})


@login_required
@require_GET
def indicator_detail(request, code):
    indicator = INDICATORS.get(code)
    if indicator is None:
        raise Http404
    unit, year = _unit(request), _year(request)
    period_start = int(request.GET["period_start"]) if request.GET.get("period_start", "").isdigit() else None
    series = [(y, indicator.measure(unit, y, period_start)) for y in range(year - 4, year + 1)]
    base = Organisation.objects.in_unit(unit) if unit else Organisation.objects.all()
    visible = Organisation.objects.restrict(request.user).values("pk")
    behind = indicator.drilldown(year, base, period_start)
    numerator = indicator.numerator_organisations(year, base, period_start)
    expected = indicator.expected_organisations(year, base, period_start)
    parts = ["all"]
    if numerator is not None:
        parts += ["numerator", "rest"]
    if expected is not None:
        parts += ["missing"]
    part = request.GET.get("part") if request.GET.get("part") in parts else "all"
    if part == "numerator":
        behind = behind.filter(pk__in=numerator.values("pk"))
    elif part == "rest":
        behind = behind.exclude(pk__in=numerator.values("pk"))
    elif part == "missing":
        behind = expected.exclude(pk__in=indicator.drilldown(year, base, period_start).values("pk"))
    in_numerator = Exists(numerator.filter(pk=OuterRef("pk"))) if numerator is not None else Value(False)
    behind = (
        behind.filter(pk__in=visible)
        .annotate(in_numerator=in_numerator)
        .select_related("commune__province")
        .order_by(vi("name", key="name_key"), "id")
    )
    if request.GET.get("export") == "xlsx":
        header = [_("Name"), _("Kind"), _("Tax code"), _("Commune"), _("Province")]
        if numerator is not None:
            header.append(_("In the numerator"))
        rows = (
            [o.name, o.get_kind_display(), o.tax_code, o.commune.name, o.commune.province.name]
            + ([_("yes") if o.in_numerator else _("no")] if numerator is not None else [])
            for o in behind.iterator()
        )
        suffix = "" if part == "all" else f"-{part}"
        unit_ref = unit.ref.replace(":", "-") if unit else "vn"
        return xlsx_response(
            f"{code}-{unit_ref}-{year}{suffix}.xlsx",
            f"{indicator.name} – {unit or 'Việt Nam'} – {year}",
            header,
            rows,
        )
    page = Paginator(behind, 50).get_page(request.GET.get("page"))
    current = dict(series).get(year)
    context = {
        "indicator": indicator,
        "unit": unit,
        "year": year,
        "series": series,
        "page": page,
        "period_start": period_start,
        "part": part,
        "parts": parts,
        "has_numerator": numerator is not None,
        "current": current,
        "map_url": map_url(code, year, unit, period_start),
    }
    return render(request, "indicators/indicator_detail.html", context)


@login_required
@require_GET
def unit_dashboard_pick(request):
    """The unit picker's form on the indicator pages: `?unit=` (a code or a name) opens that unit's dashboard."""
    unit = _unit(request)
    if unit is None:
        return redirect("indicators:list")
    query = f"?year={request.GET['year']}" if request.GET.get("year", "").isdigit() else ""
    return redirect(reverse("indicators:unit", args=[unit.ref]) + query)


@login_required
@require_GET
def unit_dashboard(request, ref):
    unit, year = _unit(request, ref), _year(request)
    years = list(range(year - 4, year + 1))
    table = [
        (INDICATORS[code], [INDICATORS[code].measure(unit, y) for y in years]) for code in KEY_INDICATORS
    ]
    if request.GET.get("export") == "xlsx":
        header = [_("Indicator"), _("Unit of measure"), *[str(y) for y in years],
                  f"{_('Expected')} {year}", f"{_('Final')} {year}", f"{_('Estimates')} {year}"]  # fmt: skip
        rows = []
        for i, measures in table:
            last = measures[-1].coverage
            known = last.expected is not None
            rows.append([
                str(i.name), i.unit, *[numbers.rounded(m.value, numbers.display_places(i.unit)) for m in measures],
                last.expected, last.final if known else None, last.estimated if known else None,
            ])  # fmt: skip
        return xlsx_response(
            f"chi-tieu-{unit.ref.replace(':', '-')}-{year}.xlsx", f"{unit.full_name()} – {year}", header, rows
        )
    return render(
        request,
        "indicators/unit_dashboard.html",
        {
            "unit": unit, "year": year, "years": years, "table": table,
            "map_url": map_url(KEY_INDICATORS[0], year, unit, link="dashboard"),
            "map_choices": [(code, INDICATORS[code].name) for code in KEY_INDICATORS],
            "map_selected": KEY_INDICATORS[0],
        },
    )  # fmt: skip


def map_url(code: str, year: int, unit=None, period_start: int | None = None, link: str = "") -> str:
    """Where the province map of a page reads its data (indicator_map)."""
    query = {"year": year, "unit": unit.ref if unit else "", "period_start": period_start or "", "link": link}
    return reverse("indicators:map", args=[code]) + "?" + urlencode({k: v for k, v in query.items() if v})


@login_required
@require_GET
def indicator_map(request, code):
    """The province map's data for one indicator and year (JSON read by province-map.js).

    `?year=`, `?period_start=`, `?unit=` (the page's unit: today's provinces covering it are
    highlighted), `?link=dashboard` (a click opens the province's dashboard, not this indicator),
    `?choices=key` (the key indicators' codes and names, for the map's selector)."""
    indicator = INDICATORS.get(code)
    if indicator is None:
        raise Http404
    try:
        year = query_year(request.GET, default=timezone.localdate().year - 1)
        period_start = query_year(request.GET, "period_start")
        link = query_choice(request.GET, "link", ["dashboard", "indicator"], default="indicator")
        unit = resolve_ref(request.GET["unit"]) if request.GET.get("unit") else None
    except ValidationError as exc:
        return JsonResponse({"error": "invalid", "detail": " ".join(exc.messages)}, status=400)
    if unit is not None:
        access.require(request.user, "measure_unit", unit)
    data = maps.indicator_map(indicator, year, request.user, period_start, unit, link)
    if request.GET.get("choices") == "key":  # for a page that cannot list the indicators itself (home)
        data["choices"] = [[c, str(INDICATORS[c].name)] for c in KEY_INDICATORS]
    return JsonResponse(data)
