"""Backlog, dissolution cases and mergers.

Reads go through Organisation.objects.restrict() (outside scope 404); writes need a write
role (403) and go through the services, which change the registry status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.accounts import access
from hoptac.core.audit import Actor, history
from hoptac.core.collation import vi
from hoptac.core.concurrency import StaleVersion
from hoptac.core.export import csv_response, xlsx_response
from hoptac.core.forms import add_service_errors, form_page
from hoptac.dissolution import backlog as backlog_rules
from hoptac.dissolution import services
from hoptac.dissolution.filters import BacklogFilterSet
from hoptac.dissolution.forms import CaseForm, CloseForm, MergerForm, StepForm
from hoptac.dissolution.models import DissolutionCase, Merger
from hoptac.registry.models import Organisation


def _backlog_scope(request):
    """Visible organisations, narrowed to the `unit` asked for; (queryset, unit ref, error)."""
    organisations = Organisation.objects.restrict(request.user)
    ref = request.GET.get("unit", "").strip()
    filterset = BacklogFilterSet(request.GET, queryset=organisations)
    if "unit" in filterset.errors:
        return organisations.none(), ref, " ".join(filterset.errors["unit"])
    return filterset.qs, ref, None


@login_required
@require_GET
def backlog(request):
    organisations, ref, error = _backlog_scope(request)
    pending = (
        backlog_rules.pending(organisations)
        .select_related("commune")
        .prefetch_related("dissolution_cases")
        .order_by(vi("commune__name"), vi("name", key="name_key"))
    )
    context = {"pending": pending[:500], "progress": backlog_rules.progress(organisations), "since": backlog_rules.SINCE,
               "unit": ref, "error": error, "mergers": Merger.objects.restrict(request.user)[:10]}  # fmt: skip
    return render(request, "dissolution/backlog.html", context)


@login_required
@require_GET
def backlog_export(request, fmt):
    organisations, _ref, error = _backlog_scope(request)
    if error:
        return HttpResponse(_("Invalid filter: %(errors)s") % {"errors": error}, status=400)
    header = [_("Cooperative"), _("Tax code"), _("Commune"), _("Legal basis"), _("Re-organised"), _("Status"),
              _("Status since"), _("Dissolution opened on")]  # fmt: skip
    pending = (
        backlog_rules.pending(organisations).select_related("commune").prefetch_related("dissolution_cases")
    )
    rows = (
        [
            o.name,
            o.tax_code,
            o.commune.name,
            o.get_legal_basis_display(),
            o.reorganised,
            o.get_status_display(),
            o.status_since,
            next((c.opened_on for c in o.dissolution_cases.all() if not c.closed_on), None),
        ]  # fmt: skip
        for o in pending.order_by(vi("commune__name"), vi("name", key="name_key"))
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        return csv_response(f"htx-can-xu-ly-{stamp}.csv", header, rows)
    return xlsx_response(
        f"htx-can-xu-ly-{stamp}.xlsx", _("Cooperatives stopped or not re-organised"), header, rows
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_case(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    access.require(request.user, "change")
    form = CaseForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.open_case(Actor.from_request(request), organisation, data),
        message=_("Dissolution case opened."),
        template="dissolution/case_form.html",
        context={"organisation": organisation},
    )


def _case(request, pk):
    return get_object_or_404(
        DissolutionCase.objects.restrict(request.user).select_related("organisation"), pk=pk
    )


def _case_page(request, case, step_form=None, close_form=None, status=200):
    context = {"case": case, "steps": case.steps.all(), "history": history(case)[:50],
               "step_form": step_form or StepForm(), "close_form": close_form or CloseForm()}  # fmt: skip
    return render(request, "dissolution/case.html", context, status=status)


@login_required
@require_GET
def case_detail(request, pk):
    return _case_page(request, _case(request, pk))


@login_required
@require_POST
def case_step(request, pk):
    case = _case(request, pk)
    access.require(request.user, "change")
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.add_step(
                Actor.from_request(request), case, **form.cleaned_data,
                expected_version=request.POST.get("version") or None,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleVersion as exc:  # another step was recorded since the page was shown
            form.add_error(None, str(exc))
            case.refresh_from_db()
            return _case_page(request, case, step_form=form, status=409)
        else:
            return redirect(case)
    return _case_page(request, case, step_form=form, status=400)


@login_required
@require_POST
def case_close(request, pk):
    case = _case(request, pk)
    access.require(request.user, "change")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_case(
                Actor.from_request(request), case, **form.cleaned_data,
                expected_version=request.POST.get("version") or None,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleVersion as exc:  # the case changed since the page was shown
            form.add_error(None, str(exc))
            case.refresh_from_db()
            return _case_page(request, case, close_form=form, status=409)
        else:
            messages.success(request, _("%(name)s is dissolved.") % {"name": case.organisation.name})
            return redirect(case)
    return _case_page(request, case, close_form=form, status=400)


@login_required
@require_GET
def merger_list(request):
    mergers = (
        Merger.objects.restrict(request.user).select_related("survivor__commune").prefetch_related("merged")
    )
    return render(request, "dissolution/merger_list.html", {"mergers": mergers[:500]})


@login_required
@require_GET
def merger_detail(request, pk):
    merger = get_object_or_404(Merger.objects.restrict(request.user).select_related("survivor"), pk=pk)
    merged = merger.merged.select_related("commune").prefetch_related("status_changes")
    return render(
        request,
        "dissolution/merger_detail.html",
        {"merger": merger, "merged": merged, "history": history(merger)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def merger_create(request, pk):
    survivor = get_object_or_404(Organisation.objects.restrict(request.user).select_related("commune"), pk=pk)
    access.require(request.user, "change")
    form = MergerForm(request.POST or None, user=request.user, survivor=survivor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            merger = services.merge_into(Actor.from_request(request), survivor, list(data["merged"]),
                                         data["effective_date"], data["decision"], data["note"])  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Merger recorded."))
            return redirect(merger)
    context = {"form": form, "organisation": survivor}
    return render(request, "dissolution/merger_form.html", context, status=400 if form.errors else 200)
