"""The change history as people read it: labels, choice labels, names with links, authors, local time."""

import datetime

import pytest
from django.utils import timezone

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor, history
from hoptac.core.history import describe_entries
from hoptac.registry import services
from hoptac.trace.tests.helpers import product

pytestmark = pytest.mark.django_db


def _page(client, user, organisation):
    client.force_login(user)
    return client.get(organisation.get_absolute_url()).content.decode()


def test_a_status_change_shows_labels_not_field_names(client, province_officer, vinh_linh_htx):
    services.change_status(
        Actor(user=province_officer, source="web"), vinh_linh_htx, "suspended", datetime.date(2026, 3, 1)
    )
    page = _page(client, province_officer, vinh_linh_htx)
    assert "<code>status</code>" not in page and "active → suspended" not in page
    assert "Tình trạng: Đang hoạt động → Tạm ngừng hoạt động" in page
    assert "quangtri — cán bộ, Tỉnh Quảng Trị" in page


def test_a_related_object_is_named_with_a_link(client, province_officer, vinh_linh_htx):
    target = make_organisation(name="HTX Bến Quan")
    services.change_status(
        Actor(user=province_officer, source="web"),
        vinh_linh_htx,
        "merged",
        datetime.date(2026, 3, 1),
        decision="12/QĐ",
        merged_into=target,
    )
    page = _page(client, province_officer, vinh_linh_htx)
    assert f'<a href="{target.get_absolute_url()}">HTX Bến Quan</a>' in page


def test_a_nested_record_is_shown_field_by_field(vinh_linh_htx):
    from hoptac.trace import services as trace

    prod = product(vinh_linh_htx)
    trace.add_certification(
        Actor.command(), prod, {"kind": "organic", "number": "HC-1", "issuer": "Y",
                                "valid_from": datetime.date(2024, 1, 1), "valid_until": datetime.date(2027, 1, 1)},
    )  # fmt: skip
    rows = describe_entries(history(prod))
    text = " ".join(f"{c.label}: {c.old.text} → {c.new.text}" for r in rows for c in r.changes)
    assert "{" not in text and "'kind'" not in text
    assert "01/01/2027" in text and "HC-1" in text
    assert rows[0].author.startswith("dòng lệnh: hoptac")


def test_times_are_local(province_officer, vinh_linh_htx):
    services.change_status(
        Actor(user=province_officer, source="web"), vinh_linh_htx, "suspended", datetime.date(2026, 3, 1)
    )
    row = describe_entries(history(vinh_linh_htx))[0]
    assert row.timestamp.utcoffset() == datetime.timedelta(hours=7)
    assert abs(row.timestamp - timezone.now()) < datetime.timedelta(minutes=5)


def test_the_history_costs_the_same_queries_for_few_or_many_entries(client, province_officer, vinh_linh_htx):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = Actor(user=province_officer, source="web")
    services.update_organisation(actor, vinh_linh_htx, {"address": "Thôn 1"})
    client.force_login(province_officer)
    client.get(vinh_linh_htx.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(vinh_linh_htx.get_absolute_url())
    for i in range(6):
        vinh_linh_htx.refresh_from_db()
        services.update_organisation(actor, vinh_linh_htx, {"address": f"Thôn {i + 2}"})
        services.change_status(
            actor, vinh_linh_htx, "suspended" if i % 2 == 0 else "active", datetime.date(2026, 3, i + 1)
        )
    with CaptureQueriesContext(connection) as many:
        client.get(vinh_linh_htx.get_absolute_url())
    assert len(many.captured_queries) == len(few.captured_queries)


def test_exports_and_documents_give_local_time():
    from hoptac.core import numbers
    from hoptac.core.export import _csv_value

    late = datetime.datetime(2026, 12, 1, 20, 30, tzinfo=datetime.UTC)  # 03:30 on 2 December in Vietnam
    assert _csv_value(late) == "02/12/2026 03:30"
    assert numbers.date(late) == "02/12/2026" and numbers.moment(late) == "02/12/2026 03:30"
