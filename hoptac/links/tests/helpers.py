import datetime

from hoptac.registry.models import make_tax_code

ENTERPRISE = make_tax_code("01", 123) or make_tax_code("01", 124)


def link_data(org, **extra):
    return {"organisation": org, "enterprise_name": "Công ty TNHH Nông sản Việt", "enterprise_tax_code": ENTERPRISE,
            "product": "Hồ tiêu", "start_date": datetime.date(2024, 3, 1), **extra}  # fmt: skip
