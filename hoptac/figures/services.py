"""Every write to annual figures and assessments: one function per action.

Workflow: draft → submitted → (reviewed, with two approval levels) → approved. Submitted and
approved figures are locked (FiguresLocked, HTTP 409) until an officer returns or reopens
them with a reason; reopening keeps the approved version.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.core.services import Conflict
from hoptac.figures import classification, plausibility, validation
from hoptac.figures.choices import GROUP_TOTALS, LOCKED_STATUSES, FiguresStatus, Grade
from hoptac.figures.fields import NAMES
from hoptac.figures.models import AnnualFigures, Assessment, Criterion, FiguresVersion, Rubric
from hoptac.geo.models import Level
from hoptac.registry.models import Organisation, StatusChange


class FiguresLocked(Conflict):
    """An edit to figures that are submitted or approved: reopen them first (HTTP 409)."""


class UnconfirmedWarnings(ValidationError):
    """Warnings the user has not confirmed; carries them by field."""

    def __init__(self, warnings: dict[str, list[str]]):
        self.warnings = warnings
        super().__init__(
            {field: messages for field, messages in warnings.items()}, code="unconfirmed_warnings"
        )


# ---- who may do what: hoptac.accounts.access --------------------------------------------


def _day(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else "—"


def approval_step(user) -> str:
    """With two levels, a commune officer reviews and a higher officer approves."""
    if settings.HOPTAC_APPROVAL_LEVELS == 2 and user is not None and not user.is_national:
        scope = user.scope_unit
        if scope is not None and scope.level == Level.COMMUNE:
            return FiguresStatus.REVIEWED
    return FiguresStatus.APPROVED


# ---- figures ---------------------------------------------------------------------------


def previous_values(organisation: Organisation, year: int) -> dict | None:
    prior = AnnualFigures.objects.best_for_year(year - 1).filter(organisation=organisation).first()
    return {name: getattr(prior, name) for name in NAMES} if prior else None


@transaction.atomic
def save_figures(
    actor: Actor,
    organisation: Organisation,
    year: int,
    data: dict,
    *,
    is_estimate: bool = False,
    confirm_warnings: bool = False,
    expected_version=None,
) -> AnnualFigures:
    """Create or update a draft. Errors raise ValidationError; warnings need `confirm_warnings`."""
    require(actor, "enter_figures", organisation)
    unknown = set(data) - set(NAMES)
    if unknown:
        raise ValidationError({name: _("Unknown figure.") for name in sorted(unknown)})
    figures, created = AnnualFigures.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, is_estimate=is_estimate
    )
    if not created:
        check_version(figures, expected_version)
    if figures.status in LOCKED_STATUSES:
        raise FiguresLocked(
            _("The %(year)s figures are %(status)s and locked; reopen them with a reason to change them.")
            % {"year": year, "status": figures.get_status_display().lower()}
        )
    before = None if created else snapshot(figures)
    for name, value in data.items():
        setattr(figures, name, value)
    values = {name: getattr(figures, name) for name in NAMES}
    errors, warnings = validation.check(values, organisation.kind, previous_values(organisation, year))
    if errors:
        raise ValidationError(errors)
    if warnings and not confirm_warnings:
        raise UnconfirmedWarnings(warnings)
    figures.confirmed_warnings = [m for messages in warnings.values() for m in messages]
    figures.full_clean(exclude=["organisation"])
    figures.save()
    after = snapshot(figures)
    if before != after:
        record(actor, Action.CREATE if created else Action.UPDATE, figures, before=before, after=after)
    return figures


@transaction.atomic
def discard_draft(actor: Actor, figures: AnnualFigures, expected_version=None) -> None:
    """Delete a draft set (e.g. when an import is undone); submitted or approved figures are kept,
    and so is a reopened draft (its approved versions are history)."""
    figures = AnnualFigures.objects.select_for_update().select_related("organisation").get(pk=figures.pk)
    require(actor, "enter_figures", figures.organisation)
    check_version(figures, expected_version)
    if figures.status in LOCKED_STATUSES:
        raise FiguresLocked(_("Only draft figures can be discarded."))
    if figures.versions.exists():
        raise FiguresLocked(
            _(
                "These figures were approved before; their approved versions are kept, so they cannot be discarded."
            )
        )
    before = snapshot(figures)
    target = AnnualFigures(
        pk=figures.pk, organisation=figures.organisation, year=figures.year, is_estimate=figures.is_estimate
    )
    figures.delete()
    record(actor, Action.DELETE, target, before=before)


def _transition(
    actor: Actor, figures: AnnualFigures, status: str, message: str = "", **fields
) -> AnnualFigures:
    before = snapshot(figures)
    figures.status = status
    for name, value in fields.items():
        setattr(figures, name, value)
    figures.save()
    record(actor, Action.STATUS, figures, before=before, after=snapshot(figures), message=message)
    return figures


@transaction.atomic
def submit(actor: Actor, figures: AnnualFigures) -> AnnualFigures:
    figures = AnnualFigures.objects.select_for_update().get(pk=figures.pk)
    require(actor, "enter_figures", figures.organisation)
    if figures.status != FiguresStatus.DRAFT:
        raise FiguresLocked(
            _("Only draft figures can be submitted; these are %(status)s.")
            % {"status": figures.get_status_display().lower()}
        )
    return _transition(
        actor, figures, FiguresStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=actor.user_name
    )


NOTE_MIN_LENGTH = 5


def _acknowledgement(actor: Actor, flags: list, note: str) -> str:
    """The audit message acknowledging a set's plausibility flags; refuses a missing note.

    The reviewer must have seen each flag (figures.plausibility) and say why the figures stand,
    whichever way they approve: the entry page, the review queue, its bulk approval or the API.
    The operator (a command such as load-demo, `actor.user` None) passes, as in access.require.
    """
    if not flags or actor.user is None:
        return ""
    note = (note or "").strip()
    if len(note) < NOTE_MIN_LENGTH:
        raise ValidationError({"note": _("Acknowledge the flags with a note before approving.")})
    return _("Flags acknowledged: %(flags)s Note: %(note)s") % {
        "flags": " ".join(flag.message for flag in flags),
        "note": note,
    }


@transaction.atomic
def approve(
    actor: Actor, figures: AnnualFigures, note: str = "", *, flags: list | None = None
) -> AnnualFigures:
    """Approve (or, at the first of two levels, review) submitted figures; approval keeps a version.

    A set with plausibility flags needs the reviewer's `note` acknowledging them (400 on `note`
    otherwise); the note goes into the audit entry of the approval. `flags`, when the caller has
    computed them for many sets at once (bulk_approve), saves computing them again.
    """
    figures = AnnualFigures.objects.select_for_update().select_related("organisation").get(pk=figures.pk)
    require(actor, "approve_figures", figures.organisation)
    step = approval_step(actor.user)
    if step == FiguresStatus.REVIEWED:
        allowed_from = {FiguresStatus.SUBMITTED}
    elif (
        settings.HOPTAC_APPROVAL_LEVELS == 2
        and actor.user is not None
        and not getattr(actor.user, "is_national", False)
    ):
        allowed_from = {FiguresStatus.REVIEWED}  # the commune reviews first
    else:
        allowed_from = {FiguresStatus.SUBMITTED, FiguresStatus.REVIEWED}
    if figures.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("Figures that are %(status)s cannot be approved at this step.")
                % {"status": figures.get_status_display().lower()}
            }
        )
    if flags is None and actor.user is not None:
        flags = plausibility.flags_for_many([figures]).get(figures.pk, [])
    message = _acknowledgement(actor, flags or [], note)
    if step == FiguresStatus.REVIEWED:
        return _transition(
            actor, figures, FiguresStatus.REVIEWED, message=message, reviewed_by=actor.user_name
        )
    now = timezone.now()
    figures = _transition(
        actor, figures, FiguresStatus.APPROVED, message=message, approved_at=now, approved_by=actor.user_name
    )
    number = figures.versions.count() + 1
    FiguresVersion.objects.create(
        figures=figures,
        number=number,
        data={n: getattr(figures, n) for n in NAMES},
        approved_at=now,
        approved_by=actor.user_name,
    )
    return figures


def bulk_approve(
    actor: Actor, figures_ids: list[int], notes: dict[int, str] | None = None
) -> tuple[int, dict[int, str]]:
    """Approve many; each in its own transaction, so one refusal does not undo the others.

    `notes` gives the reviewer's note per set; a flagged set without one is refused (its reason
    in the answer) like any other refusal."""
    notes = notes or {}
    done, refused = 0, {}
    chosen = list(AnnualFigures.objects.filter(pk__in=figures_ids).select_related("organisation__commune"))
    flags = plausibility.flags_for_many(chosen) if actor.user is not None else {}
    for figures in chosen:
        try:
            approve(actor, figures, notes.get(figures.pk, ""), flags=flags.get(figures.pk, []))
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            refused[figures.pk] = " ".join(getattr(exc, "messages", [str(exc)]))
    return done, refused


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Give the reason (at least a few words).")})
    return reason


@transaction.atomic
def return_for_correction(actor: Actor, figures: AnnualFigures, reason: str) -> AnnualFigures:
    figures = AnnualFigures.objects.select_for_update().get(pk=figures.pk)
    require(actor, "approve_figures", figures.organisation)
    reason = _require_reason(reason)
    if figures.status not in (FiguresStatus.SUBMITTED, FiguresStatus.REVIEWED):
        raise ValidationError({"status": _("Only submitted figures can be returned.")})
    return _transition(actor, figures, FiguresStatus.DRAFT, message=reason)


@transaction.atomic
def reopen(actor: Actor, figures: AnnualFigures, reason: str) -> AnnualFigures:
    """Unlock approved figures for correction; the approved version stays in the history."""
    figures = AnnualFigures.objects.select_for_update().get(pk=figures.pk)
    require(actor, "approve_figures", figures.organisation)
    reason = _require_reason(reason)
    if figures.status != FiguresStatus.APPROVED:
        raise ValidationError({"status": _("Only approved figures can be reopened.")})
    figures.versions.filter(number=figures.versions.count()).update(
        reopened_at=timezone.now(), reopened_by=actor.user_name, reopen_reason=reason
    )
    return _transition(actor, figures, FiguresStatus.DRAFT, message=reason, approved_at=None, approved_by="")


# ---- classification --------------------------------------------------------------------


def approved_figures_of_year(organisation: Organisation, year: int) -> AnnualFigures | None:
    """The year's figures that count (final, else estimate) if they are approved."""
    return AnnualFigures.objects.best_for_year(year).filter(organisation=organisation).approved().first()


