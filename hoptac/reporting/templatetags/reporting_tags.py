"""The reporting parts of the plan page (`plan_section`) and of a cooperative's home (`cooperative_home_section`)."""

from django import template

from hoptac.reporting.services import periods

register = template.Library()


@register.simple_tag
def plan_due_days(plan, year):
    """The plan's reporting duties, each with the periods it opens in `year` and their due dates."""
    return [(obligation, periods(obligation, year)) for obligation in plan.obligations.all()]


@register.simple_tag(takes_context=True)
def unread_reminders(context, limit: int = 5):
    """The signed-in account's unread reminders (e.g. from the review queue), newest first."""
    from hoptac.reporting.models import Notification

    user = context["request"].user
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])


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
