"""`hoptac load-plans`: the seed plans (data/seed_plans.json) into the database, idempotently.

Plans are matched by key, clauses by (plan, ref), targets by (plan, code); a second run
changes nothing. Tasks and reporting obligations in the same file are handed to the apps
that own them (`AppConfig.plan_part_loader`), so this module knows only plans, clauses, targets.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.module_loading import import_string

from hoptac.core.appconfig import domain_configs
from hoptac.core.audit import Actor, record, snapshot, upsert
from hoptac.core.models import Action
from hoptac.geo.models import AdministrativeUnit
from hoptac.plans.models import Clause, Plan, Target

DATA_FILE = Path(__file__).resolve().parent / "data" / "seed_plans.json"


def plan_part_loaders() -> list[str]:
    """Other apps load their part of each plan: dotted paths to load(plan, data, actor) -> int."""
    return [c.plan_part_loader for c in domain_configs() if c.plan_part_loader]


@dataclass
class LoadResult:
    plans: int = 0
    created: int = 0
    targets: int = 0
    parts: dict[str, int] = field(default_factory=dict)


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def load_plans(path: Path = DATA_FILE, actor: Actor | None = None) -> LoadResult:
    actor = actor or Actor.command()
    documents = json.loads(path.read_text(encoding="utf-8"))
    result = LoadResult()
    loaders = plan_part_loaders()
    plans: dict[str, Plan] = {}
    for doc in documents:  # first pass: the plans themselves
        scope = AdministrativeUnit.objects.get_by_ref(doc["scope_unit"]) if doc.get("scope_unit") else None
        values = {
            "kind": doc["kind"],
            "issuer": doc["issuer"],
            "number": doc.get("number") or "",
            "date": datetime.date.fromisoformat(doc["date"]) if doc.get("date") else None,
            "date_text": doc.get("date_text") or "",
            "title": doc["title"],
            "seed": doc.get("seed") or "",
        }
        plan = Plan.objects.filter(key=doc["key"]).first()
        if plan is None:
            plan = Plan.objects.create(key=doc["key"], scope_unit=scope, **values)
            record(actor, Action.CREATE, plan, after=snapshot(plan))
            result.created += 1
        else:
            before = snapshot(plan)
            for name, value in values.items():
                setattr(plan, name, value)
            if plan.scope_unit_id is None and scope is not None:
                plan.scope_unit = scope  # a user may have attached an unnamed plan: keep their choice
            if snapshot(plan) != before:
                plan.save()
                record(actor, Action.UPDATE, plan, before=before, after=snapshot(plan))
        plans[doc["key"]] = plan
    for doc in documents:  # second pass: tree, clauses, targets, other parts
        plan = plans[doc["key"]]
        parent = plans.get(doc.get("parent")) if doc.get("parent") else None
        if plan.parent_id != (parent.pk if parent else None):
            before = snapshot(plan)
            plan.parent = parent
            plan.save(update_fields=["parent"])
            record(actor, Action.UPDATE, plan, before=before, after=snapshot(plan))
        clauses = {}
        for c in doc.get("clauses", []):
            clause, _ = upsert(
                actor,
                Clause,
                {"plan": plan, "ref": c["ref"]},
                {"title": c.get("title", "")[:300], "text": c.get("text", "")},
            )
            clauses[c["ref"]] = clause
        for sort, t in enumerate(doc.get("targets", [])):
            upsert(
                actor,
                Target,
                {"plan": plan, "code": t["code"]},
                {
                    "clause": clauses.get(t.get("clause"))
                    or Clause.objects.filter(plan=plan, ref=t.get("clause")).first(),
                    "wording": t["wording"],
                    "indicator": t["indicator"],
                    "bound": t["bound"],
                    "value": _decimal(t.get("value")),
                    "value_max": _decimal(t.get("value_max")),
                    "approximate": bool(t.get("approximate")),
                    "horizon": t["horizon"],
                    "period_start": t.get("period_start"),
                    "note": t.get("note") or "",
                    "sort": sort,
                },
            )
            result.targets += 1
        for path_ in loaders:
            n = import_string(path_)(plan, doc, actor)
            result.parts[path_] = result.parts.get(path_, 0) + n
        result.plans += 1
    return result