def require_year_open(organisation: Organisation, year: int) -> None:
    """Everything derived from approved figures is locked with them (scores, grade, override):
    reopening the figures, with a reason, unlocks the year again."""
    if approved_figures_of_year(organisation, year) is not None:
        raise FiguresLocked(
            _(
                "The %(year)s figures are approved, so the %(year)s assessment is locked; reopen the figures with "
                "a reason to change it."
            )
            % {"year": year}
        )


def _clean_scores(raw: dict, criteria: dict[int, Criterion], field: str) -> dict[str, Decimal]:
    errors, scores = [], {}
    for key, value in (raw or {}).items():
        try:
            number = int(key)
            criterion = criteria[number]
        except (ValueError, KeyError):
            errors.append(_("There is no criterion %(key)s.") % {"key": key})
            continue
        try:
            points = Decimal(str(value))
        except (InvalidOperation, ValueError):
            errors.append(_("Criterion %(n)s: “%(v)s” is not a number.") % {"n": number, "v": value})
            continue
        if points < 0 or points > criterion.max_points:
            errors.append(
                _("Criterion %(n)s (%(name)s) scores from 0 to %(max)s; %(v)s given.")
                % {"n": number, "name": criterion.name, "max": criterion.max_points.normalize(), "v": value}
            )
            continue
        scores[str(number)] = points
    if errors:
        raise ValidationError({field: errors})
    return scores


