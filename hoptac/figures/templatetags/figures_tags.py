"""The figures sections of the organisation page (key figures and grades over the years) and of
a cooperative's home (what is due, each year's state and its one entry point)."""

import datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.figures.choices import FiguresStatus
from hoptac.figures.models import AnnualFigures, Assessment, Rubric

register = template.Library()


@register.inclusion_tag("figures/_figures_over_years.html", takes_context=True)
def figures_over_years(context, organisation):
    user = context["request"].user
    sets = list(AnnualFigures.objects.filter(organisation=organisation).order_by("year", "-is_estimate"))
    by_year = {}
    for figures in sets:  # the final set of a year replaces its estimate
        by_year[figures.year] = figures
    grades = {a.year: a for a in Assessment.objects.filter(organisation=organisation)}
    years = sorted(set(by_year) | set(grades))
    rows = [(year, by_year.get(year), grades.get(year)) for year in reversed(years)]
    chart = {
        "years": [str(y) for y in sorted(by_year)],
        "revenue": [by_year[y].revenue for y in sorted(by_year)],
        "profit": [by_year[y].profit_before_tax for y in sorted(by_year)],
        "members": [by_year[y].members_total for y in sorted(by_year)],
    }
    return {
        "organisation": organisation,
        "rows": rows,
        "chart": chart,
        "can_edit": access.can(user, "enter_figures", organisation),
        # This year's figures (an estimate while it runs): the page opens the year the button names.
        "current_year": timezone.localdate().year,
        "request": context["request"],
    }


# TT 01/2020/TT-BKHĐT, Điều 9: the cooperative sends its evaluation (with the year's figures) to
# the registration office by 15 December of the year evaluated.
FIGURES_DUE = (12, 15)
YEARS_SHOWN = 5


def _entry(organisation, year: int, final, estimate, today) -> dict:
    """The one entry point for a year: the set that exists (the final one first), else the form
    the year calls for (an estimate while the year runs, the final figures after it)."""
    current = final or estimate
    is_estimate = current.is_estimate if current is not None else year >= today.year
    url = reverse("figures:entry", args=[organisation.pk, year]) + (
        "?estimate=1" if is_estimate else "?estimate=0"
    )
    if current is None:
        label = _("Enter the %(year)s estimate") if is_estimate else _("Enter the %(year)s figures")
    elif current.status == FiguresStatus.DRAFT:
        label = _("Continue the %(year)s draft")
    else:
        label = _("See the %(year)s figures")
    entry = {"url": url, "label": label % {"year": year}, "is_estimate": is_estimate, "final_url": None}
    if final is None and estimate is not None and year < today.year:  # the year has ended: the final is due
        entry["final_url"] = reverse("figures:entry", args=[organisation.pk, year]) + "?estimate=0"
    return entry


@register.inclusion_tag("figures/_cooperative_years.html", takes_context=True)
def cooperative_years(context, organisation, today):
    """What the figures ask of a cooperative: the year's figures and evaluation due on 15/12, and
    the state of each recent year's estimate, final figures and grade, with one entry per year."""
    from hoptac.registry.choices import Kind

    first = today.year - YEARS_SHOWN + 1
    if organisation.registration_date is not None:
        first = max(first, organisation.registration_date.year)
    sets = AnnualFigures.objects.filter(organisation=organisation, year__gte=first)
    finals = {f.year: f for f in sets if not f.is_estimate}
    estimates = {f.year: f for f in sets if f.is_estimate}
    grades = {a.year: a for a in Assessment.objects.filter(organisation=organisation, year__gte=first)}
    assessed = (
        organisation.kind != Kind.THT
    )  # TT 01/2020 classifies cooperatives and their unions, not groups
    province = organisation.commune.province if organisation.commune_id else None
    rows: list[dict[str, Any]] = []
    for year in range(today.year, first - 1, -1):
        rubric = Rubric.for_year(year, province) if assessed and year not in grades else None
        rows.append({
            "year": year, "final": finals.get(year), "estimate": estimates.get(year), "grade": grades.get(year),
            "can_assess": assessed and (year in grades or rubric is not None),
            "entry": _entry(organisation, year, finals.get(year), estimates.get(year), today),
        })  # fmt: skip
    due_day = datetime.date(today.year, *FIGURES_DUE)
    this_year = rows[0] if rows else None
    sent = bool(
        this_year
        and any(
            f is not None and f.status != FiguresStatus.DRAFT
            for f in (this_year["final"], this_year["estimate"])
        )
    )
    dues: list[dict[str, Any]] = []
    if this_year is not None:
        dues.append({
            "what": _("Figures for %(year)s and the self-evaluation, to the registration office") % {"year": today.year}
            if this_year["can_assess"] else _("Figures for %(year)s, to the registration office") % {"year": today.year},
            "day": due_day, "done": sent, "late": not sent and today > due_day, "url": this_year["entry"]["url"],
        })  # fmt: skip
    for row in rows[1:]:
        final = row["final"]
        if final is None or final.status == FiguresStatus.DRAFT:
            dues.append({
                "what": _("Final figures for %(year)s") % {"year": row["year"]}, "day": None, "done": False,
                "late": True, "url": reverse("figures:entry", args=[organisation.pk, row["year"]]) + "?estimate=0",
            })  # fmt: skip
    return {
        "organisation": organisation,
        "rows": rows,
        "dues": dues,
        "today": today,
        "can_edit": access.can(context["request"].user, "enter_figures", organisation),
    }
