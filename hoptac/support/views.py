"""Support records: list with summaries by policy, source and year; export."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hoptac.core.export import xlsx_response
from hoptac.support import services
from hoptac.support.models import FundingSource, Policy, SupportRecord


@login_required
@require_GET
def support_list(request):
    records = SupportRecord.objects.visible_to(request.user).select_related("organisation", "policy")
    year = request.GET.get("year", "")
    if year.isdigit():
        records = records.filter(date__year=int(year))
    if request.GET.get("policy", "").isdigit():
        records = records.filter(policy_id=int(request.GET["policy"]))
    if request.GET.get("source") in FundingSource.values:
        records = records.filter(source=request.GET["source"])
    if request.GET.get("export") == "xlsx":
        header = [
            _("Beneficiary"),
            _("Policy"),
            _("Date"),
            _("Amount (đồng)"),
            _("In kind"),
            _("Estimated value (đồng)"),
            _("Funding source"),
            _("Decision"),
        ]
        rows = (
            [
                r.organisation.name,
                r.policy.name,
                r.date,
                r.amount,
                r.in_kind,
                r.in_kind_value,
                r.get_source_display(),
                r.decision_number,
            ]
            for r in records
        )
        return xlsx_response("ho-tro.xlsx", _("Support records"), header, rows)
    sources = dict(FundingSource.choices)
    context = {
        "records": records[:300], "year": year, "policies": Policy.objects.all(), "sources": FundingSource.choices,
        "by_policy": services.summary(records, "policy__name"),
        "by_source": [{**row, "label": sources.get(row["source"], row["source"])} for row in services.summary(records, "source")],
        "by_year": services.summary(records, "date__year"),
    }  # fmt: skip
    return render(request, "support/support_list.html", context)
