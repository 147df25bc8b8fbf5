"""The figures section of the organisation page: key figures and grades over the years."""

from django import template

from hoptac.accounts import access
from hoptac.figures.models import AnnualFigures, Assessment

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
        "current_year": max(years) + 1 if years else None,
        "request": context["request"],
    }
