import datetime


def product_data(org, **extra):
    return {"organisation": org, "name": "Hồ tiêu Vĩnh Linh", "group": "food", "score": 72, "stars": 4, "level": "province",
            "decision_number": "123/QĐ-UBND", "decision_date": datetime.date(2023, 5, 31), **extra}  # fmt: skip
