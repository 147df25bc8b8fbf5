"""Registry pages. Reads go through Organisation.objects.restrict(); writes through services.

Outside the user's scope is 404 (the object does not exist for them); a read-only user who
tries to write gets 403.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from hoptac.accounts import access
from hoptac.core.appconfig import domain_configs
from hoptac.core.audit import Actor, history
from hoptac.core.cache import data_version, unit_version
from hoptac.core.concurrency import StaleVersion, add_version_field, pop_version, show_conflict
from hoptac.core.export import csv_response, xlsx_response
from hoptac.core.forms import add_service_errors
from hoptac.core.jobs import start as start_job
from hoptac.core.paging import CappedPaginator
from hoptac.registry import jobs, services
from hoptac.registry.choices import Kind, Status
from hoptac.registry.filters import OrganisationFilterSet
from hoptac.registry.forms import OrganisationForm, StatusForm
from hoptac.registry.models import Organisation
from hoptac.registry.tables import OrganisationTable


@login_required
def home(request):
    """The start page: what the signed-in user's area holds (organisations by kind); for a
    cooperative's own account, its own page of what is due (cooperative_home)."""
    if getattr(request.user, "role", None) == "cooperative" and request.user.organisation_id:
        return cooperative_home(request)
    visible = Organisation.objects.restrict(request.user)
    counts = visible.values("kind").annotate(
        total=Count("id"), active=Count("id", filter=Q(status=Status.ACTIVE))
    )
    by_kind = {row["kind"]: row for row in counts}
    summary = [
        {
            "kind": kind,
            "label": kind.label,
            "total": by_kind.get(kind, {}).get("total", 0),
            "active": by_kind.get(kind, {}).get("active", 0),
        }
        for kind in Kind
    ]
    return render(request, "home.html", {"summary": summary, "scope": request.user.scope_unit})


def cooperative_home(request):
    """A cooperative's home: what is due and when, and the state of its records year by year, as
    each app that asks something of it says (AppConfig.cooperative_home_section)."""
    organisation = get_object_or_404(
        Organisation.objects.restrict(request.user).select_related("commune__province"),
        pk=request.user.organisation_id,
    )
    sections = [c.cooperative_home_section for c in domain_configs() if c.cooperative_home_section]
    return render(
        request,
        "registry/cooperative_home.html",
        {"organisation": organisation, "sections": sections, "today": timezone.localdate()},
    )


def organisation_sections() -> list[str]:
    """Templates of the other domains on the organisation page, each receiving `organisation`."""
    return [c.organisation_section for c in domain_configs() if c.organisation_section]


def _visible(request):
    return Organisation.objects.restrict(request.user).select_related("commune", "commune__province")


class CountedPaginator(CappedPaginator):
    """A capped paginator told the list's size (`total`, from _list_count) instead of counting."""

    def __init__(self, *args, total: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if total is not None:
            self.__dict__["total"] = total  # the cached_property's value


LIST_COUNT_SECONDS = 600  # a bound besides the versions: they alone decide what is fresh


def _list_count(request, queryset) -> int:
    """How many organisations the list holds, as its header says.

    Counting the national list reads every organisation (117,000 index entries, 20-30 ms on
    PostgreSQL, issue 20), the same number on every page and sort of it: cached per filter,
    keyed by the data version and the account's unit version (core.cache), which every audited
    write in the area bumps once it commits.
    """
    user = request.user
    scope = user.scope_unit if user.role != "cooperative" else None
    asked = sorted((k, v) for k, v in request.GET.lists() if k not in ("page", "sort"))
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:16]
    key = f"registry:count:{data_version()}:{unit_version(scope.pk if scope else None)}:{user.pk}:{digest}"
    total = cache.get(key)
    if total is None:
        total = queryset.count()
        cache.set(key, total, LIST_COUNT_SECONDS)
    return total


