"""Tasks of a plan from seed_plans.json (called by plans.loader for each plan)."""

from __future__ import annotations

import datetime

from hoptac.accounts.models import Agency
from hoptac.core.audit import upsert
from hoptac.geo.models import AdministrativeUnit
from hoptac.plans.models import Clause
from hoptac.tasks.models import ScheduleKind, Task

QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def agencies_for(plan, names: list[str], actor) -> list[Agency]:
    """Agencies by name at the plan's unit (created, audited, on first mention); none if the plan names no unit."""
    if plan.scope_unit_id is None:
        return []
    return [upsert(actor, Agency, {"unit": plan.scope_unit, "name": name.strip()[:200]}, {})[0]
            for name in names if name.strip()]  # fmt: skip


def schedule_fields(schedule: dict) -> dict:
    kind = schedule.get("kind") or ScheduleKind.ONGOING
    fields = {"schedule_kind": kind, "schedule_wording": (schedule.get("wording") or "")[:200], "due_date": None,
              "due_month": None, "due_day": None, "start_year": schedule.get("start_year")}  # fmt: skip
    if kind == ScheduleKind.DEADLINE and schedule.get("date"):
        fields["due_date"] = datetime.date.fromisoformat(schedule["date"])
    elif kind == ScheduleKind.QUARTER and schedule.get("year"):
        month, day = QUARTER_END[int(schedule.get("quarter") or 4)]
        fields["due_date"] = datetime.date(int(schedule["year"]), month, day)
    elif kind == ScheduleKind.YEAR and schedule.get("year"):
        fields["due_date"] = datetime.date(int(schedule["year"]), 12, 31)
    else:
        fields["due_month"], fields["due_day"] = schedule.get("due_month"), schedule.get("due_day")
    return fields


def load(plan, doc: dict, actor) -> int:
    """The plan's tasks, each created or updated with an audit entry (agencies and units included)."""
    n = 0
    for sort, t in enumerate(doc.get("tasks", [])):
        clause = Clause.objects.filter(plan=plan, ref=t.get("clause")).first()
        units = []
        for ref in t.get("target_units", []):
            try:
                units.append(AdministrativeUnit.objects.get_by_ref(ref))
            except (ValueError, AdministrativeUnit.DoesNotExist):
                continue
        upsert(
            actor, Task, {"plan": plan, "code": t["code"]},
            {
                "clause": clause, "title": t["title"][:300], "text": t.get("text", ""), "indicators": t.get("indicators", []),
                "lead_names": t.get("lead", []), "partner_names": t.get("partners", []), "directing_names": t.get("directing", []),
                "sort": sort, **schedule_fields(t.get("schedule") or {}),
            },
            many={
                "lead": agencies_for(plan, t.get("lead", []), actor), "partners": agencies_for(plan, t.get("partners", []), actor),
                "directing": agencies_for(plan, t.get("directing", []), actor), "target_units": units,
            },
        )  # fmt: skip
        n += 1
    return n
