"""The shared form rendering (core/_form_errors.html, core/_field.html, core.forms.BoundField): a
refused form lists its problems at the top with links to the fields, outlines each invalid field
and ties its message to it for screen readers; a wrong date restates dd/mm/yyyy."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_a_refused_form_summarises_outlines_and_describes_its_errors(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    response = client.post(
        f"/links/new/{vinh_linh_htx.pk}/",
        {"enterprise_name": "", "start_date": "31/02/2025", "contract_date": "2025-13-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(
        r'<div class="col-12 alert alert-danger" role="alert"[^>]*id="form-errors">(.*?)</div>', page, re.S
    )
    assert summary, page[:3000]
    assert 'href="#id_enterprise_name"' in summary.group(1) and 'href="#id_start_date"' in summary.group(1)
    assert "data-focus-on-load" in page  # behaviours.js moves the focus to the summary
    start = re.search(r'<input[^>]*name="start_date"[^>]*>', page).group(0)
    assert "is-invalid" in start and 'aria-invalid="true"' in start
    assert 'aria-describedby="id_start_date_error"' in start or "id_start_date_error" in start
    assert 'id="id_start_date_error"' in page
    assert "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2025." in page
    valid = re.search(r'<input[^>]*name="contract_number"[^>]*>', page).group(0)
    assert "is-invalid" not in valid and "aria-invalid" not in valid


def test_a_valid_form_shows_no_summary(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    page = client.get(f"/links/new/{vinh_linh_htx.pk}/").content.decode()
    assert 'id="form-errors"' not in page and "is-invalid" not in page
