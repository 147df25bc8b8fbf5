"""The links register: list (filtered, exported), record, end; and the section on a cooperative's page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.audit import Actor
from hoptac.core.export import xlsx_response
from hoptac.core.forms import add_service_errors
from hoptac.links import services
from hoptac.links.models import Link
from hoptac.registry.forms import DateInput
from hoptac.registry.models import Organisation


class LinkForm(forms.ModelForm):
    class Meta:
        model = Link
        fields = [
            "enterprise_name",
            "enterprise_tax_code",
            "product",
            "contract_number",
            "contract_date",
            "start_date",
            "end_date",
            "volume",
            "value",
        ]
        widgets = {"contract_date": DateInput(), "start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


def _links(request):
    return Link.objects.visible_to(request.user).select_related("organisation__commune__province")


@login_required
@require_GET
def link_list(request):
    links = _links(request)
    year = request.GET.get("year", "")
    if year.isdigit():
        links = links.active_in(int(year))
    if request.GET.get("organisation", "").isdigit():
        links = links.filter(organisation_id=int(request.GET["organisation"]))
    if request.GET.get("export") == "xlsx":
        header = [
            _("Cooperative"),
            _("Enterprise"),
            _("Enterprise tax code"),
            _("Product"),
            _("Contract number"),
            _("Start"),
            _("End"),
            _("Value (đồng)"),
        ]
        rows = (
            [
                k.organisation.name,
                k.enterprise_name,
                k.enterprise_tax_code,
                k.product,
                k.contract_number,
                k.start_date,
                k.end_date,
                k.value,
            ]
            for k in links
        )
        return xlsx_response("lien-ket-chuoi-gia-tri.xlsx", _("Value-chain links"), header, rows)
    return render(
        request, "links/link_list.html", {"links": links[:500], "year": year, "today": timezone.localdate()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    if not request.user.can_write:
        raise PermissionDenied(_("Your account can read but not change this data."))
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_link(
                Actor.from_request(request), {"organisation": organisation, **form.cleaned_data}
            )
            messages.success(request, _("Link recorded."))
            return redirect(organisation)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "links/link_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def link_end(request, pk):
    link = get_object_or_404(_links(request), pk=pk)
    if not request.user.can_write:
        raise PermissionDenied(_("Your account can read but not change this data."))
    try:
        end = forms.DateField().clean(request.POST.get("end_date"))
        services.end_link(Actor.from_request(request), link, end)
        messages.success(request, _("Link ended."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(link.organisation)


LABEL = gettext_lazy("Value-chain links")