@login_required
@require_GET
def organisation_list(request):
    # No select_related: the table reads the page's ids from the order alone, then those rows
    # with their communes (OrganisationTable.cells).
    visible = Organisation.objects.restrict(request.user)
    filterset = OrganisationFilterSet(request.GET, queryset=visible, request=request)
    valid = filterset.is_valid()
    table = OrganisationTable(filterset.qs if valid else Organisation.objects.none())
    paginate = {"per_page": 25, "paginator_class": CountedPaginator}
    if valid and not filterset.form.cleaned_data.get("q"):  # a search is counted as typed, not kept
        paginate["total"] = _list_count(request, filterset.qs)
    RequestConfig(request, paginate=paginate).configure(table)
    if request.htmx and request.htmx.target == "registry-table":
        return render(request, "registry/_table_wrapper.html", {"table": table})
    return render(
        request,
        "registry/organisation_list.html",
        {
            "filterset": filterset,
            "table": table,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def organisation_export(request, fmt):
    filterset = jobs.filtered(request.user, request.GET.urlencode())
    if not filterset.is_valid():
        return HttpResponse(
            _("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()}, status=400
        )
    name, title = jobs.export_names(fmt)
    total = filterset.qs.count()
    if total > settings.EXPORT_JOB_ROWS:  # a national export: written by a worker, downloaded later
        job = start_job(
            request.user, jobs.export_organisations, kind="export", total=total,
            title=_("Export %(n)s organisations (%(name)s)") % {"n": total, "name": name},
            query=request.GET.urlencode(), fmt=fmt,
        )  # fmt: skip
        return redirect("job", pk=job.pk)
    rows = jobs.export_rows(filterset.qs)
    if fmt == "csv":
        return csv_response(name, jobs.export_header(), rows)
    return xlsx_response(name, title, jobs.export_header(), rows)


@login_required
@require_GET
def organisation_detail(request, pk):
    organisation = get_object_or_404(_visible(request).select_related("former_commune", "merged_into"), pk=pk)
    context = {
        "organisation": organisation,
        "status_changes": organisation.status_changes.all(),
        "members": organisation.memberships.select_related("member__commune"),
        "unions": organisation.union_memberships.select_related("union"),
        "history": history(organisation)[:50],
        "status_form": StatusForm(user=request.user, organisation=organisation)
        if request.user.can_write
        else None,
        # Other domains show their records of the organisation here (AppConfig.organisation_section).
        "sections": organisation_sections(),
    }
    return render(request, "registry/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    access.require(request.user, "change")
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(Actor.from_request(request), form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": organisation.name})
            return redirect(organisation)
    return render(
        request,
        "registry/organisation_form.html",
        {"form": form, "organisation": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_object_or_404(_visible(request), pk=pk)
    access.require(request.user, "change")
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    add_version_field(form, organisation)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = pop_version(data)
        try:
            services.update_organisation(Actor.from_request(request), organisation, data, expected)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleVersion as exc:  # someone saved in between: show both, overwrite nothing
            conflict = show_conflict(form, exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": organisation.name})
            return redirect(organisation)
    return render(
        request,
        "registry/organisation_form.html",
        {"form": form, "organisation": organisation, **conflict},
        status=409 if conflict else 400 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_status(request, pk):
    organisation = get_object_or_404(_visible(request), pk=pk)
    access.require(request.user, "change")
    form = StatusForm(request.POST, user=request.user, organisation=organisation)
    if form.is_valid():
        try:
            services.change_status(Actor.from_request(request), organisation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect(organisation)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(organisation)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_delete(request, pk):
    organisation = get_object_or_404(_visible(request), pk=pk)
    access.require(request.user, "change")
    error = ""
    if request.method == "POST":
        try:
            services.delete_organisation(
                Actor.from_request(request),
                organisation,
                expected_version=request.POST.get("version") or None,
            )
        except services.OrganisationHeld as exc:  # approved or audited records hold it: 409, nothing goes
            error = str(exc)
        except StaleVersion as exc:  # changed since the page was shown: not deleted
            error = str(exc)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(organisation)
        else:
            messages.success(request, _("Deleted %(name)s.") % {"name": organisation.name})
            return redirect("registry:list")
    context = {"organisation": organisation, "held": services.deletion_holders(organisation), "error": error}
    return render(request, "registry/organisation_confirm_delete.html", context, status=409 if error else 200)


@login_required
@require_GET
def former_communes(request, pk=None):
    """<option>s of the former communes that went into the chosen commune (htmx)."""
    form = OrganisationForm(request.GET, user=request.user)
    return render(request, "registry/_former_commune_options.html", {"field": form["former_commune"]})
