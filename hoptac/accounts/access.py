"""Who may do what: the one place hoptac decides it.

Read this file to answer "may this account do that to this object?". Models only say, once,
how a row reaches what it belongs to (`restrict_through`); services call `require()`; views
and the API list through `Model.objects.restrict(user, action)`. Outsiders get 404 (the row
is not in their restricted queryset), accounts that may only read get 403 (`require`).

Who
- Nobody signed in, or an inactive account: nothing (public trace pages `/t/<code>/` are
  outside accounts altogether).
- The operator (a command, `Actor.user is None`): everything; commands are run by whoever
  runs the server.
- A national administrator (superuser, or administrator without a scope): everything.
- An officer or a viewer: their *area* (below). Viewers read; officers also write.
- A cooperative account: its own organisation only; it reads it, enters and self-assesses
  its own annual figures (TT 01/2020: the board scores itself, officers approve) and records
  its own traceability (TT 02/2024/TT-BKHCN: the producer declares its trace data).

The area: one geography for everything
An account's area is its scope unit and everything under it. Data is kept against today's
communes (since 1 July 2025), so the area is held as the set of *today's communes that cover
the scope unit*: for a current province or commune simply its communes; for a former unit
(e.g. the former Vĩnh Linh district) the current communes its former communes went into,
wholly or partly. An organisation is in the area as `Organisation.objects.in_unit` says
(for a former unit: by its recorded former commune, else by its current commune).

A *unit* (a plan's, a reporting agency's, a commune that reports) is in the area when every
current commune that covers it is in the area. This is decided once, here, for organisations,
plans, tasks and reporting dues alike. Why: before, tasks and dues compared the exact unit, so
a province officer could see the task of a district plan in the province but not update it,
while the same officer could edit every cooperative of that district. A plan is an exception
only for *reading*: plans are public documents that bind those under them, so an account
reads the national plans and every plan whose unit overlaps its area (a commune officer reads
the province programme); it acts only on plans whose unit lies in its area.

Tasks and dues also belong to agencies: an officer of a lead agency updates the tasks it
leads, and an officer of a reporting agency submits that agency's reports, wherever the plan;
so does an officer whose area holds that agency's unit (the district's officers answer for the
district's departments), by the same rule as for any other unit.

Cooperative accounts read the national plans only; they have no tasks or reports to make.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.models import Role

# One refusal per action (the Vietnamese is in the catalogue).
ACTIONS = {
    "view": _("This page does not exist, or is outside the area your account covers."),
    "change": _("This is outside the area your account manages, or your account may only read it."),
    "enter_figures": _("Your account cannot enter figures for this organisation."),
    "approve_figures": _("Only an officer responsible for this organisation can do this."),
    "assess": _("Your account cannot assess this organisation."),
    "record_trace": _("Your account cannot record traceability for this cooperative."),
    # The same words as for a code that does not exist: another cooperative's lot is not revealed.
    "use_as_input": _("No lot has the trace code “%(code)s”."),
    "update_task": _("Only a lead agency or an officer of the plan's area updates this task."),
    "submit_report": _("Only the reporting agency or commune submits this report."),
    "measure_unit": _("This unit is outside the area your account covers."),
    "import": _("Your account cannot import data for this unit."),
    "undo_import": _("Only the officer who made this import can undo it."),
    "manage_accounts": _("Only an administrator manages accounts."),
    "draft_report": _("Only an officer of the unit edits its report."),
    "record_carriers": _("Only an officer of the province records who carries a plan's tasks and duties."),
    "manage_rules": _("Only an administrator changes a rubric's period of validity."),
    "classify": _("Only an officer of the unit recomputes its grades."),
    # An officer whose area holds the whole province (TT 01/2020 lapsed: a province may adopt its own).
    "adopt_local_rubric": _("Only an administrator or an officer of the province adopts its local rubric."),
    # TT 09/2024/TT-BKHĐT Điều 6: the organisation updates the national system itself; the officers
    # of its area may record it for it (the commune Phòng Kinh tế helps the groups that cannot).
    "submit_information_update": _(
        "Only the organisation or an officer of its area records its annual update."
    ),
    # A body ceased and its successors: the state structure, kept by an administrator.
    "manage_agencies": _("Only an administrator records which bodies succeed a body that ceased."),
}

# What each role may ever do; the area then narrows it to rows.
ROLE_ACTIONS = {
    Role.ADMIN: set(ACTIONS),
    Role.OFFICER: set(ACTIONS) - {"manage_accounts", "manage_rules", "manage_agencies"},
    Role.VIEWER: {"view", "measure_unit"},
    Role.COOPERATIVE: {
        "view",
        "enter_figures",
        "assess",
        "record_trace",
        "use_as_input",
        "submit_information_update",
    },
}


def refusal(action: str, **params) -> str:
    message = str(ACTIONS[action])
    return message % params if params else message


class Area:
    """The rows an account reaches, computed once per user object (i.e. once per request)."""

    def __init__(self, user):
        self.user = user
        self.scope = user.scope_unit if user.role != Role.COOPERATIVE else None
        self.organisation_id = user.organisation_id if user.role == Role.COOPERATIVE else None

    @cached_property
    def communes(self) -> frozenset[int]:
        """Today's communes covering the scope unit."""
        from hoptac.geo.models import AdministrativeUnit

        if self.scope is None:
            return frozenset()
        return frozenset(
            AdministrativeUnit.objects.current_communes_covering(self.scope).values_list("pk", flat=True)
        )

    @cached_property
    def _former_coverage(self) -> dict[int, set[int]]:
        """For each former unit sharing ground with the area: the current communes covering it."""
        from hoptac.geo.models import AdministrativeUnit, Generation, Level, UnitLineage

        if not self.communes:
            return {}
        touched = AdministrativeUnit.objects.filter(
            successor_links__new__in=self.communes, generation=Generation.OLD
        ).values_list("pk", "province_id")
        provinces = {province or pk for pk, province in touched}
        rows = UnitLineage.objects.filter(new__level=Level.COMMUNE, new__generation=Generation.NEW).filter(
            Q(old__province__in=provinces) | Q(old__in=provinces)
        )
        coverage: dict[int, set[int]] = defaultdict(set)
        for old, parent, province, new in rows.values_list(
            "old_id", "old__parent_id", "old__province_id", "new_id"
        ):
            for key in {old, parent, province}:
                if key is not None:
                    coverage[key].add(new)
        return coverage

    @cached_property
    def units(self) -> frozenset[int]:
        """Units lying in the area: every current commune covering them is in it."""
        from hoptac.geo.models import AdministrativeUnit, Level

        if self.scope is None:
            return frozenset()
        inside = set(self.communes) | {self.scope.pk}
        counts = (
            AdministrativeUnit.objects.filter(level=Level.COMMUNE, province__in=AdministrativeUnit.objects.filter(
                province_units__in=self.communes).values("pk"))
            .values("province_id")
            .annotate(total=models.Count("pk"), ours=models.Count("pk", filter=Q(pk__in=self.communes)))
        )  # fmt: skip
        inside |= {row["province_id"] for row in counts if row["total"] == row["ours"]}
        inside |= {unit for unit, covering in self._former_coverage.items() if covering <= self.communes}
        return frozenset(inside)

    @cached_property
    def overlapping(self) -> frozenset[int]:
        """Units sharing ground with the area (a plan of one of them applies here)."""
        from hoptac.geo.models import AdministrativeUnit

        if self.scope is None:
            return frozenset()
        provinces = AdministrativeUnit.objects.filter(pk__in=self.communes).values_list(
            "province_id", flat=True
        )
        near = set(self.units) | set(provinces) | {self.scope.parent_id, self.scope.province_id}
        near |= {unit for unit, covering in self._former_coverage.items() if covering & self.communes}
        return frozenset(near - {None})

    def holds_unit(self, unit) -> bool:
        return unit is not None and unit.pk in self.units

    def organisations(self):
        Organisation = apps.get_model("registry", "Organisation")  # a higher layer: looked up, not imported

        if self.organisation_id:
            return Organisation.objects.filter(pk=self.organisation_id)
        if self.scope is None:
            return Organisation.objects.none()
        return Organisation.objects.in_unit(self.scope)