def _status_history(organisation: Organisation) -> list:
    return sorted(organisation.status_changes.values_list("effective_date", "status"))


def compute(assessment: Assessment, organisation: Organisation, history: list | None = None) -> Assessment:
    """Fill score, computed grade and reason from the scores; keeps an officer's override."""
    scores = assessment.board_scores or assessment.self_scores
    suspended = classification.suspended_days(
        history if history is not None else _status_history(organisation),
        assessment.year,
        organisation.status,
    )
    reason = classification.not_rated_reason(
        organisation.kind, organisation.registration_date, assessment.year, suspended
    )
    if (
        not reason
        and assessment.rubric_id
        and not assessment.rubric.in_force_on(datetime.date(assessment.year, 12, 31))
    ):
        # The rubric it was made under has lapsed for that year: not rated, rather than by a lapsed rule.
        reason = _("Not rated (no rubric in force): %(rubric)s ended on %(day)s.") % {
            "rubric": assessment.rubric.label,
            "day": _day(assessment.rubric.valid_to),
        }
    assessment.not_rated_reason = reason
    if reason:
        assessment.score = None
        assessment.computed_grade = Grade.NOT_RATED
    elif scores:
        assessment.score = classification.total(scores)
        bands = assessment.rubric.grade_bands if assessment.rubric_id else None
        assessment.computed_grade = classification.grade_for(assessment.score, bands)
    else:
        assessment.score, assessment.computed_grade = None, Grade.NOT_RATED
        assessment.not_rated_reason = _("No scores entered.")
    assessment.grade = assessment.override_grade or assessment.computed_grade
    return assessment


