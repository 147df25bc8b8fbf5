"""The reporting part of the plan page (`ReportingConfig.plan_section`)."""

from django import template

from hoptac.reporting.services import periods

register = template.Library()


@register.simple_tag
def plan_due_days(plan, year):
    """The plan's reporting duties, each with the periods it opens in `year` and their due dates."""
    return [(obligation, periods(obligation, year)) for obligation in plan.obligations.all()]


@register.simple_tag
def information_updates_of(organisation, user):
    """The organisation's annual updates (TT 09/2024), or why it owes none (the organisation page)."""
    from django.utils import timezone

    from hoptac.accounts import access
    from hoptac.reporting import information

    today = timezone.localdate()
    form = information.form_for(organisation)
    dues = information.dues_of(organisation, today) if form is not None else []
    return {
        "dues": dues,
        "today": today,
        "why_not": ""
        if dues
        else (information.why_not(organisation) if form is None else information.none_owed()),
        "legal_source": information.rules()["legal_source"],
        "valid_from": information.valid_from(),
        "can_record": bool(dues) and access.can(user, "submit_information_update", dues[0]),
    }
