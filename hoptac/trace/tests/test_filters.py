"""The officers' lot list, its export and the API filter through one LotFilterSet."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from hoptac.trace.tests.helpers import lot, product

pytestmark = pytest.mark.django_db


def test_page_export_and_api_answer_the_same_filter(client, province_officer, vinh_linh_htx):
    rice = product(vinh_linh_htx)
    pepper = product(vinh_linh_htx, name="Hồ tiêu đen")
    rice_lot, pepper_lot = lot(rice, number="GAO-01"), lot(pepper, number="TIEU-01")
    client.force_login(province_officer)
    api = APIClient()
    api.force_authenticate(province_officer)
    printed = pepper_lot.display_code.lower()  # a code as a phone reads it back: any case, with hyphens
    for params, expected in (
        ({"q": "tiêu"}, pepper_lot),
        ({"q": printed}, pepper_lot),
        ({"product": rice.pk}, rice_lot),
    ):
        page = client.get("/trace/", params).content.decode()
        other = rice_lot if expected == pepper_lot else pepper_lot
        assert expected.number in page and other.number not in page, params
        body = b"".join(client.get("/trace/export.csv", params).streaming_content).decode("utf-8-sig")
        assert [r[1] for r in list(csv.reader(io.StringIO(body)))[1:]] == [expected.number], params
        assert [x["code"] for x in api.get("/api/v1/trace/lots/", params).json()["results"]] == [
            expected.code
        ]
    # A product that is not a number is a named 400 in the API (it was silently ignored).
    assert "product" in api.get("/api/v1/trace/lots/", {"product": "x"}).json()
