"""Many annual-figures sets and assessments at once, for loaders (the demo, past years' approved
figures): the same checks, statuses and audit trail as one set at a time (`services`), in a few
statements per batch. Split from `services` (the workflow and classification of one set)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core.audit import Actor, record_many, snapshot
from hoptac.core.models import Action
from hoptac.figures import validation
from hoptac.figures.choices import FiguresStatus
from hoptac.figures.fields import NAMES
from hoptac.figures.models import AnnualFigures, Assessment, Criterion, FiguresVersion, Rubric
from hoptac.figures.services import (
    _clean_scores,
    _province_of,
    approval_step,
    compute,
    no_rubric_message,
    require_year_open,
)
from hoptac.registry.models import Organisation, StatusChange


@dataclass(frozen=True)
class FiguresRow:
    """One set for `load_figures`: whose, which year, the values and how far it has gone."""

    organisation: Organisation
    year: int
    data: dict
    is_estimate: bool = False
    status: str = FiguresStatus.DRAFT  # draft, submitted or approved


def _previous_by_organisation(rows: list[FiguresRow]) -> dict[tuple[int, int], dict]:
    """The values of the year before each row (final, else estimate), from the database and the batch."""
    found: dict[tuple[int, int, bool], dict] = {}
    wanted = {(r.organisation.pk, r.year - 1) for r in rows}
    org_ids = sorted({org for org, _year in wanted})
    years = sorted({year for _org, year in wanted})
    for i in range(0, len(org_ids), 1000):
        for values in AnnualFigures.objects.filter(
            organisation_id__in=org_ids[i : i + 1000], year__in=years
        ).values("organisation_id", "year", "is_estimate", *NAMES):
            key = (values.pop("organisation_id"), values.pop("year"), values.pop("is_estimate"))
            found[key] = values
    for r in rows:
        found[(r.organisation.pk, r.year, r.is_estimate)] = {n: r.data.get(n) for n in NAMES}
    previous = {}
    for org, year in wanted:
        best = found.get((org, year, False)) or found.get((org, year, True))
        if best is not None:
            previous[(org, year + 1)] = best
    return previous


@transaction.atomic
def load_figures(actor: Actor, rows: list[FiguresRow]) -> list[AnnualFigures]:
    """Many new sets at once, each taken to its status (loaders: the demo, past years' approved
    figures): the checks of save_figures → submit → approve, the approved versions and the same
    audit entries (created, submitted, approved), in a few queries instead of a dozen per set.

    Warnings are recorded as confirmed (a loader has no one to ask); an error in any row refuses
    the whole batch, naming the row. Sets that already exist are refused: edit those one by one.
    """
    allowed = {FiguresStatus.DRAFT, FiguresStatus.SUBMITTED, FiguresStatus.APPROVED}
    checked: set[tuple[int, str]] = set()
    for r in rows:
        for action in ("enter_figures",) + (
            ("approve_figures",) if r.status == FiguresStatus.APPROVED else ()
        ):
            if (r.organisation.pk, action) not in checked:
                require(actor, action, r.organisation)
                checked.add((r.organisation.pk, action))
    if (
        any(r.status == FiguresStatus.APPROVED for r in rows)
        and approval_step(actor.user) != FiguresStatus.APPROVED
    ):
        raise ValidationError(
            {"status": _("At two approval levels, a commune officer cannot approve figures.")}
        )
    previous = _previous_by_organisation(rows)
    existing: set[tuple[int, int, bool]] = set()
    org_ids = sorted({r.organisation.pk for r in rows})
    for i in range(0, len(org_ids), 1000):
        existing.update(
            AnnualFigures.objects.filter(organisation_id__in=org_ids[i : i + 1000]).values_list(
                "organisation_id", "year", "is_estimate"
            )
        )
    now = timezone.now()
    sets = []
    for index, r in enumerate(rows):
        where = _("Row %(n)s (%(organisation)s, %(year)s): ") % {
            "n": index + 1, "organisation": r.organisation.name, "year": r.year,
        }  # fmt: skip
        unknown = set(r.data) - set(NAMES)
        if unknown or r.status not in allowed:
            raise ValidationError(where + _("Unknown figure or status."))
        if (r.organisation.pk, r.year, r.is_estimate) in existing:
            raise ValidationError(
                where + _("This organisation already has figures of this kind for this year.")
            )
        existing.add((r.organisation.pk, r.year, r.is_estimate))
        if not 1990 <= r.year <= 2100:
            raise ValidationError(where + _("The year must be between 1990 and 2100."))
        figures = AnnualFigures(organisation=r.organisation, year=r.year, is_estimate=r.is_estimate, **r.data)
        values = {name: getattr(figures, name) for name in NAMES}
        errors, warnings = validation.check(
            values, r.organisation.kind, previous.get((r.organisation.pk, r.year))
        )
        if errors:
            raise ValidationError(where + "; ".join(m for messages in errors.values() for m in messages))
        figures.confirmed_warnings = [m for messages in warnings.values() for m in messages]
        try:
            figures.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(where + "; ".join(exc.messages)) from exc
        figures.derive()
        figures.status = r.status
        if r.status != FiguresStatus.DRAFT:
            figures.submitted_at, figures.submitted_by = now, actor.user_name
        if r.status == FiguresStatus.APPROVED:
            figures.approved_at, figures.approved_by = now, actor.user_name
        sets.append(figures)
    AnnualFigures.objects.bulk_create(sets, batch_size=500)
    # The trail one set at a time would leave: created as a draft, then each status change.
    finals = [snapshot(f) for f in sets]
    drafts = [
        {**s, "status": FiguresStatus.DRAFT, "submitted_at": None, "submitted_by": "", "approved_at": None,
         "approved_by": ""}
        for s in finals
    ]  # fmt: skip
    submitted = [
        {**s, "status": FiguresStatus.SUBMITTED, "approved_at": None, "approved_by": ""} for s in finals
    ]
    record_many(actor, Action.CREATE, sets, drafts)
    moved = [i for i, f in enumerate(sets) if f.status != FiguresStatus.DRAFT]
    record_many(
        actor,
        Action.STATUS,
        [sets[i] for i in moved],
        [submitted[i] for i in moved],
        [drafts[i] for i in moved],
    )
    approved = [i for i, f in enumerate(sets) if f.status == FiguresStatus.APPROVED]
    record_many(
        actor, Action.STATUS, [sets[i] for i in approved], [finals[i] for i in approved],
        [submitted[i] for i in approved],
    )  # fmt: skip
    FiguresVersion.objects.bulk_create(
        [
            FiguresVersion(
                figures=sets[i],
                number=1,
                data={n: getattr(sets[i], n) for n in NAMES},
                approved_at=now,
                approved_by=actor.user_name,
            )
            for i in approved
        ],  # fmt: skip
        batch_size=500,
    )
    return sets


@transaction.atomic
def assess_many(actor: Actor, rows: list[tuple[Organisation, int, dict]]) -> list[Assessment]:
    """New self-assessments in bulk (loaders): each row (organisation, year, self scores) gets the
    checks of assess(): in scope, the year open, a rubric in force, valid scores; one audit entry
    each. An assessment that already exists is refused: change it with assess()."""
    checked: set[int] = set()
    for organisation, _year, _scores in rows:
        if organisation.pk not in checked:
            require(actor, "assess", organisation)
            checked.add(organisation.pk)
    org_ids = sorted(checked)
    years = sorted({year for _org, year, _scores in rows})
    taken: set[tuple[int, int]] = set()
    locked: set[tuple[int, int]] = set()
    histories: dict[int, list] = {}
    for i in range(0, len(org_ids), 1000):
        chunk = org_ids[i : i + 1000]
        taken.update(
            Assessment.objects.filter(organisation_id__in=chunk, year__in=years).values_list(
                "organisation_id", "year"
            )
        )
        for year in years:
            locked.update(
                (org, year)
                for org in AnnualFigures.objects.best_for_year(year)
                .approved()
                .filter(organisation_id__in=chunk)
                .values_list("organisation_id", flat=True)
            )
        for org_id, day, status in (
            StatusChange.objects.filter(organisation_id__in=chunk)
            .values_list("organisation_id", "effective_date", "status")
            .order_by("organisation_id", "effective_date")
        ):
            histories.setdefault(org_id, []).append((day, status))
    rubrics: dict[tuple[int, int | None], tuple[Rubric | None, dict[int, Criterion]]] = {}
    assessments = []
    for organisation, year, self_scores in rows:
        if (organisation.pk, year) in taken:
            raise ValidationError(
                _("%(organisation)s already has an assessment for %(year)s.")
                % {"organisation": organisation.name, "year": year}
            )
        taken.add((organisation.pk, year))
        if (organisation.pk, year) in locked:
            require_year_open(organisation, year)  # raises FiguresLocked with its message
        province = _province_of(organisation)
        key = (year, province.pk if province is not None else None)
        if key not in rubrics:
            rubric = Rubric.for_year(year, province)
            rubrics[key] = (rubric, {c.number: c for c in rubric.criteria.all()} if rubric else {})
        rubric, criteria = rubrics[key]
        if rubric is None:
            raise ValidationError({"year": no_rubric_message(year)})
        assessment = Assessment(
            organisation=organisation, year=year, rubric=rubric, updated_by=actor.user_name
        )
        assessment.self_scores = {
            k: str(v) for k, v in _clean_scores(self_scores, criteria, "criteria").items()
        }
        compute(assessment, organisation, histories.get(organisation.pk, []))
        assessments.append(assessment)
    Assessment.objects.bulk_create(assessments, batch_size=500)
    record_many(actor, Action.CREATE, assessments, [snapshot(a) for a in assessments])
    return assessments