@transaction.atomic
def assess(
    actor: Actor,
    organisation: Organisation,
    year: int,
    self_scores: dict | None = None,
    board_scores: dict | None = None,
    expected_version=None,
) -> Assessment:
    """Record the self-assessment and/or the supervisory board's check; recompute the grade.

    Refused while the year's figures are approved: the grade is part of what was approved.
    """
    require(actor, "assess", organisation)
    require_year_open(organisation, year)
    rubric = Rubric.for_year(year, _province_of(organisation))
    if rubric is None:
        raise ValidationError({"year": no_rubric_message(year)})
    criteria = {c.number: c for c in rubric.criteria.all()}
    assessment, created = Assessment.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, defaults={"rubric": rubric}
    )
    if not created:
        check_version(assessment, expected_version)
    before = None if created else snapshot(assessment)
    if self_scores is not None:
        assessment.self_scores = {
            k: str(v) for k, v in _clean_scores(self_scores, criteria, "criteria").items()
        }
    if board_scores is not None:
        assessment.board_scores = {
            k: str(v) for k, v in _clean_scores(board_scores, criteria, "board_criteria").items()
        }
    compute(assessment, organisation)
    assessment.updated_by = actor.user_name
    assessment.save()
    record(
        actor,
        Action.CREATE if created else Action.UPDATE,
        assessment,
        before=before,
        after=snapshot(assessment),
    )
    return assessment


@transaction.atomic
def override_grade(
    actor: Actor, assessment: Assessment, grade: str, reason: str, expected_version=None
) -> Assessment:
    """An officer sets the grade by hand, with a reason (or clears it with grade="")."""
    assessment = Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
    require(actor, "approve_figures", assessment.organisation)
    check_version(assessment, expected_version)
    require_year_open(assessment.organisation, assessment.year)
    if grade and grade not in Grade.values:
        raise ValidationError({"grade": _("Unknown grade.")})
    reason = _require_reason(reason) if grade else reason
    before = snapshot(assessment)
    assessment.override_grade, assessment.override_reason = grade, reason if grade else ""
    assessment.overridden_by = actor.user_name if grade else ""
    assessment.grade = grade or assessment.computed_grade
    assessment.save()
    record(actor, Action.UPDATE, assessment, before=before, after=snapshot(assessment), message=reason)
    return assessment


