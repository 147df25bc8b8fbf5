"""The data version is bumped once per transaction, however many writes it holds."""

import pytest
from django.db import connection, transaction

from hoptac.conftest import make_organisation, unit
from hoptac.core.cache import bump

pytestmark = pytest.mark.django_db


def _unplaced_write():
    """A write no area holds (a unit's own data): it invalidates every cached value."""
    from hoptac.core.audit import Actor, record
    from hoptac.core.models import Action

    record(Actor.command(), Action.UPDATE, unit("19363"), before={}, after={})


def test_a_transaction_with_many_writes_bumps_once_and_a_rolled_back_one_does_not_count():
    connection.run_on_commit.clear()
    with transaction.atomic():
        for _ in range(3):
            _unplaced_write()
    assert [hook[1] for hook in connection.run_on_commit].count(bump) == 1
    connection.run_on_commit.clear()
    try:
        with transaction.atomic():
            _unplaced_write()
            raise RuntimeError
    except RuntimeError:
        pass
    assert [hook[1] for hook in connection.run_on_commit].count(bump) == 0
    _unplaced_write()  # after a rolled-back savepoint the next write registers its own bump
    assert [hook[1] for hook in connection.run_on_commit].count(bump) == 1


def test_a_write_about_an_organisation_bumps_its_area_not_the_data_version(
    settings, django_capture_on_commit_callbacks
):
    from hoptac.core.cache import unit_versions

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "area"}
    }

    quang_tri, hanoi = unit("44"), unit("01")
    before = unit_versions([quang_tri.pk, hanoi.pk, 0])
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_organisation("19363")
    assert bump not in [c for c in callbacks]
    after = unit_versions([quang_tri.pk, hanoi.pk, 0])
    assert after[quang_tri.pk] > before[quang_tri.pk] and after[0] > before[0]
    assert after[hanoi.pk] == before[hanoi.pk]


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


def test_the_type_of_an_audited_or_imported_object_cannot_be_deleted_away():
    """The generic reference's type has no database constraint (speed of imports); the ORM's
    PROTECT keeps the entries and batch items from losing it, as a cascade would."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import ProtectedError

    from hoptac.core.models import AuditEntry
    from hoptac.imports.models import BatchItem, ImportBatch

    org = make_organisation(name="Hợp tác xã Giữ Lại")  # created through the service: audited
    organisation_type = ContentType.objects.get_for_model(org)
    assert AuditEntry.objects.filter(content_type=organisation_type, object_id=str(org.pk)).exists()
    with pytest.raises(ProtectedError):
        organisation_type.delete()
    batch = ImportBatch.objects.create(kind="organisations", filename="a.xlsx")
    batch_type = ContentType.objects.get_for_model(ImportBatch)  # a type no audit entry names
    BatchItem.objects.create(batch=batch, content_type=batch_type, object_id=str(batch.pk), action="create")
    with pytest.raises(ProtectedError):
        batch_type.delete()
    assert ContentType.objects.filter(pk__in=[organisation_type.pk, batch_type.pk]).count() == 2
