"""Pages for entering, reviewing and approving figures, and for the assessment.

Scope as everywhere: an organisation outside the user's scope is 404; a user who may not do
an action gets 403; locked figures refuse edits with a message.
"""

import datetime
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hoptac.accounts import access
from hoptac.core.audit import Actor, history
from hoptac.core.cache import data_version, unit_version
from hoptac.core.collation import by_name, vi
from hoptac.core.concurrency import StaleVersion, add_version_field, show_conflict
from hoptac.core.forms import add_service_errors
from hoptac.core.jobs import start as start_job
from hoptac.core.text import search_words
from hoptac.core.validation import query_year
from hoptac.figures import jobs, plausibility, reminders, services
from hoptac.figures.choices import LOCKED_STATUSES, WAITING_STATUSES, FiguresStatus
from hoptac.figures.fields import FIGURES, GROUPS
from hoptac.figures.forms import AssessmentForm, FiguresForm, OverrideForm, ReasonForm, group_digits
from hoptac.figures.models import AnnualFigures, Assessment, Rubric
from hoptac.geo.fields import resolve_ref
from hoptac.geo.models import REFORM_DATE
from hoptac.registry.choices import Kind
from hoptac.registry.models import Organisation


def _organisation(request, pk):
    return get_object_or_404(
        Organisation.objects.restrict(request.user).select_related("commune__province"), pk=pk
    )


def _year_ok(year: int) -> None:
    if not 1990 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("No figures can be entered for %(year)s.") % {"year": year})


@login_required
@require_http_methods(["GET", "POST"])
def figures_entry(request, pk, year):
    organisation = _organisation(request, pk)
    sets = {f.is_estimate: f for f in AnnualFigures.objects.filter(organisation=organisation, year=year)}
    is_estimate = _which_set(request, year, sets)
    figures = sets.get(is_estimate)
    other = sets.get(not is_estimate)
    previous = services.previous_values(organisation, year) or {}
    can_edit = access.can(request.user, "enter_figures", organisation)
    warnings = {}
    initial = {f.name: getattr(figures, f.name) for f in FIGURES} if figures else {}
    form = FiguresForm(request.POST or None, initial=initial)
    add_version_field(form, figures)
    conflict = {}
    if request.method == "POST":
        if not can_edit:
            access.require(request.user, "enter_figures", organisation)
        if form.is_valid():
            try:
                _year_ok(year)
                services.save_figures(
                    Actor.from_request(request), organisation, year, form.figure_values(),
                    is_estimate=is_estimate, confirm_warnings=form.cleaned_data["confirm_warnings"],
                    expected_version=form.cleaned_data.get("version"),
                )  # fmt: skip
            except StaleVersion as exc:  # saved by someone else meanwhile: show both, overwrite nothing
                conflict = show_conflict(form, exc)
            except services.UnconfirmedWarnings as exc:
                warnings = exc.warnings
            except services.FiguresLocked as exc:
                messages.error(request, str(exc))
                return redirect(_entry_url(organisation, year, is_estimate))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Figures saved as a draft."))
                return redirect(_entry_url(organisation, year, is_estimate))
    groups = [
        (
            label,
            [
                (form[f.name], _show(previous.get(f.name)), warnings.get(f.name, []))
                for f in FIGURES
                if f.group == key
            ],
        )
        for key, label in GROUPS.items()
    ]
    context = {
        "organisation": organisation,
        "year": year,
        "is_estimate": is_estimate,
        "figures": figures,
        "other": other,
        "form": form,
        "groups": groups,
        "warnings": warnings,
        "locked": figures is not None and figures.status in LOCKED_STATUSES,
        "can_edit": can_edit,
        "is_officer": access.role_allows(request.user, "approve_figures"),
        "reason_form": ReasonForm(),
        "versions": figures.versions.all() if figures else [],
        "history": history(figures)[:30] if figures else [],
        "years": _years_around(year),
        **conflict,
        "flags": plausibility.flags_for_many([figures]).get(figures.pk, [])
        if figures is not None and figures.status in (FiguresStatus.SUBMITTED, FiguresStatus.REVIEWED)
        else [],
    }
    status = 409 if conflict else 400 if form.errors or warnings else 200
    return render(request, "figures/entry.html", context, status=status)


def _which_set(request, year: int, sets: dict) -> bool:
    """Whether the page is the year's estimate. Said by `?estimate=1|0` (or the posted form);
    without it, the set that exists (the final one first), else the form the year calls for: an
    estimate while the year runs, the final figures once it has ended (issue 18: not an empty
    official form while an estimate exists)."""
    if request.method == "POST":
        return request.POST.get("is_estimate") == "1"
    asked = request.GET.get("estimate")
    if asked in ("0", "1"):
        return asked == "1"
    if False in sets:
        return False
    if True in sets:
        return True
    return year >= timezone.localdate().year


