"""Shared fixtures: the real administrative units, and the personas the tests speak of.

Personas (after Healthchecks' alice/bob/charlie):
- `commune_officer`: officer of Xã Vĩnh Linh (19363), a commune of today's Quảng Trị;
- `province_officer`: officer of today's Quảng Trị (44);
- `district_officer`: officer of the former Vĩnh Linh district, measured through the lineage;
- `other_officer`: officer of another province (Hà Nội, 01);
- `viewer`: reads Quảng Trị, writes nothing;
- `cooperative_user`: the account of one cooperative (Vĩnh Thái, Quảng Trị);
- `second_cooperative_user`: the account of another cooperative, in another province (Hà Nội);
- `lead_agency_officer`: officer of an agency of the former Vĩnh Linh district that leads tasks;
- `admin`: national administrator; and the anonymous visitor (`client` without login).
"""

import itertools
import os
import shutil

import pytest
from django.core.management import call_command

from hoptac.accounts.models import User
from hoptac.core.audit import Actor
from hoptac.geo.loader import load_units
from hoptac.geo.models import AdministrativeUnit
from hoptac.registry import services
from hoptac.registry.models import make_tax_code

_codes = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real units once per test database (~14,000 units, ~11,000 lineage links)."""
    with django_db_blocker.unblock():
        load_units()


@pytest.fixture(autouse=True)
def _fresh_hierarchy_memos():
    """The indicators memoise the hierarchy per data version, which a test's rolled-back
    transaction never bumps: each test starts without them."""
    from hoptac.indicators import rollup
    from hoptac.indicators.engine import clear_memos

    clear_memos()
    rollup._BUILT_MEMO.clear()


def unit(ref: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get_by_ref(ref)


def make_user(username, role, ref=None, organisation=None) -> User:
    user = User(username=username, role=role, unit=unit(ref) if ref else None, organisation=organisation)
    user.set_password("correct horse battery")
    user.save()
    return user


def make_organisation(commune="19363", **fields):
    """An organisation created through the service, as a command would (audited)."""
    code = None
    while code is None:
        code = make_tax_code("32", next(_codes))
    data = {"kind": "htx", "name": f"HTX Thử nghiệm {code}", "tax_code": code, "commune": unit(commune)}
    if "former_commune" in fields and isinstance(fields["former_commune"], str):
        fields["former_commune"] = unit(fields["former_commune"])
    data.update(fields)
    return services.create_organisation(Actor.command(), data)


# Maxima of TT 01/2020's 15 criteria as loaded by the rubric migration.
CRITERIA_MAXIMA = {
    1: 7,
    2: 6,
    3: 11,
    4: 6,
    5: 8,
    6: 6,
    7: 6,
    8: 6,
    9: 4,
    10: 10,
    11: 10,
    12: 8,
    13: 4,
    14: 4,
    15: 4,
}


def scores_totalling(total: str) -> dict[str, str]:
    """Criterion scores, each within its maximum, that add up to `total`."""
    from decimal import Decimal

    remaining, scores = Decimal(total), {}
    for number, maximum in CRITERIA_MAXIMA.items():
        points = min(Decimal(maximum), remaining)
        scores[str(number)] = str(points)
        remaining -= points
    return scores


@pytest.fixture
def vinh_linh_htx(db):
    return make_organisation("19363", name="Hợp tác xã Vĩnh Thái", former_commune="old:19363")


@pytest.fixture
def hanoi_htx(db):
    return make_organisation("00004", name="HTX Dịch vụ Ba Đình")


@pytest.fixture
def commune_officer(db):
    return make_user("xa_vinhlinh", "officer", "19363")


@pytest.fixture
def province_officer(db):
    return make_user("quangtri", "officer", "44")


@pytest.fixture
def district_officer(db):
    return make_user(
        "huyen_vinhlinh",
        "officer",
        AdministrativeUnit.objects.get(generation="old", level="district", name="Huyện Vĩnh Linh").ref,
    )


@pytest.fixture
def other_officer(db):
    return make_user("hanoi", "officer", "01")


@pytest.fixture
def viewer(db):
    return make_user("xem", "viewer", "44")


@pytest.fixture
def cooperative_user(db, vinh_linh_htx):
    return make_user("htx_vinhthai", "cooperative", organisation=vinh_linh_htx)


@pytest.fixture
def second_cooperative_user(db, hanoi_htx):
    return make_user("htx_badinh", "cooperative", organisation=hanoi_htx)


@pytest.fixture
def lead_agency(db):
    from hoptac.accounts.models import Agency

    return Agency.objects.create(unit=unit("464"), name="Phòng Kinh tế và Hạ tầng")


@pytest.fixture
def lead_agency_officer(db, lead_agency):
    user = make_user("ktht_vinhlinh", "officer")
    user.agency = lead_agency
    user.save()
    return user


@pytest.fixture
def admin(db):
    return make_user("admin", "admin")


def chromium_path():
    return os.environ.get("HOPTAC_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Browser tests run last (their live server empties the database), and only where Chromium is.

    In CI Chromium is installed by .ci/run, so a missing browser there is an error, not a pass.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    if chromium_path():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true but Chromium is not installed: the browser test must run in CI.")
    browser = [i for i in items if i.get_closest_marker("browser")]
    if browser:
        items[:] = [i for i in items if not i.get_closest_marker("browser")]
        config.hook.pytest_deselected(items=browser)
        print(f"\nChromium not found: {len(browser)} browser test(s) not run here (CI runs them).")


__all__ = ["call_command", "make_organisation", "make_user", "unit"]
