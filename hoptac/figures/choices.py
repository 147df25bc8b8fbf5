"""Workflow states of a set of figures, and the grades of Thông tư 01/2020/TT-BKHĐT."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FiguresStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Approved at commune level")
    APPROVED = "approved", _("Approved")


# Figures in these states are locked: they change only after an explicit reopen with a reason.
LOCKED_STATUSES = {FiguresStatus.SUBMITTED, FiguresStatus.REVIEWED, FiguresStatus.APPROVED}
# Figures waiting for an officer (the review queue), in the order of the index that serves it.
WAITING_STATUSES = [FiguresStatus.SUBMITTED, FiguresStatus.REVIEWED]


class Grade(models.TextChoices):
    """Thông tư 01/2020 Điều 7 k.2: tốt ≥ 80; khá 65 to < 80; trung bình 50 to < 65; yếu < 50."""

    GOOD = "tot", _("Good (tốt)")
    FAIR = "kha", _("Fair (khá)")
    AVERAGE = "trung_binh", _("Average (trung bình)")
    WEAK = "yeu", _("Weak (yếu)")
    NOT_RATED = "not_rated", _("Not rated")


RATED_GRADES = [Grade.GOOD, Grade.FAIR, Grade.AVERAGE, Grade.WEAK]


class CriterionGroup(models.TextChoices):
    FINANCE = "finance", _("I. Finance")
    GOVERNANCE = "governance", _("II. Governance, management and capacity")
    MEMBERS = "members", _("III. Members, member benefits and community")


# Thông tư 01/2020 Phụ lục I: each group's maximum; the rubric's criteria must add up to these.
GROUP_TOTALS: dict[str, int] = {
    CriterionGroup.FINANCE: 30,
    CriterionGroup.GOVERNANCE: 30,
    CriterionGroup.MEMBERS: 40,
}
