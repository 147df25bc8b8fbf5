"""Cooperative-group indicators by regime (Luật HTX 2023 registration, or an NĐ 77/2019 contract):
the total keeps both, the split answers seed 002's task 3.2b, and a contract group is founded by its contract."""

import datetime

import pytest

from hoptac.conftest import make_organisation, unit
from hoptac.indicators.library import INDICATORS
from hoptac.plans.loader import load_plans
from hoptac.tasks.models import Task

pytestmark = pytest.mark.django_db


def group(name, **fields):
    return make_organisation(kind="tht", tax_code="", name=name, **fields)


@pytest.fixture
def groups():
    return {
        "registered": group(
            "THT Đăng ký", tht_regime="luat_htx_2023", registration_date=datetime.date(2025, 3, 1)
        ),
        "in_register": group(
            "THT Có sổ",
            tht_regime="nd77_contract",
            contract_date=datetime.date(2022, 5, 1),
            in_commune_register=True,
        ),
        "contract_only": group(
            "THT Chỉ hợp đồng", tht_regime="nd77_contract", contract_date=datetime.date(2024, 2, 1)
        ),
        "unknown": group("THT Chưa rõ"),
        "later": group(
            "THT Ký năm 2026", tht_regime="nd77_contract", contract_date=datetime.date(2026, 1, 5)
        ),
    }


def value(code, year, ref="19363"):
    return INDICATORS[code].measure(unit(ref), year).value


def test_the_total_counts_both_regimes_from_the_day_each_group_came_into_being(groups):
    assert value("tht_count", 2025) == 4  # the 2026 contract is not yet a group at the end of 2025
    assert value("tht_count", 2026) == 5
    assert value("tht_count", 2023) == 2  # the 2022 contract group and the group of unknown regime


def test_the_split_by_regime_and_register_adds_up_to_the_total(groups):
    split = {
        code: value(code, 2025)
        for code in ("tht_registered_count", "tht_contract_count", "tht_contract_in_register_count", "tht_regime_unknown_count")
    }  # fmt: skip
    assert split == {
        "tht_registered_count": 1, "tht_contract_count": 2, "tht_contract_in_register_count": 1, "tht_regime_unknown_count": 1,
    }  # fmt: skip
    assert split["tht_registered_count"] + split["tht_contract_count"] + split[
        "tht_regime_unknown_count"
    ] == value("tht_count", 2025)
    names = set(
        INDICATORS["tht_contract_count"]
        .drilldown(2025, groups["later"].__class__.objects.all())
        .values_list("name", flat=True)
    )
    assert names == {"THT Có sổ", "THT Chỉ hợp đồng"}


def test_a_contract_group_is_founded_by_its_contract(groups):
    assert value("tht_founded", 2024) == 1  # the contract of 01/02/2024, without a registration date
    assert value("tht_founded", 2025) == 1  # the registration of 01/03/2025
    assert "Luật HTX 2023" in str(INDICATORS["tht_count"].judgement)


def test_seed_002s_count_of_groups_asks_for_the_split():
    load_plans()
    task = Task.objects.get(plan__key="vinhlinh-cv-2023", code="3.2b")
    assert task.indicators[0] == "tht_count"
    assert {"tht_contract_count", "tht_contract_in_register_count", "tht_registered_count"} <= set(
        task.indicators
    )
    assert all(code in INDICATORS for code in task.indicators)


def test_measured_together_the_regime_counts_equal_one_by_one(groups):
    from django.core.cache import cache

    from hoptac.indicators.library import measure_many

    codes = [
        "tht_count",
        "tht_registered_count",
        "tht_contract_count",
        "tht_contract_in_register_count",
        "htx_count",
    ]
    together = measure_many(codes, unit("19363"), 2025)
    cache.clear()
    for code in codes:
        assert together[code] == INDICATORS[code].measure(unit("19363"), 2025), code
