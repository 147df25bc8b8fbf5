"""The data version is bumped once per transaction, however many writes it holds."""

import pytest
from django.db import connection, transaction

from hoptac.conftest import make_organisation
from hoptac.core.cache import bump

pytestmark = pytest.mark.django_db


def test_a_transaction_with_many_writes_bumps_once_and_a_rolled_back_one_does_not_count():
    connection.run_on_commit.clear()
    with transaction.atomic():
        for _ in range(3):
            make_organisation("19363")
    assert [hook[1] for hook in connection.run_on_commit].count(bump) == 1
    connection.run_on_commit.clear()
    try:
        with transaction.atomic():
            make_organisation("19363")
            raise RuntimeError
    except RuntimeError:
        pass
    assert [hook[1] for hook in connection.run_on_commit].count(bump) == 0
    make_organisation("19363")  # after a rolled-back savepoint the next write registers its own bump
    assert [hook[1] for hook in connection.run_on_commit].count(bump) == 1


def test_a_lost_data_version_never_restarts_below_an_earlier_one(settings):
    """If the version key is evicted, values cached under earlier versions must not be served."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "v"}
    }
    from django.core.cache import cache

    from hoptac.core.cache import KEY, data_version

    first = data_version()
    bump()
    assert data_version() == first + 1
    cache.delete(KEY)  # culled, evicted or deleted by hand
    assert data_version() > first + 1
