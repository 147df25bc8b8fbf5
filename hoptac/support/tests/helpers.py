import datetime

from hoptac.support.models import Policy


def support_data(org, **extra):
    return {"organisation": org, "policy": Policy.objects.get(code="credit-fund"), "date": datetime.date(2023, 6, 1),
            "amount": 300_000_000, "source": "local", **extra}  # fmt: skip
