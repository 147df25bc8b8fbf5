"""What the indicators read from traceability: "HTX thực hiện truy xuất nguồn gốc"."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from hoptac.trace.models import Event

VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


def traced_organisation_ids(year: int) -> QuerySet:
    """Ids of organisations with lots that had events during `year` (Vietnam's calendar year).

    A range on event_time, so the (organisation, event_time) index serves it at millions of events.
    """
    start = datetime.datetime(year, 1, 1, tzinfo=VIETNAM)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=VIETNAM)
    return (
        Event.objects.filter(event_time__gte=start, event_time__lt=end).values("organisation_id").distinct()
    )
