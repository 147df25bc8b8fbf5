"""Demo reporting: the seed plans' reports due in 2025 and 2026, some received, and task progress."""

import datetime
import random

from django.utils import timezone

from hoptac.core.audit import Actor
from hoptac.reporting import information, services
from hoptac.reporting.models import InformationUpdateDue, Obligation, ReportDue
from hoptac.tasks import services as task_services
from hoptac.tasks.models import Task


def build(seed: int = 2025) -> None:
    rng = random.Random(seed + 7)
    actor = Actor.command()
    for obligation in Obligation.objects.all():
        for year in (2025, 2026):
            services.generate_dues(obligation, year)
    today = timezone.localdate()
    for due in ReportDue.objects.filter(due_date__lt=today).order_by("pk"):
        if rng.random() < 0.75:
            late = rng.random() < 0.2
            day = due.due_date + datetime.timedelta(days=rng.randint(1, 12) if late else -rng.randint(0, 6))
            when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, rng.randint(0, 59))))
            services.submit_report(actor, due, note=f"Báo cáo {due.period_label}", when=when)
    # TT 09/2024: the annual updates of 2024 and 2025, most of them recorded
    for year in (2024, 2025):
        information.ensure_dues(year)
    for due in InformationUpdateDue.objects.filter(due_date__lt=today).order_by("pk"):
        if rng.random() < 0.7:
            day = due.due_date + datetime.timedelta(days=rng.randint(-20, 5))
            services.record_information_update(
                actor, due, max(day, due.period_start), f"HTTQG-{due.year}-{due.pk}"
            )
    for task in Task.objects.filter(plan__key="vinhlinh-cv-2023").order_by("pk"):
        roll = rng.random()
        if roll < 0.4:
            task_services.add_update(
                actor,
                task,
                "done",
                100,
                "Đã hoàn thành, có văn bản báo cáo kèm theo.",
                year=2025 if task.recurring else None,
            )
        elif roll < 0.8:
            task_services.add_update(actor, task, "in_progress", rng.choice([30, 50, 70]), "Đang triển khai.")
