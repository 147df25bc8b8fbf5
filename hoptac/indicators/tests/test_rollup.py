"""The rollup equals the live computation after every write that changes it (property test).

Random sequences of the writes the issue lists (organisations created one by one and through
the import's fast path, edited (commune, former commune, kind, registration date), deleted,
their status changed, merged; figures approved as final or estimate, reopened; an import undone)
run through the services; after each step the rollup table equals one rebuilt from scratch and
the values served from it equal the live engine's for communes, a province, a former district
and the country.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from hoptac.conftest import make_organisation, unit
from hoptac.core.audit import Actor
from hoptac.core.services import Conflict
from hoptac.dissolution.services import merge_into
from hoptac.figures import services as figures
from hoptac.figures.models import AnnualFigures
from hoptac.geo.models import AdministrativeUnit
from hoptac.imports import fastwrite
from hoptac.imports.importer import undo
from hoptac.imports.models import ImportBatch
from hoptac.indicators import rollup
from hoptac.indicators.library import INDICATORS, measure_many
from hoptac.indicators.models import AreaRollup, FigureRollup
from hoptac.registry import services as registry
from hoptac.registry.models import Organisation

pytestmark = pytest.mark.django_db
ACTOR = Actor.command()
YEARS = list(range(2020, 2027))
CHECKED_YEARS = [2021, 2025]
CODES = ["htx_count", "tht_count", "htx_members", "share_managers_degree", "share_effective", "tht_founded"]


def served_codes():
    return [c for c, ind in INDICATORS.items() if ind.rollup_terms() is not None]


def _none_first(row):
    """A sort key for rows whose columns may be None (a cell without a former commune)."""
    return tuple((v is not None, v if v is not None else 0) for v in row)


def table():
    cells = sorted(
        (
            tuple(row)
            for row in FigureRollup.objects.values_list(
                "year", "commune_id", "former_commune_id", "kind", *rollup.COLUMNS
            )
        ),
        key=_none_first,
    )
    provinces = sorted(AreaRollup.objects.values_list("year", "unit_id", "kind", *rollup.COLUMNS))
    return cells, provinces


def assert_rollup_is_live(places):
    now = table()
    with transaction.atomic():
        rollup.rebuild(YEARS)
        rebuilt = table()
        transaction.set_rollback(True)
    assert now == rebuilt
    for place in places:
        for year in CHECKED_YEARS:
            for code in CODES:
                ind = INDICATORS[code]
                assert ind.measure(place, year) == ind.measure_live(place, year), (code, place, year)
            assert INDICATORS["htx_founded"].measure(place, year, 2020) == INDICATORS[
                "htx_founded"
            ].measure_live(place, year, 2020)
    for year in CHECKED_YEARS:  # the country's provinces of the year, from their own rows
        for code in ("htx_members", "tht_count", "share_effective"):
            ind = INDICATORS[code]
            assert ind.measure_children(None, year) == ind.measure_children(None, year, live=True), (
                code,
                year,
            )


step = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 2), st.booleans(), st.sampled_from(["htx", "tht"]), st.integers(2019, 2025)),
    st.tuples(st.just("fast_import"), st.integers(0, 2), st.integers(2019, 2025)),
    st.tuples(st.just("undo_import")),
    st.tuples(st.just("approve"), st.integers(0, 9), st.sampled_from(YEARS[1:6]), st.booleans(), st.integers(0, 50), st.integers(-5, 9), st.booleans()),
    st.tuples(st.just("reopen"), st.integers(0, 9), st.sampled_from(YEARS[1:6])),
    st.tuples(st.just("status"), st.integers(0, 9), st.sampled_from(["suspended", "active", "stopped", "dissolved"]), st.integers(2019, 2025)),
    st.tuples(st.just("move"), st.integers(0, 9), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("kind"), st.integers(0, 9), st.sampled_from(["htx", "tht"])),
    st.tuples(st.just("registered"), st.integers(0, 9), st.integers(2019, 2025)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("merge"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("regime"), st.integers(0, 9), st.sampled_from(["luat_htx_2023", "nd77_contract", ""]), st.integers(2019, 2026)),
)  # fmt: skip


@pytest.fixture
def places():
    vinh_linh = unit("19363")
    other = (
        AdministrativeUnit.objects.filter(generation="new", level="commune", province=vinh_linh.province)
        .exclude(pk=vinh_linh.pk)
        .order_by("code")
        .first()
    )
    return {
        "communes": [vinh_linh, other, unit("00004")],
        "former": unit("old:19363"),
        "checked": [vinh_linh, unit("44"), unit("old:464"), None],
    }


def apply(op, places, state):
    organisations = list(state["organisations"])
    communes = places["communes"]

    def org(i):
        if not organisations:
            return None
        found = type(organisations[0]).objects.filter(pk=organisations[i % len(organisations)].pk).first()
        return found

    name = op[0]
    if name == "create":
        _n, c, former, kind, year = op
        fields = {"kind": kind, "registration_date": datetime.date(year, 3, 1)}
        if kind == "tht":  # a contract group without a registration date, founded by its contract
            fields.update(tax_code="", registration_date=None, contract_date=datetime.date(year, 3, 1))
        if former and c == 0:
            fields["former_commune"] = places["former"]
        state["organisations"].append(make_organisation(communes[c].code, **fields))
    elif name == "fast_import":
        _n, c, year = op
        batch = ImportBatch.objects.create(kind="registry", filename="t.xlsx")
        rows = [{"kind": "htx", "name": f"HTX nhập {len(organisations)}", "commune": communes[c],
                 "registration_date": datetime.date(year, 1, 2)}]  # fmt: skip
        batch.created = fastwrite.create_organisations(batch, ACTOR, rows)
        created = list(
            Organisation.objects.filter(
                pk__in=[int(i) for i in batch.items.values_list("object_id", flat=True)]
            )
        )
        assert len(created) == batch.created == 1
        batch.save()
        state["organisations"] += created
        state["batches"].append(batch)
    elif name == "undo_import" and state["batches"]:
        batch = state["batches"].pop()
        undo(batch)
    elif name == "approve" and (o := org(op[1])) is not None:
        _n, _i, year, estimate, members, profit, flag = op
        existing = AnnualFigures.objects.filter(organisation=o, year=year, is_estimate=estimate).first()
        if existing is not None and existing.status == "approved":
            figures.reopen(ACTOR, existing, "Sửa số liệu")
        values = {"members_official": members, "profit_before_tax": profit * 1_000_000, "revenue": members * 10_000_000,
                  "managers": 3, "managers_degree": 1, "high_tech": flag}  # fmt: skip
        saved = figures.save_figures(ACTOR, o, year, values, is_estimate=estimate, confirm_warnings=True)
        figures.approve(ACTOR, figures.submit(ACTOR, saved))
    elif name == "reopen" and (o := org(op[1])) is not None:
        found = AnnualFigures.objects.filter(organisation=o, year=op[2], status="approved").first()
        if found is not None:
            figures.reopen(ACTOR, found, "Mở lại để sửa")
    elif name == "status" and (o := org(op[1])) is not None:
        registry.change_status(ACTOR, o, op[2], datetime.date(op[3], 6, 30))
    elif name == "move" and (o := org(op[1])) is not None:
        data = {
            "commune": communes[op[2]],
            "former_commune": places["former"] if op[3] and op[2] == 0 else None,
        }
        registry.update_organisation(ACTOR, o, data)
    elif name == "kind" and (o := org(op[1])) is not None:
        registry.update_organisation(
            ACTOR, o, {"kind": op[2], "tax_code": "" if op[2] == "tht" else o.tax_code}
        )
    elif name == "registered" and (o := org(op[1])) is not None:
        registry.update_organisation(ACTOR, o, {"registration_date": datetime.date(op[2], 2, 1)})
    elif name == "delete" and (o := org(op[1])) is not None:
        registry.delete_organisation(ACTOR, o)
        state["organisations"] = [x for x in state["organisations"] if x.pk != o.pk]
    elif name == "merge" and (a := org(op[1])) is not None and (b := org(op[2])) is not None:
        merge_into(ACTOR, a, [b], datetime.date(2024, 7, 1))
    elif name == "regime" and (o := org(op[1])) is not None and o.kind == "tht":
        # a group's regime and contract decide when it is in being and founded (tht_founded_on)
        registry.update_organisation(
            ACTOR, o, {"tht_regime": op[2], "contract_date": datetime.date(op[3], 4, 1)}
        )


@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a database sequence takes minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_the_rollup_equals_the_live_engine_after_every_write(places, steps):
    with transaction.atomic():
        state = {"organisations": [], "batches": []}
        for c in range(2):
            state["organisations"].append(
                make_organisation(places["communes"][c].code, registration_date=datetime.date(2020, 1, 5))
            )
        rollup.rebuild(YEARS)
        for op in steps:
            try:
                with transaction.atomic():
                    apply(op, places, state)
            except (ValidationError, Conflict):
                pass  # refused by the service (e.g. a status it already has): nothing written
            note(f"after {op}")
            assert_rollup_is_live(places["checked"])
        transaction.set_rollback(True)


def test_a_plan_asks_every_served_indicator_at_once_with_the_live_numbers(places):
    a = make_organisation("19363", registration_date=datetime.date(2021, 1, 1))
    tht = make_organisation("19363", kind="tht", tax_code="", registration_date=datetime.date(2021, 1, 1))
    for org, members in ((a, 12), (tht, 7)):
        saved = figures.save_figures(
            ACTOR, org, 2024, {"members_official": members, "revenue": 5}, confirm_warnings=True
        )
        figures.approve(ACTOR, figures.submit(ACTOR, saved))
    rollup.rebuild([2024])
    codes = served_codes()
    assert {"htx_count", "htx_members", "share_effective", "share_population_members", "htx_founded"} <= set(
        codes
    )
    assert not {"share_in_chains", "htx_traceability", "share_good_fair", "htx_founded_members"} & set(codes)
    for place in places["checked"]:
        served = measure_many(codes, place, 2024)
        for code in codes:
            assert served[code] == INDICATORS[code].measure_live(place, 2024), code
    children = INDICATORS["htx_members"].measure_children(None, 2024)
    live = INDICATORS["htx_members"].measure_children(None, 2024, live=True)
    assert children == live
    # 2024's children are the provinces of 31/12/2024 (63): the one HTX's members counted once
    assert sum(m.value or 0 for _c, m in children) == 12
    district = INDICATORS["htx_members"].measure_children(unit("old:464"), 2024)
    assert district == INDICATORS["htx_members"].measure_children(unit("old:464"), 2024, live=True)


def test_rebuild_rollup_command_reports_the_cells(places, capsys):
    from django.core.management import call_command

    make_organisation("19363", registration_date=datetime.date(2021, 1, 1))
    call_command("rebuild-rollup", "--from", "2020", "--to", "2022")
    assert "rollup:" in capsys.readouterr().out
    assert rollup.built_years() == {2020, 2021, 2022}
    assert FigureRollup.objects.filter(year=2021, commune=unit("19363"), kind="htx").get().active == 1


def test_an_approval_in_lam_dong_leaves_quang_tris_cached_values_and_drops_its_own(
    settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "areas"}
    }
    cache.clear()
    quang_tri_org = make_organisation(
        "19363", former_commune="old:19363", registration_date=datetime.date(2021, 1, 1)
    )
    lam_dong_org = make_organisation("22918", registration_date=datetime.date(2021, 1, 1))
    rollup.rebuild([2024])
    quang_tri, former_district, lam_dong = unit("44"), unit("old:464"), unit("68")
    for place in (quang_tri, former_district, lam_dong, None):
        INDICATORS["htx_members"].measure(place, 2024)
    with django_capture_on_commit_callbacks(execute=True):
        saved = figures.save_figures(
            ACTOR, lam_dong_org, 2024, {"members_official": 40}, confirm_warnings=True
        )
        figures.approve(ACTOR, figures.submit(ACTOR, saved))
    with CaptureQueriesContext(connection) as queries:  # still cached: no query at all
        assert INDICATORS["htx_members"].measure(quang_tri, 2024).value is None
        INDICATORS["htx_members"].measure(former_district, 2024)
    assert len(queries) == 0
    assert INDICATORS["htx_members"].measure(lam_dong, 2024).value == 40  # its own: computed again
    assert INDICATORS["htx_members"].measure(None, 2024).value == 40  # the country too
    with django_capture_on_commit_callbacks(execute=True):
        saved = figures.save_figures(
            ACTOR, quang_tri_org, 2024, {"members_official": 9}, confirm_warnings=True
        )
        figures.approve(ACTOR, figures.submit(ACTOR, saved))
    assert INDICATORS["htx_members"].measure(quang_tri, 2024).value == 9
    assert INDICATORS["htx_members"].measure(former_district, 2024).value == 9  # the former unit covering it


def test_a_unit_change_set_moves_the_province_rows_of_the_years_it_reaches(tmp_path):
    """A commune moved to another province from 01/07/2027 counts there in 2027, not in 2026,
    and the country's provinces read from their rows say the same as the live engine."""
    from django.core.management import call_command

    make_organisation("19366", registration_date=datetime.date(2021, 1, 1))
    rollup.rebuild([2026, 2027])
    quang_tri, hue = unit("44"), unit("46")

    def members_count(year):
        return {
            child.pk: m.value for child, m in INDICATORS["htx_count"].measure_children(None, year) if m.value
        }

    assert members_count(2027) == {quang_tri.pk: 1}
    path = tmp_path / "move.txt"
    path.write_text("act: 5/NQ\neffective: 2027-07-01\nmove 19366: 44 -> 46\n", encoding="utf-8")
    call_command("load-unit-changes", str(path))
    assert members_count(2026) == {quang_tri.pk: 1}
    assert members_count(2027) == {hue.pk: 1}
    for year in (2026, 2027):
        assert INDICATORS["htx_count"].measure_children(None, year) == INDICATORS[
            "htx_count"
        ].measure_children(None, year, live=True)
    with transaction.atomic():  # the rows equal a rebuild under the new hierarchy
        now = table()
        rollup.rebuild([2026, 2027])
        assert table() == now
        transaction.set_rollback(True)
