"""Managers and training: the register list (filtered, exported), a manager's page, the forms.

Reads go through Manager.objects.restrict() (outside scope 404); writes need a write role
(403) and go through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.accounts import access
from hoptac.core.audit import Actor, history
from hoptac.core.collation import by_name
from hoptac.core.export import csv_response, xlsx_response
from hoptac.core.forms import add_service_errors, form_page
from hoptac.registry.models import Organisation
from hoptac.training import services
from hoptac.training.filters import ManagerFilterSet
from hoptac.training.forms import ManagerForm, TrainingForm
from hoptac.training.models import Manager, ManagerRole, Training


def _managers(request):
    """Managers in office in scope, filtered by `unit`, `role`, `trained` (yes/no); (qs, error)."""
    qs = (
        Manager.objects.restrict(request.user)
        .in_office()
        .select_related("organisation__commune")
        .prefetch_related("trainings")
        .annotate(has_training=Exists(Training.objects.filter(manager=OuterRef("pk"))))
        .order_by(*by_name("organisation__name", "role", "name"))
    )
    filterset = ManagerFilterSet(request.GET, queryset=qs)
    if "unit" in filterset.errors:  # an unknown area answers with its message, not with every manager
        return qs.none(), " ".join(filterset.errors["unit"])
    return filterset.qs, None


@login_required
@require_GET
def manager_list(request):
    managers, error = _managers(request)
    context = {
        "managers": managers[:500],
        "error": error,
        "roles": ManagerRole.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "training/manager_list.html", context)


@login_required
@require_GET
def manager_export(request, fmt):
    managers, error = _managers(request)
    if error:
        return HttpResponse(_("Invalid filter: %(errors)s") % {"errors": error}, status=400)
    header = [_("Cooperative"), _("Tax code"), _("Name"), _("Role"), _("Education"), _("Birth year"), _("Woman"),
              _("Courses"), _("Trained as director")]  # fmt: skip
    rows = (
        [
            m.organisation.name,
            m.organisation.tax_code,
            m.name,
            m.get_role_display(),
            m.get_education_display(),
            m.birth_year,
            m.is_woman,
            "; ".join(t.course for t in m.trainings.all()),
            m.trained_as_director,
        ]  # fmt: skip
        for m in managers
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        return csv_response(f"can-bo-quan-ly-htx-{stamp}.csv", header, rows)
    return xlsx_response(
        f"can-bo-quan-ly-htx-{stamp}.xlsx", _("Cooperative managers and training"), header, rows
    )


def _manager(request, pk):
    return get_object_or_404(Manager.objects.restrict(request.user).select_related("organisation"), pk=pk)


@login_required
@require_GET
def manager_detail(request, pk):
    manager = _manager(request, pk)
    trainings = manager.trainings.select_related("funded_by__policy")
    context = {"manager": manager, "trainings": trainings, "history": history(manager)[:50],
               "form": TrainingForm(manager=manager) if request.user.can_write else None}  # fmt: skip
    return render(request, "training/manager_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manager_create(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    access.require(request.user, "change")
    form = ManagerForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.add_manager(Actor.from_request(request), organisation, data),
        message=_("Manager recorded."),
        template="training/manager_form.html",
        context={"organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manager_edit(request, pk):
    manager = _manager(request, pk)
    access.require(request.user, "change")
    form = ManagerForm(request.POST or None, instance=manager)
    return form_page(
        request,
        form,
        save=lambda data: services.update_manager(
            Actor.from_request(request), manager, data, expected_version=form.expected_version
        ),
        message=_("Manager saved."),
        template="training/manager_form.html",
        context={"organisation": manager.organisation, "manager": manager},
    )


@login_required
@require_POST
def training_create(request, pk):
    manager = _manager(request, pk)
    access.require(request.user, "change")
    form = TrainingForm(request.POST, manager=manager)
    if form.is_valid():
        try:
            services.record_training(Actor.from_request(request), manager, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Training recorded."))
            return redirect(manager)
    trainings = manager.trainings.select_related("funded_by__policy")
    context = {"manager": manager, "trainings": trainings, "history": history(manager)[:50], "form": form}
    return render(request, "training/manager_detail.html", context, status=400)


@login_required
@require_POST
def training_delete(request, pk):
    training = get_object_or_404(
        Training.objects.filter(manager__in=Manager.objects.restrict(request.user)), pk=pk
    )
    access.require(request.user, "change")
    manager = training.manager
    services.delete_training(Actor.from_request(request), training)
    messages.success(request, _("Training deleted."))
    return redirect(manager)