def area(user) -> Area:
    cached = getattr(user, "_hoptac_area", None)
    if cached is None or cached.scope != (user.scope_unit if user.role != Role.COOPERATIVE else None):
        cached = Area(user)
        user._hoptac_area = cached
    return cached


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _is_national(user) -> bool:
    return user.is_national


def role_allows(user, action: str) -> bool:
    """Whether the account's role may ever do `action` (403 before any row is looked at)."""
    if action not in ACTIONS:
        raise ValueError(
            f"Unknown action {action!r}; the actions are listed in hoptac.accounts.access.ACTIONS."
        )
    if user is None:
        return True
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return action in ROLE_ACTIONS.get(user.role, set())


# ---- rows: the restricted queryset ------------------------------------------------------


def _target(model, path: str):
    """The model a `restrict_through` path ends at, and whether it crosses a many-valued relation."""
    many = False
    for name in [p for p in path.split("__") if p]:
        field = model._meta.get_field(name)
        many = many or field.many_to_many or field.one_to_many
        model = field.related_model
    return model, many


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def _condition(user, action: str, model, path: str) -> Q:
    from hoptac.accounts.models import Agency
    from hoptac.geo.models import AdministrativeUnit

    # plans and registry sit above accounts (docs/development.md, Layers): looked up, not imported
    Plan = apps.get_model("plans", "Plan")
    Organisation = apps.get_model("registry", "Organisation")

    reach = area(user)
    target, _many = _target(model, path)
    pk = f"{_prefix(path)}pk"
    if target is Organisation:
        if reach.organisation_id:
            return Q(**{pk: reach.organisation_id})
        return Q(**{f"{pk}__in": reach.organisations().values("pk")}) if reach.scope else Q(pk__in=[])
    if target is Plan:
        unit = f"{_prefix(path)}scope_unit"
        if action == "view":
            national = Q(**{f"{unit}__isnull": True})
            return national | Q(**{f"{unit}__in": reach.overlapping}) if reach.scope else national
        return Q(**{f"{unit}__in": reach.units})
    if target is AdministrativeUnit:
        return Q(**{f"{pk}__in": reach.units})
    if target is Agency:
        own = Q(**{pk: user.agency_id}) if user.agency_id else Q(pk__in=[])
        return own | Q(**{f"{_prefix(path)}unit__in": reach.units})
    raise ImproperlyConfiguredPath(f"{model.__name__}.restrict_through reaches {target.__name__}")


