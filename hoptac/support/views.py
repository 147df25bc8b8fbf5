"""Support records: list with summaries by policy, source, year and unit; detail, forms, exports.

Reads go through SupportRecord.objects.restrict() (outside scope 404); writes need a write
role (403) and go through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hoptac.accounts import access
from hoptac.core.audit import Actor, history
from hoptac.core.concurrency import StaleVersion
from hoptac.core.export import csv_response, xlsx_response
from hoptac.core.forms import form_page
from hoptac.registry.models import Organisation
from hoptac.support import services
from hoptac.support.filters import SupportFilterSet
from hoptac.support.forms import SupportForm
from hoptac.support.models import FundingSource, SupportRecord


def _records(request):
    return SupportRecord.objects.restrict(request.user).select_related("organisation__commune", "policy")


@login_required
@require_GET
def support_list(request):
    filterset = SupportFilterSet(request.GET, queryset=_records(request))
    records = filterset.qs if filterset.is_valid() else SupportRecord.objects.none()
    sources = dict(FundingSource.choices)
    by_source = [
        {**row, "key": sources.get(row["key"], row["key"])} for row in services.summary(records, "source")
    ]
    context = {
        "filterset": filterset, "records": records.order_by("-date", "id")[:300], "query": request.GET.urlencode(),
        "by_policy": services.summary(records, "policy"), "by_source": by_source,
        "by_year": services.summary(records, "year"), "by_commune": services.summary(records, "commune"),
    }  # fmt: skip
    return render(request, "support/support_list.html", context)


@login_required
@require_GET
def support_export(request, fmt):
    filterset = SupportFilterSet(request.GET, queryset=_records(request))
    if not filterset.is_valid():
        return HttpResponse(
            _("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()}, status=400
        )
    header = [_("Beneficiary"), _("Tax code"), _("Commune"), _("Policy"), _("Date"), _("Amount (đồng)"), _("In kind"),
              _("Estimated value (đồng)"), _("Funding source"), _("Decision"), _("Decision date")]  # fmt: skip
    rows = (
        [
            r.organisation.name,
            r.organisation.tax_code,
            r.organisation.commune.name,
            r.policy.name,
            r.date,
            r.amount,
            r.in_kind,
            r.in_kind_value,
            r.get_source_display(),
            r.decision_number,
            r.decision_date,
        ]  # fmt: skip
        for r in filterset.qs.order_by("-date", "id").iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        return csv_response(f"ho-tro-{stamp}.csv", header, rows)
    return xlsx_response(f"ho-tro-{stamp}.xlsx", _("Support records"), header, rows)


@login_required
@require_GET
def support_detail(request, pk):
    support = get_object_or_404(_records(request), pk=pk)
    context = {
        "support": support,
        "history": history(support)[:50],
        "trainings": support.trainings.select_related("manager"),
    }
    return render(request, "support/support_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def support_create(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    access.require(request.user, "change")
    form = SupportForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.record_support(
            Actor.from_request(request), {"organisation": organisation, **data}
        ),
        message=_("Support recorded."),
        template="support/support_form.html",
        context={"organisation": organisation, "support": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_edit(request, pk):
    support = get_object_or_404(_records(request), pk=pk)
    access.require(request.user, "change")
    form = SupportForm(request.POST or None, instance=support)
    return form_page(
        request,
        form,
        save=lambda data: services.update_support(
            Actor.from_request(request), support, data, expected_version=form.expected_version
        ),
        message=_("Support saved."),
        template="support/support_form.html",
        context={"organisation": support.organisation, "support": support},
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_delete(request, pk):
    support = get_object_or_404(_records(request), pk=pk)
    access.require(request.user, "change")
    if request.method == "POST":
        organisation = support.organisation
        try:  # the version the confirmation page showed: a record changed meanwhile is not deleted
            services.delete_support(
                Actor.from_request(request), support, expected_version=request.POST.get("version") or None
            )
        except StaleVersion as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        messages.success(request, _("Support record deleted."))
        return redirect(organisation)
    return render(request, "support/support_confirm_delete.html", {"support": support})