def _entry_url(organisation, year: int, is_estimate: bool) -> str:
    return reverse("figures:entry", args=[organisation.pk, year]) + (
        "?estimate=1" if is_estimate else "?estimate=0"
    )


def _years_around(year: int) -> range:
    """The year box's choices, always holding the year shown (so the box says the year it opens)."""
    today = timezone.localdate().year
    return range(max(year, today), min(year, today - 7) - 1, -1)


def _show(value):
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return group_digits(value)


@login_required
@require_POST
def figures_action(request, pk, year, action):
    if action not in ("submit", "approve", "reopen", "return"):
        raise Http404
    organisation = _organisation(request, pk)
    is_estimate = request.POST.get("is_estimate") == "1"
    figures = get_object_or_404(AnnualFigures, organisation=organisation, year=year, is_estimate=is_estimate)
    actor = Actor.from_request(request)
    try:
        if action == "submit":
            services.submit(actor, figures)
            messages.success(request, _("Figures submitted for approval."))
        elif action == "approve":
            services.approve(actor, figures, request.POST.get("note", ""))
            messages.success(request, _("Figures approved."))
        else:
            form = ReasonForm(request.POST)
            reason = form.data.get("reason", "")
            (services.reopen if action == "reopen" else services.return_for_correction)(
                actor, figures, reason
            )
            messages.success(
                request,
                _("Figures reopened for correction.")
                if action == "reopen"
                else _("Figures returned for correction."),
            )
    except (ValidationError, services.FiguresLocked) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(_entry_url(organisation, year, is_estimate))


REVIEW_PAGE_SIZE = 50

# The review queue's orders. By default the oldest submission first: the reviewer works through
# the figures in the order they came in (whoever sent first has waited longest for the Điều 9
# deadlines), and the partial index figures_waiting_idx (year, submitted_at, id) WHERE status is
# submitted or reviewed serves it, so a page of a national queue of 100,000 sets reads its 50
# index entries instead of sorting the 100,000 by organisation name through a join (issue 20).
# By name on request (?order=name): sorted as before, slower on a national queue.
QUEUE_ORDERS = {"": ("submitted_at", "pk"), "name": by_name("organisation__name", "pk")}


class CountedPaginator(Paginator):
    """A paginator that is told its count when the page already knows it (None: counted)."""

    def __init__(self, object_list, per_page, count: int | None = None):
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:
        return super().count if self.known is None else self.known


