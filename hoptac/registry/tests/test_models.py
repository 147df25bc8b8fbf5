"""Registry validation: what the model refuses, and how it explains it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hoptac.conftest import make_organisation, unit
from hoptac.registry.models import Organisation, make_tax_code, normalise_tax_code

pytestmark = pytest.mark.django_db


def test_tax_codes_are_checked_and_written_officially():
    assert normalise_tax_code("0100233488") == "0100233488"
    assert normalise_tax_code("0100233488001") == "0100233488-001"
    assert normalise_tax_code(" 0100233488-001 ") == "0100233488-001"
    for bad in ["0100233489", "010023348", "abc", "0100233488-000"]:
        with pytest.raises(ValidationError):
            normalise_tax_code(bad)


def test_generated_tax_codes_are_valid():
    codes = [c for c in (make_tax_code("32", n) for n in range(1, 200)) if c]
    assert len(codes) > 150
    assert all(normalise_tax_code(c) == c for c in codes)


def test_a_wrong_tax_code_is_refused_naming_the_field_in_vietnamese():
    org = Organisation(kind="htx", name="HTX A", tax_code="0100233489", commune=unit("19363"))
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "tax_code" in exc.value.message_dict
    assert "mã số thuế" in exc.value.message_dict["tax_code"][0].lower()


def test_a_cooperative_needs_a_tax_code_but_a_group_does_not():
    with pytest.raises(ValidationError) as exc:
        Organisation(kind="htx", name="HTX B", commune=unit("19363")).full_clean()
    assert "tax_code" in exc.value.message_dict
    Organisation(kind="tht", name="Tổ hợp tác C", commune=unit("19363")).full_clean()


def test_commune_must_be_current_and_former_commune_must_have_merged_into_it():
    with pytest.raises(ValidationError) as exc:
        Organisation(kind="tht", name="THT", commune=unit("old:19363")).full_clean()
    assert "commune" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        Organisation(
            kind="tht", name="THT", commune=unit("00004"), former_commune=unit("old:19363")
        ).full_clean()
    assert "former_commune" in exc.value.message_dict
    Organisation(kind="tht", name="THT", commune=unit("19363"), former_commune=unit("old:19363")).full_clean()


def test_group_only_fields_are_refused_on_a_cooperative():
    org = Organisation(
        kind="htx",
        name="HTX D",
        tax_code=make_tax_code("32", 5),
        commune=unit("19363"),
        in_commune_register=True,
    )
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "contract_date" in exc.value.message_dict


def test_duplicate_tax_code_is_refused():
    first = make_organisation()
    with pytest.raises(ValidationError) as exc:
        make_organisation(tax_code=first.tax_code)
    assert "tax_code" in exc.value.message_dict


def test_search_ignores_accents_and_case():
    org = make_organisation(name="Hợp tác xã Vĩnh Thái")
    assert list(Organisation.objects.search("hop tac xa vinh thai")) == [org]
    assert list(Organisation.objects.search("VĨNH thái")) == [org]
    assert list(Organisation.objects.search(org.tax_code[:6])) == [org]
    assert not Organisation.objects.search("vinh thanh").exists()
