"""Schemathesis over the whole OpenAPI document: no 5xx and no response outside the documented schema.

Runs in the suite (so `make test` runs it on SQLite and PostgreSQL) through the WSGI app, inside the
test's transaction, on demo data (the registry, plans, tasks, figures, trace) as an administrator
and as a cooperative's account. Examples per operation are bounded and the seed is fixed.
"""

import contextlib
import importlib
import os
import random
import time

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.utils.module_loading import import_string
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode, checks
from schemathesis.specs.openapi import checks as openapi_checks

from hoptac.accounts.models import User
from hoptac.core.audit import Actor
from hoptac.plans.loader import load_plans
from hoptac.registry import demo as registry_demo
from hoptac.registry.models import Organisation

EXAMPLES = int(os.environ.get("HOPTAC_FUZZ_EXAMPLES", "12"))
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture
def demo(db):
    """The demo (`load-plans` + `load-demo`), with figures for a few cooperatives only (all take ~50 s)."""
    load_plans()
    demo_command = importlib.import_module("hoptac.registry.management.commands.load-demo")
    with transaction.atomic():
        registry_demo.build(2025)
        demo_command.Command()._users()
        for path in demo_command.demo_builders():
            if path != "hoptac.figures.demo.build":
                import_string(path)(2025)
    _some_figures()


def _some_figures():
    from hoptac.figures import demo as figures_demo
    from hoptac.figures import services
    from hoptac.figures.models import Rubric

    actor, rng = Actor.command(), random.Random(14)
    cooperative = User.objects.get(username="htx").organisation
    maxima = {c.number: c.max_points for c in Rubric.for_year(2024).criteria.all()}
    others = list(Organisation.objects.exclude(pk=cooperative.pk).filter(kind="htx").order_by("id")[:4])
    for org in [cooperative, *others]:
        for year in (2023, 2024):
            figures = services.save_figures(
                actor, org, year, figures_demo._figures_for(org, rng, 1.0, year), confirm_warnings=True
            )
            # Assessed before approval: approved figures lock the year's assessment (issue 14).
            services.assess(actor, org, year, self_scores=figures_demo._scores(rng, 0.7, maxima))
            services.approve(actor, services.submit(actor, figures))
        services.save_figures(
            actor, org, 2025, figures_demo._figures_for(org, rng, 1.0, 2025), confirm_warnings=True
        )


@contextlib.contextmanager
def connection_kept():
    """As Django's test client does: a request's end must not close the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz(user) -> tuple[int, int, list[str]]:
    with connection_kept():
        return _fuzz(user)


def _fuzz(user) -> tuple[int, int, list[str]]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    operations, failures, counter = 0, [], {"cases": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @seed(14)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                counter["cases"] += 1
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                pass  # nothing in this operation can be made invalid (no parameters, no body)
            except (Exception, BaseExceptionGroup) as exc:  # every failure is reported at the end
                failures.append(
                    f"{operation.method.upper()} {operation.path} [{mode.value}]: {str(exc)[:1500]}"
                )
    return operations, counter["cases"], failures


@pytest.mark.parametrize("persona", ["admin", "cooperative"])
def test_no_server_error_nor_schema_violation(demo, persona):
    user = User.objects.get(username="admin" if persona == "admin" else "htx")
    started = time.perf_counter()
    operations, cases, failures = fuzz(user)
    print(
        f"\nschemathesis as {persona}: {operations} operations, {cases} cases, {len(failures)} failing, "
        f"{time.perf_counter() - started:.0f} s"
    )
    assert not failures, "\n\n".join(failures)


UI_LISTS = ["/registry/", "/registry/export.csv", "/links/", "/links/export.csv", "/ocop/", "/ocop/export.csv",
            "/support/", "/support/export.csv", "/training/", "/training/export.csv", "/dissolution/",
            "/dissolution/export.csv", "/trace/", "/trace/export.csv", "/figures/review/", "/reporting/",
            "/tasks/", "/plans/", "/indicators/", "/units/", "/imports/"]  # fmt: skip
UI_PARAMETERS = ["year", "unit", "organisation", "page", "period", "period_start", "from", "to", "plan", "agency",
                 "status", "kind", "sector", "q", "on", "role", "trained", "stars", "level", "policy", "source",
                 "due", "estimate", "target"]  # fmt: skip
ONE_BY_ONE = UI_PARAMETERS[:10]  # the ones read as numbers or dates; the others are choices and text
HOSTILE = ["0", "-1", "99999999", "%s", "2025-02-31", "x", "²"]


@pytest.mark.parametrize("value", HOSTILE)
def test_ui_list_filters_never_answer_500(client, province_officer, vinh_linh_htx, value):
    """Each list page (and export) with its filters set to a hostile value: never a 5xx."""
    client.force_login(province_officer)
    errors = []
    for page in UI_LISTS:
        queries = [dict.fromkeys(UI_PARAMETERS, value)]
        if "export" not in page:
            queries += [{name: value} for name in ONE_BY_ONE]
        for query in queries:
            response = client.get(page, query)
            if response.status_code >= 500:
                errors.append(f"{page}?{'&'.join(query)}={value}: {response.status_code}")
    assert not errors, errors