def check_rubric(rubric: Rubric) -> None:
    """Group totals of Phụ lục I (30 / 30 / 40) must hold after an administrator edits maxima."""
    sums: dict[str, Decimal] = {}
    for criterion in rubric.criteria.all():
        sums[criterion.group] = sums.get(criterion.group, Decimal(0)) + criterion.max_points
    wrong = {g: s for g, s in sums.items() if s != GROUP_TOTALS[g]}
    if wrong:
        raise ValidationError(
            _("Group maxima must be %(totals)s; they add up to %(sums)s.")
            % {
                "totals": ", ".join(f"{g} {t}" for g, t in GROUP_TOTALS.items()),
                "sums": ", ".join(f"{g} {s}" for g, s in sums.items()),
            }
        )


def classify_year(actor: Actor, year: int, organisations=None) -> dict[str, int]:
    """Recompute every assessment of a year in bulk (`hoptac classify`): a few queries, not one per row.

    Assessments of organisations whose figures of the year are approved are left as approved
    (counted as "locked"): reopening the figures unlocks them, as for a single assessment.
    """
    query = Assessment.objects.filter(year=year).select_related("organisation", "rubric")
    if organisations is not None:
        query = query.filter(organisation__in=organisations)
    approved = AnnualFigures.objects.best_for_year(year).approved().values("organisation")
    locked = query.filter(organisation__in=approved).count()
    assessments = list(query.exclude(organisation__in=approved))
    histories: dict[int, list] = {}
    for org_id, day, status in (
        StatusChange.objects.filter(organisation__in=[a.organisation_id for a in assessments])
        .values_list("organisation_id", "effective_date", "status")
        .order_by("organisation_id", "effective_date")
    ):
        histories.setdefault(org_id, []).append((day, status))
    changed, rescored = [], set()
    counts: dict[str, int] = {}
    for assessment in assessments:
        old = (assessment.score, assessment.computed_grade, assessment.grade, assessment.not_rated_reason)
        compute(assessment, assessment.organisation, histories.get(assessment.organisation_id, []))
        counts[assessment.grade] = counts.get(assessment.grade, 0) + 1
        if (
            assessment.score,
            assessment.computed_grade,
            assessment.grade,
            assessment.not_rated_reason,
        ) != old:
            changed.append(assessment)
            if assessment.score != old[0]:
                rescored.add(assessment.pk)
    # One UPDATE per distinct outcome rather than a CASE per row: grades take few values, and a
    # recomputation seldom changes a score (those rows carry their own score).
    groups: dict[tuple, list[int]] = {}
    for a in changed:
        score_key = a.score if a.pk in rescored else None
        groups.setdefault((score_key, a.computed_grade, a.grade, a.not_rated_reason), []).append(a.pk)
    with transaction.atomic():
        for (score, computed, grade, reason), ids in groups.items():
            values = {"computed_grade": computed, "grade": grade, "not_rated_reason": reason,
                      "version": F("version") + 1}  # fmt: skip
            for i in range(0, len(ids), 5000):
                batch = Assessment.objects.filter(pk__in=ids[i : i + 5000])
                if any(pk in rescored for pk in ids[i : i + 5000]):
                    batch.update(score=score, **values)
                else:
                    batch.update(**values)
        if changed:
            record(
                actor,
                Action.UPDATE,
                changed[0].rubric,
                message=_("Reclassified %(n)s assessments for %(year)s.") % {"n": len(changed), "year": year},
            )
    counts["changed"] = len(changed)
    counts["locked"] = locked
    return counts


def _province_of(organisation: Organisation):
    commune = organisation.commune if organisation.commune_id else None
    return commune.province if commune is not None and commune.province_id else None