class ImproperlyConfiguredPath(Exception):
    """A model's `restrict_through` ends at something that is neither an organisation, a plan, a unit nor an agency."""


def paths_of(model) -> tuple[str, ...]:
    through = model.restrict_through
    return (through,) if isinstance(through, str) else tuple(through)


def restrict(queryset, user, action: str = "view"):
    """The rows of `queryset` that `user` may `action`: none for outsiders, all for the operator."""
    if user is None:
        return queryset
    if not role_allows(user, action):
        return queryset.none()
    if _is_national(user):
        return queryset
    model = queryset.model
    condition, many = Q(pk__in=[]), False
    for path in paths_of(model):
        condition |= _condition(user, action, model, path)
        many = many or _target(model, path)[1]
    if many:  # a many-valued path would repeat rows
        return queryset.filter(pk__in=model._base_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


class RestrictedQuerySet(models.QuerySet):
    """Every scoped model's queryset: `Model.objects.restrict(user, action="view")`.

    The model says once how its rows reach what they belong to, as a lookup path to an
    organisation, a plan, a unit or an agency: `restrict_through = "product__organisation"`
    (a tuple when a row belongs to any of several, e.g. a report due from a unit or an agency).
    """

    def restrict(self, user, action: str = "view"):
        return restrict(self, user, action)


# ---- one object: can / require ----------------------------------------------------------


def can(user, action: str, obj=None) -> bool:
    """Whether `user` may do `action` to `obj` (or at all, when `obj` is None)."""
    from hoptac.geo.models import AdministrativeUnit

    if not role_allows(user, action):
        return False
    if user is None or _is_national(user):
        return True
    if obj is None:  # the role may; measuring "no unit" is measuring the whole country
        return action != "measure_unit"
    if isinstance(obj, AdministrativeUnit):  # measure_unit, import: the unit lies in the area
        return area(user).holds_unit(obj)
    if action == "use_as_input":
        return _may_use_as_input(user, obj)
    if action == "undo_import":
        return obj.user_id == user.pk
    if action == "record_carriers":
        return _may_record_carriers(user, obj)
    return type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()


def _may_record_carriers(user, plan) -> bool:
    """Which body carries a task or duty now that the district bodies have ended is the province's
    decision (NĐ 150/2025): an officer of a current province covering the plan's area records it."""
    from hoptac.geo.models import AdministrativeUnit, Level

    scope = user.scope_unit
    if scope is None or scope.level != Level.PROVINCE or not scope.is_current or plan.scope_unit_id is None:
        return False
    plan_area = plan.scope_unit
    if plan_area.pk == scope.pk or plan_area.province_id == scope.pk:
        return True
    return AdministrativeUnit.objects.current_communes_covering(plan_area).filter(province=scope).exists()


def _may_use_as_input(user, lot) -> bool:
    """A lot is used as an input by its own cooperative, or by an officer whose area holds it.

    Naming another cooperative's lot would write "shipped to …" on that cooperative's public
    page for a product it never shipped (the recording officer's area must hold both lots; the
    lot being recorded is checked by `record_trace`).
    """
    if user.role == Role.COOPERATIVE:
        return lot.product.organisation_id == user.organisation_id
    return type(lot).objects.restrict(user, "use_as_input").filter(pk=lot.pk).exists()


def require(actor, action: str, obj=None, *, field: str | None = None) -> None:
    """The service-layer check: PermissionDenied (403) with the action's message.

    Operator commands (no user) pass. With `field`, the refusal names that field instead
    (400), for a value the account may not choose, e.g. a commune outside its area.
    """
    user = getattr(actor, "user", actor)
    if user is None or can(user, action, obj):
        return
    if field:
        raise ValidationError({field: refusal(action)})
    raise PermissionDenied(refusal(action))