@login_required
@require_http_methods(["GET", "POST"])
def review_queue(request):
    """Figures waiting for this officer, a page at a time, with their plausibility flags (each to
    be acknowledged with a note before approval), the Điều 9 deadlines, and the organisations of
    the area that have not started their figures, with a reminder."""
    if not access.role_allows(request.user, "approve_figures"):
        raise PermissionDenied(access.refusal("approve_figures"))
    today = timezone.localdate()
    default = today.year if today.month == 12 else today.year - 1
    try:
        year = query_year(request.GET, default=default)
    except ValidationError:
        year = default  # a hostile ?year= shows the usual year rather than a 500
    if request.method == "POST":
        return _review_post(request, year)
    order = request.GET.get("order", "")
    if order not in QUEUE_ORDERS:
        order = ""
    waiting = (
        AnnualFigures.objects.restrict(request.user)
        .waiting()
        .filter(year=year)
        .select_related("organisation__commune")
        .order_by(*QUEUE_ORDERS[order])
    )
    counts = _status_counts(request.user, year)
    q = request.GET.get("q", "").strip()
    for word in search_words(q):
        waiting = waiting.filter(organisation__search_key__contains=word)
    status = request.GET.get("status", "")
    if status in WAITING_STATUSES:
        waiting = waiting.filter(status=status)
    kind = request.GET.get("estimate", "")
    if kind in ("0", "1"):
        waiting = waiting.filter(is_estimate=kind == "1")
    # Unless a search or the kind of figures narrows it, the queue's size is in the status counts
    # the page shows anyway: not counted a second time.
    known = None if q or kind else sum(counts["raw"][s] for s in ([status] if status else WAITING_STATUSES))
    if request.GET.get("flagged") == "1":
        # Flags depend on the previous year and the peers, so they are computed over the whole
        # filtered queue (plausibility.flagged_ids); the page is then read by id.
        page = Paginator(plausibility.flagged_ids(waiting), REVIEW_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        by_id = {f.pk: f for f in waiting.filter(pk__in=list(page.object_list))}
        sets = [by_id[pk] for pk in page.object_list if pk in by_id]
    else:
        page = CountedPaginator(waiting, REVIEW_PAGE_SIZE, count=known).get_page(request.GET.get("page"))
        sets = list(page.object_list)
    # The page's sets only; the peers' medians cached per province (plausibility.cached_medians).
    flags = plausibility.flags_for_many(sets, medians=plausibility.cached_medians(sets))
    rows = [(f, flags.get(f.pk, [])) for f in sets]
    # Labels looked up once: get_FOO_display hashes every lazy choice label on each call.
    statuses = {value: str(label) for value, label in FiguresStatus.choices}
    for f in sets:
        f.status_label = statuses.get(f.status, f.status)
    missing = (
        reminders.not_started(request.user, year)
        .select_related("commune")
        .order_by(vi("name", key="name_key"), "id")
    )
    missing_page = CountedPaginator(missing, REVIEW_PAGE_SIZE, count=counts["not_started"]).get_page(
        request.GET.get("missing_page")
    )
    kinds = {value: str(label) for value, label in Kind.choices}
    for o in missing_page.object_list:
        o.kind_label = kinds.get(o.kind, o.kind)
    deadlines = [
        (_("Cooperatives send their evaluation to the registration office"), datetime.date(year, 12, 15)),
        # Districts ended on 30/06/2025: from the 2025 round the communes send the summary.
        (
            _("District level sends the summary to the province")
            if datetime.date(year, 12, 18) < REFORM_DATE
            else _("Commune level sends the summary to the province"),
            datetime.date(year, 12, 18),
        ),
        (_("Province sends the summary to the ministry"), datetime.date(year, 12, 21)),
    ]
    filters = {
        "year": year,
        "q": q,
        "status": status,
        "estimate": kind,
        "flagged": request.GET.get("flagged", ""),
        "order": order,
    }
    return render(
        request,
        "figures/review_queue.html",
        {
            "year": year, "rows": rows, "page": page, "counts": counts, "deadlines": deadlines, "today": today,
            "years": range(today.year, today.year - 8, -1), "missing_page": missing_page, "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v != ""}),
        },
    )  # fmt: skip


def _review_post(request, year):
    """Approve the selected sets; a set with flags is approved only with the reviewer's note,
    which goes into the audit trail. Or remind the organisations that have not started."""
    actor = Actor.from_request(request)
    back = f"{request.path}?year={year}"
    if request.POST.get("action") == "remind":
        ids = [int(i) for i in request.POST.getlist("organisations") if i.isdigit()]
        n = reminders.remind_not_started(actor, year, ids or None)
        messages.success(request, _("Reminder sent to %(n)s organisations.") % {"n": n})
        return redirect(back)
    ids = [int(i) for i in request.POST.getlist("figures") if i.isdigit()]
    chosen = dict(
        AnnualFigures.objects.restrict(request.user)
        .filter(pk__in=ids)
        .values_list("pk", "organisation__name")
    )
    notes = {pk: request.POST.get(f"note_{pk}", "") for pk in chosen}
    done, refused = services.bulk_approve(actor, list(chosen), notes)
    messages.success(request, _("%(n)s sets of figures approved.") % {"n": done})
    for pk, reason in refused.items():
        messages.error(request, f"{chosen[pk]}: {reason}")
    return redirect(back)


def _status_counts(user, year):
    """The year's sets by status (`raw`: by value), how many organisations of the area are
    expected to send figures (neither dissolved nor merged), and how many have not started."""
    counts = _area_counts(user, year)
    return {"by_status": [(FiguresStatus(s).label, n) for s, n in counts["raw"].items()], **counts}


AREA_COUNTS_SECONDS = 600  # a bound besides the versions: they alone decide what is fresh


def _area_counts(user, year) -> dict:
    """The counts of _status_counts, cached like indicator values (issue 20).

    Each reads every set of the year or every organisation of the area: nationally 116,300
    organisations, and after 100,000 submissions on PostgreSQL the year's sets and their new
    row versions (about 350 ms each on either database). Keyed by the data version and the
    version of the account's unit (core.cache), which every audited write in the area bumps once
    it commits (a set submitted, approved or returned, an organisation registered or dissolved).
    """
    scope = user.scope_unit if user.role != "cooperative" else None
    key = f"figures:area-counts:{data_version()}:{unit_version(scope.pk if scope else None)}:{user.pk}:{year}"
    found = cache.get(key)
    if found is None:
        rows = (
            AnnualFigures.objects.restrict(user)
            .filter(year=year)
            .order_by()  # not the model's order: it joined every set to its organisation to count
            .values("status")
            .annotate(n=Count("id"))
        )
        raw = {s: 0 for s in FiguresStatus.values}
        raw.update({r["status"]: r["n"] for r in rows})
        found = {
            "raw": raw,
            "expected": Organisation.objects.restrict(user).existing().count(),
            "not_started": reminders.not_started(user, year).count(),
        }
        cache.set(key, found, AREA_COUNTS_SECONDS)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def assessment_view(request, pk, year):
    organisation = _organisation(request, pk)
    rubric = Rubric.for_year(year, services._province_of(organisation))
    if rubric is None:
        messages.error(request, services.no_rubric_message(year))
        return redirect(organisation)
    assessment = Assessment.objects.filter(organisation=organisation, year=year).first()
    criteria = list(rubric.criteria.all())
    initial = {}
    if assessment:
        initial.update({f"self_{k}": v for k, v in assessment.self_scores.items()})
        initial.update({f"board_{k}": v for k, v in assessment.board_scores.items()})
    form = AssessmentForm(request.POST or None, initial=initial, criteria=criteria)
    add_version_field(form, assessment)
    override = OverrideForm(
        initial={"grade": assessment.override_grade, "reason": assessment.override_reason}
        if assessment
        else None
    )
    add_version_field(override, assessment)
    conflict, status = {}, 200
    if request.method == "POST":
        actor = Actor.from_request(request)
        try:
            if "override" in request.POST:
                override = OverrideForm(request.POST)
                add_version_field(override, assessment)
                if override.is_valid() and assessment:
                    services.override_grade(
                        actor, assessment, override.cleaned_data["grade"], override.cleaned_data["reason"],
                        expected_version=override.cleaned_data.get("version"),
                    )  # fmt: skip
                    messages.success(request, _("Grade saved."))
                    return redirect(request.path)
            elif form.is_valid():
                services.assess(
                    actor,
                    organisation,
                    year,
                    self_scores=form.scores("self"),
                    board_scores=form.scores("board"),
                    expected_version=form.cleaned_data.get("version"),
                )
                messages.success(request, _("Assessment saved."))
                return redirect(request.path)
        except StaleVersion as exc:  # scored by someone else meanwhile: show both, overwrite nothing
            if "override" in request.POST:
                messages.error(request, str(exc))
            else:
                conflict = show_conflict(form, exc)
                conflict["conflict"]["rows"] = _score_conflicts(form, exc.instance)
            assessment, status = exc.instance, 409
        except services.FiguresLocked as exc:  # the year's figures are approved: reopen them first
            messages.error(request, str(exc))
            status = 409
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    locked = services.approved_figures_of_year(organisation, year) is not None
    context = {
        "organisation": organisation, "year": year, "rubric": rubric, "form": form, "assessment": assessment,
        "override": override, "can_edit": access.can(request.user, "assess", organisation) and not locked,
        "is_officer": access.role_allows(request.user, "approve_figures"), "locked": locked, **conflict,
    }  # fmt: skip
    return render(
        request, "figures/assessment.html", context, status=400 if form.errors and status == 200 else status
    )


def _score_conflicts(form, current: Assessment) -> list[dict]:
    """Criterion by criterion, the score now saved beside the one the user typed, where they differ."""
    from hoptac.core.templatetags.vn import number

    rows = []
    for c in form.criteria:
        for prefix, saved, label in (
            ("self", current.self_scores, _("self-assessment")),
            ("board", current.board_scores, _("supervisory board")),
        ):
            theirs, yours = saved.get(str(c.number)), form.cleaned_data.get(f"{prefix}_{c.number}")
            if (Decimal(theirs) if theirs is not None else None) != yours:
                rows.append({
                    "label": f"{c.number}. {c.name} ({label})",
                    "theirs": "—" if theirs is None else number(Decimal(theirs), 2),
                    "yours": "—" if yours is None else number(yours, 2),
                })  # fmt: skip
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def classify(request):
    """Recompute a year's grades in the user's area (or a unit in it) as a background job."""
    access.require(request.user, "classify", request.user.scope_unit)
    if request.method == "GET":
        return render(request, "figures/classify.html", {"year": timezone.localdate().year - 1})
    raw = request.POST.get("year", "").strip()
    year = int(raw) if raw.isdigit() else 0
    if not 1990 <= year <= 2100:
        messages.error(request, _("Enter a year between 1990 and 2100."))
        return render(request, "figures/classify.html", {"year": raw}, status=400)
    ref = request.POST.get("unit", "").strip() or (
        request.user.scope_unit.ref if request.user.scope_unit else ""
    )
    if ref:
        try:
            unit = resolve_ref(ref)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "figures/classify.html", {"year": year}, status=400)
        access.require(request.user, "classify", unit)
    job = start_job(
        request.user, jobs.classify, kind="classify", year=year, ref=ref,
        title=_("Classify %(year)s (%(unit)s)") % {"year": year, "unit": ref or _("the whole country")},
    )  # fmt: skip
    return redirect("job", pk=job.pk)