def no_rubric_message(year: int) -> str:
    """ "Chưa xếp loại (không có tiêu chí còn hiệu lực)", naming the rubric that lapsed."""
    end = datetime.date(year, 12, 31)
    lapsed = Rubric.objects.filter(province__isnull=True, valid_to__lt=end).order_by("-valid_to").first()
    message = _("Not rated (no rubric in force) for %(year)s.") % {"year": year}
    if lapsed is not None:
        message += " " + _("%(rubric)s ended on %(day)s (%(by)s); a province may adopt local criteria.") % {
            "rubric": lapsed.label,
            "day": _day(lapsed.valid_to),
            "by": lapsed.ended_by or "—",
        }
    return message


@transaction.atomic
def set_rubric_validity(actor: Actor, rubric: Rubric, valid_from, valid_to, reason: str) -> Rubric:
    """An administrator changes a rubric's period when the official text is confirmed (audited, with a reason)."""
    require(actor, "manage_rules")
    reason = _require_reason(reason)
    if valid_from is None or (valid_to is not None and valid_to < valid_from):
        raise ValidationError({"valid_to": _("A rubric ends on or after the day it starts.")})
    before = snapshot(rubric)
    rubric.valid_from, rubric.valid_to = valid_from, valid_to
    rubric.save()
    record(actor, Action.UPDATE, rubric, before=before, after=snapshot(rubric), message=reason)
    return rubric


def clean_bands(bands: dict | None) -> dict:
    """A local rubric's bands: the lower bounds of tốt > khá > trung bình, within 0–100; {} for Điều 7's."""
    if not bands:
        return {}
    names = [Grade.GOOD, Grade.FAIR, Grade.AVERAGE]
    try:
        values = [Decimal(str(bands[g])) for g in names]
    except (KeyError, ArithmeticError, ValueError):
        raise ValidationError(
            {"bands": _("Give the lowest score of each of the grades tốt, khá and trung bình.")}
        ) from None
    if not (Decimal(100) >= values[0] > values[1] > values[2] > Decimal(0)) or set(bands) - set(names):
        raise ValidationError(
            {"bands": _("The bands must fall: tốt above khá above trung bình, between 0 and 100.")}
        )
    return {g: float(v) for g, v in zip(names, values, strict=True)}


@transaction.atomic
def adopt_local_rubric(
    actor: Actor,
    province,
    decision: str,
    valid_from,
    base: Rubric,
    valid_to=None,
    maxima: dict | None = None,
    bands: dict | None = None,
) -> Rubric:
    """A province adopts its own rubric (tiêu chí địa phương) by its decision, from a base rubric's criteria.

    The criteria are copied with the maxima the decision sets (`maxima`: {number: points});
    `bands` ({"tot": 75, "kha": 60, "trung_binh": 45}, lower bounds) are the decision's own
    grade bands, else those of TT 01/2020 Điều 7 (80 / 65 / 50).
    """
    if province is not None:
        require(actor, "adopt_local_rubric", province)
    if province is None or province.level != Level.PROVINCE or not decision.strip():
        raise ValidationError(
            {"decision": _("A local rubric needs its province and the number of its decision.")}
        )
    if valid_from is None or (valid_to is not None and valid_to < valid_from):
        raise ValidationError({"valid_to": _("A rubric ends on or after the day it starts.")})
    rubric = Rubric.objects.create(
        code=f"{province.code}:{decision.strip()}"[:40],
        name=f"{decision.strip()} – {province.name}",
        legal_source=decision.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        province=province,
        bands=clean_bands(bands),
    )
    for criterion in base.criteria.all():
        points = Decimal(str((maxima or {}).get(criterion.number, criterion.max_points)))
        Criterion.objects.create(
            rubric=rubric,
            number=criterion.number,
            group=criterion.group,
            name=criterion.name,
            max_points=points,
            sub_items=criterion.sub_items,
            confirmed=criterion.confirmed,
        )
    check_rubric(rubric)
    record(actor, Action.CREATE, rubric, after=snapshot(rubric))
    return rubric
