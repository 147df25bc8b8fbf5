"""Who may do what: the persona × action × object table, and the rules every scoped model obeys."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hoptac.accounts import access
from hoptac.accounts.tests.access_table import CELLS, PERSONAS, build_world, expected, persona_user
from hoptac.core.audit import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(vinh_linh_htx, hanoi_htx, lead_agency):
    return build_world(vinh_linh_htx, hanoi_htx, lead_agency)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_table(persona, request, world):
    user = persona_user(request, persona)
    got = {(action, name): access.can(user, action, world[name]) for action, name in CELLS}
    wrong = {cell: got[cell] for cell in CELLS if got[cell] != expected(persona, *cell)}
    assert not wrong, f"{persona}: can() differs from the table at {wrong}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_restrict_agrees_with_can(persona, request, world):
    """A row is in `restrict(user, action)` exactly when `can(user, action, row)` (lots as inputs aside)."""
    user = persona_user(request, persona)
    for action, name in CELLS:
        obj = world[name]
        if action in ("measure_unit", "use_as_input"):
            continue
        listed = type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()
        assert listed == expected(persona, action, name), (persona, action, name)


def test_a_province_officer_updates_a_task_of_a_district_plan_in_the_province(world, province_officer):
    from hoptac.tasks import services

    update = services.add_update(Actor(province_officer, "web"), world.district_task, "in_progress", 30)
    assert update.task == world.district_task


def test_require_refuses_with_the_actions_message_and_lets_the_operator_pass(world, viewer):
    access.require(Actor.command(), "change", world.htx)
    with pytest.raises(PermissionDenied) as exc:
        access.require(Actor(viewer, "web"), "change", world.htx)
    assert str(exc.value) == access.refusal("change")
    with pytest.raises(ValidationError) as exc:
        access.require(Actor(viewer, "web"), "change", world.htx, field="commune")
    assert list(exc.value.message_dict) == ["commune"]


def test_every_refusal_is_translated():
    with translation.override("en"):
        english = {action: str(message) for action, message in access.ACTIONS.items()}
    with translation.override("vi"):
        untranslated = [
            action for action, message in access.ACTIONS.items() if str(message) == english[action]
        ]
    assert not untranslated


def test_unknown_actions_are_a_programming_error(viewer):
    with pytest.raises(ValueError):
        access.can(viewer, "delete_everything")


# Models that hold an organisation, plan or unit key but are not rows of anyone's area, and why.
NOT_SCOPED = {
    "geo.AdministrativeUnit": "the public list of administrative units",
    "geo.UnitLineage": "the public lineage of units across the 2025 reform",
    "accounts.Agency": "the directory of state agencies, managed by administrators",
    "accounts.User": "accounts, managed by administrators (hoptac user, manage_accounts)",
    "geo.UnitVersion": "the public, dated versions of administrative units (name, type, parent)",
    "figures.Rubric": "classification rules (national, or a province's local rubric): public law, not data",
    "imports.ImportBatch": "an import belongs to the account that made it and is looked up by that account",
    "indicators.FigureRollup": "derived sums read only by the indicator engine, never listed or served as rows",
    "indicators.AreaRollup": "derived sums per province, read only by the indicator engine, never listed or served as rows",
}
SCOPE_TARGETS = {"registry.Organisation", "plans.Plan", "geo.AdministrativeUnit"}


def _scope_keys(model):
    return [
        f.name
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model and f.related_model._meta.label in SCOPE_TARGETS
    ]


def test_every_model_with_an_organisation_plan_or_unit_key_is_reached_through_restrict(
    world, province_officer, cooperative_user, other_officer, viewer
):
    """Fails when someone adds such a model without saying how it reaches its organisation, plan or unit."""
    missing, checked = [], []
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("hoptac."):
            continue
        if label in NOT_SCOPED or not (_scope_keys(model) or label in SCOPE_TARGETS):
            continue
        if not hasattr(model, "restrict_through") or not hasattr(model.objects, "restrict"):
            missing.append(label)
            continue
        for user in (province_officer, cooperative_user, other_officer, viewer):  # every path resolves
            list(model.objects.restrict(user)[:1])
        assert model.objects.restrict(None).count() == model.objects.count()  # the operator sees all
        assert not model.objects.restrict(persona_user(None, "anonymous")).exists()
        checked.append(label)
    assert not missing, f"Give these models a RestrictedQuerySet and restrict_through: {missing}"
    assert {
        "registry.Organisation",
        "trace.Lot",
        "tasks.Task",
        "reporting.ReportDue",
        "figures.Assessment",
    } <= set(checked)


def test_a_cooperative_sees_only_its_own_rows(world, cooperative_user):
    from hoptac.trace.models import Lot

    assert list(Lot.objects.restrict(cooperative_user)) == [world.htx_lot]
