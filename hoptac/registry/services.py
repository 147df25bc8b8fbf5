"""Every write to the registry: one function per action, shared by views, API, imports and commands.

Each checks permission, validates, saves inside a transaction and leaves an audit entry.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hoptac.accounts.access import refusal, require
from hoptac.core.audit import Actor, record, record_deleted, record_many, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.core.services import Conflict, apply_fields, validate
from hoptac.core.text import search_key, sort_text
from hoptac.registry.choices import ENDED_STATUSES, Status
from hoptac.registry.models import Organisation, StatusChange, UnionMembership

# Fields a create or edit may set; status goes through change_status() so its history is kept.
EDITABLE_FIELDS = {
    "kind", "name", "tax_code", "registration_date", "registration_authority", "legal_basis", "reorganised",
    "commune", "former_commune", "address", "sector", "service_type", "operating_scale",
    "led_by_woman", "ethnic_minority_area", "founding_mass_organisation", "has_party_cell",
    "has_mass_organisations", "director_name", "phone", "email",
    "tht_regime", "contract_date", "contract_end_date", "in_commune_register", "commune_register_date",
}  # fmt: skip


def _require_in_area(actor: Actor, organisation: Organisation) -> None:
    """A writer may only place an organisation inside its own area: the commune is refused (400)."""
    require(actor, "change", organisation, field="commune")


def _save(organisation: Organisation) -> None:
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # a race past full_clean(): report it like the validation would
        raise ValidationError({"tax_code": _("Another organisation already has this tax code.")}) from exc


@transaction.atomic
def create_organisation(actor: Actor, data: dict) -> Organisation:
    require(actor, "change")
    organisation = Organisation()
    apply_fields(organisation, data, EDITABLE_FIELDS)
    validate(organisation)
    organisation.status_since = organisation.status_since or organisation.registration_date
    _save(organisation)
    _require_in_area(actor, organisation)
    record(actor, Action.CREATE, organisation, after=snapshot(organisation))
    return organisation


@transaction.atomic
def create_organisations(actor: Actor, rows: list[dict]) -> list[Organisation]:
    """Many new organisations at once (imports): the checks of create_organisation, in bulk.

    Each row is validated as one organisation would be (fields and clean(), without a query per
    row); tax codes are checked against the registry and each other in one query per 1,000;
    rows are inserted with bulk_create and each gets its own audit entry. All or nothing.
    """
    require(actor, "change")
    organisations, errors = [], {}
    for index, data in enumerate(rows):
        organisation = Organisation()
        apply_fields(organisation, data, EDITABLE_FIELDS)
        try:
            # Units come as objects from the caller (no existence query); constraints are checked below.
            organisation.full_clean(exclude=["commune", "former_commune"], validate_constraints=False)
        except ValidationError as exc:
            errors[index] = exc
        organisation.status_since = organisation.status_since or organisation.registration_date
        organisation.search_key = search_key(organisation.name, organisation.tax_code)
        organisation.name_key = sort_text(organisation.name)
        organisations.append(organisation)
    codes = [o.tax_code for o in organisations if o.tax_code]
    taken: set[str] = set()
    for i in range(0, len(codes), 1000):
        taken.update(
            Organisation.objects.filter(tax_code__in=codes[i : i + 1000]).values_list("tax_code", flat=True)
        )
    seen = set()
    for index, organisation in enumerate(organisations):
        if organisation.tax_code and (organisation.tax_code in taken or organisation.tax_code in seen):
            errors.setdefault(
                index, ValidationError({"tax_code": _("Another organisation already has this tax code.")})
            )
        seen.add(organisation.tax_code)
    if errors:
        first = min(errors)
        raise ValidationError(
            _("Row %(n)s of %(total)s: %(errors)s")
            % {"n": first + 1, "total": len(rows), "errors": "; ".join(errors[first].messages)}
        )
    try:
        with transaction.atomic():
            Organisation.objects.bulk_create(organisations, batch_size=1000)
    except IntegrityError as exc:  # a race past the checks above
        raise ValidationError({"tax_code": _("Another organisation already has this tax code.")}) from exc
    if actor.user is not None:
        ids = [o.pk for o in organisations]
        inside = 0
        for i in range(0, len(ids), 1000):
            inside += (
                Organisation.objects.restrict(actor.user, "change").filter(pk__in=ids[i : i + 1000]).count()
            )
        if inside != len(ids):
            raise ValidationError({"commune": refusal("change")})
    record_many(actor, Action.CREATE, organisations, [snapshot(o) for o in organisations])
    return organisations


@transaction.atomic
def update_organisation(
    actor: Actor, organisation: Organisation, data: dict, expected_version=None
) -> Organisation:
    """Change the details; `expected_version` (the version the editor started from) refuses a stale edit."""
    require(actor, "change")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_version(organisation, expected_version)
    before = snapshot(organisation)
    apply_fields(organisation, data, EDITABLE_FIELDS)
    validate(organisation)
    _save(organisation)
    _require_in_area(actor, organisation)
    after = snapshot(organisation)
    if after != before:
        record(actor, Action.UPDATE, organisation, before=before, after=after)
    return organisation


@transaction.atomic
def change_status(
    actor: Actor,
    organisation: Organisation,
    status: str,
    effective_date: datetime.date,
    decision: str = "",
    note: str = "",
    merged_into: Organisation | None = None,
    expected_version=None,
) -> StatusChange:
    """Move an organisation to a new status and keep the dated history.

    Dissolved and merged are final: such an organisation is kept for history only.
    """
    require(actor, "change")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_version(organisation, expected_version)
    errors = {}
    if status not in Status.values:
        errors["status"] = _("Unknown status “%(status)s”.") % {"status": status}
    elif organisation.status in ENDED_STATUSES:
        errors["status"] = _("This organisation is %(status)s; its status can no longer change.") % {
            "status": organisation.get_status_display().lower()
        }
    elif status == organisation.status:
        errors["status"] = _("The organisation already has this status.")
    if status == Status.MERGED and merged_into is None:
        errors["merged_into"] = _("Name the organisation it merged into.")
    if merged_into is not None and merged_into.pk == organisation.pk:
        errors["merged_into"] = _("An organisation cannot merge into itself.")
    if effective_date is None:
        errors["effective_date"] = _("Give the date the status took effect.")
    elif effective_date > timezone.localdate():
        errors["effective_date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(organisation)
    organisation.status = status
    organisation.status_since = effective_date
    organisation.merged_into = merged_into if status == Status.MERGED else None
    organisation.save(update_fields=["status", "status_since", "merged_into", "updated_at"])
    change = StatusChange.objects.create(
        organisation=organisation,
        status=status,
        effective_date=effective_date,
        decision=decision,
        note=note,
        recorded_by=actor.user_name,
    )
    record(
        actor,
        Action.STATUS,
        organisation,
        before=before,
        after=snapshot(organisation),
        message=note or decision,
    )
    return change


class OrganisationHeld(Conflict):
    """Deleting would take approved or audited records with it (HTTP 409): dissolve or merge instead."""


# What keeps an organisation from being deleted: (related name, rows that hold it, how to name them).
# Approved or audited history never goes by cascade; such an organisation ends by dissolution or merger.
HOLDERS: list[tuple[str, dict[str, object], object]] = [
    (
        "annual_figures",
        {"status__in": ["submitted", "reviewed", "approved"]},
        _lazy("submitted or approved figures"),
    ),
    ("annual_figures", {"versions__isnull": False}, _lazy("figures approved before (reopened)")),
    ("assessments", {}, _lazy("assessments")),
    ("status_changes", {}, _lazy("status changes")),
    ("links", {}, _lazy("value-chain links")),
    ("support_records", {}, _lazy("support records")),
    ("ocop_products", {}, _lazy("OCOP products")),
    ("trace_products", {}, _lazy("traced products")),
    ("trace_events", {}, _lazy("traceability events")),
    ("dissolution_cases", {}, _lazy("dissolution cases")),
    ("mergers", {}, _lazy("mergers it survived")),
    ("merged_by", {}, _lazy("mergers it took part in")),
    ("merged_from", {}, _lazy("organisations merged into it")),
]


def deletion_holders(organisation: Organisation) -> list[tuple[str, int]]:
    """The approved or audited records that keep this organisation from being deleted, with counts."""
    held = []
    for related, condition, label in HOLDERS:
        count = getattr(organisation, related).filter(**condition).distinct().count()
        if count:
            held.append((str(label), count))
    return held


@transaction.atomic
def delete_organisation(actor: Actor, organisation: Organisation, expected_version=None) -> None:
    """Remove an entry made by mistake. A real organisation that ends is dissolved, not deleted.

    Refused (OrganisationHeld, 409) while approved or audited records hold it (HOLDERS). What may
    go with a mistaken entry (draft figures, managers and their trainings, union memberships) is
    deleted row by row, each with its own audit entry, before the organisation itself.
    """
    require(actor, "change")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_version(organisation, expected_version)
    held = deletion_holders(organisation)
    if held:
        raise OrganisationHeld(
            _("%(name)s cannot be deleted: it holds %(records)s. Record its dissolution or merger instead.")
            % {"name": organisation.name, "records": ", ".join(f"{label} ({n})" for label, n in held)}
        )
    _delete_with_audit(actor, organisation.annual_figures.all())
    for manager in organisation.managers.all():
        _delete_with_audit(actor, manager.trainings.all())
        _delete_with_audit(actor, [manager])
    _delete_with_audit(actor, organisation.memberships.select_related("union", "member"))
    _delete_with_audit(actor, organisation.union_memberships.select_related("union", "member"))
    before = snapshot(organisation)
    entry_target = Organisation(pk=organisation.pk, name=organisation.name)
    try:
        with transaction.atomic():
            organisation.delete()
    except ProtectedError as exc:
        raise OrganisationHeld(
            _("%(name)s cannot be deleted because other records refer to it; change its status instead.")
            % {"name": organisation.name}
        ) from exc
    record(actor, Action.DELETE, entry_target, before=before)


DELETE_CHUNK = 900  # ids per statement (under SQLite's old limit of 999 parameters)


@transaction.atomic
def delete_organisations(actor: Actor, pks) -> int:
    """Remove many mistaken entries at once (an import's undo), by id: the same refusal and the same
    trail as `delete_organisation`, in a few statements per 900 organisations instead of ~45 each.
    An id no longer in the registry (deleted by hand since) is skipped.

    An organisation that any other row refers to (what HOLDERS names, and what goes with a
    mistaken entry: draft figures, managers, memberships, accounts) takes `delete_organisation`
    itself, with its refusal (OrganisationHeld) and its row-by-row trail; the others are deleted
    together, each with its DELETE entry holding what it was. Returns the number deleted."""
    require(actor, "change")
    pks = sorted({int(pk) for pk in pks})
    relations = [r for r in Organisation._meta.related_objects if not r.many_to_many]
    bare: list[Organisation] = []
    referred: list[Organisation] = []
    for i in range(0, len(pks), DELETE_CHUNK):
        chunk = pks[i : i + DELETE_CHUNK]
        named: set[int] = set()
        for relation in relations:
            named.update(
                relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": chunk})
                .values_list(relation.field.attname, flat=True)
                .distinct()
            )
        for organisation in Organisation.objects.select_for_update().filter(pk__in=chunk).order_by("pk"):
            (referred if organisation.pk in named else bare).append(organisation)
    for organisation in referred:
        delete_organisation(actor, organisation)
    for i in range(0, len(bare), DELETE_CHUNK):
        group = bare[i : i + DELETE_CHUNK]
        befores = [snapshot(o) for o in group]
        targets = [Organisation(pk=o.pk, name=o.name) for o in group]  # the entries name what went
        try:
            with transaction.atomic():
                Organisation.objects.filter(pk__in=[o.pk for o in group]).delete()
        except ProtectedError:  # a row referring to one appeared since the look above: one by one
            for organisation in group:
                delete_organisation(actor, organisation)
            continue
        record_deleted(actor, targets, befores)
    return len(referred) + len(bare)


def _delete_with_audit(actor: Actor, rows) -> None:
    """Delete rows one by one, each leaving a DELETE entry with what it held."""
    for row in list(rows):
        before, pk = snapshot(row), row.pk
        row.delete()
        row.pk = pk  # the entry names the row it removed
        record(actor, Action.DELETE, row, before=before)


@transaction.atomic
def set_union_members(actor: Actor, union: Organisation, members: list[Organisation], joined_on=None) -> None:
    """Replace the member cooperatives of a union (LHHTX)."""
    require(actor, "change")
    _require_in_area(actor, union)
    before = sorted(union.memberships.values_list("member_id", flat=True))
    wanted = {m.pk: m for m in members}
    union.memberships.exclude(member_id__in=wanted).delete()
    for member in members:
        if member.pk in before:
            continue
        link = UnionMembership(union=union, member=member, joined_on=joined_on)
        link.full_clean()
        link.save()
    after = sorted(wanted)
    if after != before:
        record(
            actor,
            Action.UPDATE,
            union,
            before={"member_cooperatives": before},
            after={"member_cooperatives": after},
        )
