"""The dry run's checks give what the model's full_clean gives, without building an instance."""

import copy
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from unidecode import unidecode

from hoptac.conftest import make_organisation, unit
from hoptac.core.text import normalise
from hoptac.geo.models import UnitLineage
from hoptac.imports import cells
from hoptac.imports.checks import OrganisationChecks
from hoptac.imports.places import PlaceMatcher
from hoptac.registry.models import Organisation, make_tax_code, normalise_tax_code

pytestmark = pytest.mark.django_db


def model_errors(data, current=None) -> dict:
    candidate = copy.copy(current) if current is not None else Organisation()
    for key, value in data.items():
        setattr(candidate, key, value)
    try:
        candidate.full_clean(
            exclude=["commune", "former_commune"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {}


def cases():
    link = UnitLineage.objects.select_related("old", "new").filter(old__level="commune").first()
    elsewhere = unit("19363") if link.new.code != "19363" else unit("26368")
    code = make_tax_code("32", 4242)
    base = {"name": "HTX Kiểm tra", "kind": "htx", "tax_code": code, "commune": link.new}
    far_future = datetime.date.today() + datetime.timedelta(days=30)
    return [
        base,
        {**base, "name": "N" * 256},
        {**base, "address": "a" * 256, "director_name": "d" * 121, "phone": "0" * 31},
        {**base, "tax_code": ""},
        {**base, "kind": "lhhtx", "tax_code": ""},
        {
            **base,
            "kind": "tht",
            "tax_code": "",
            "contract_date": datetime.date(2020, 1, 2),
            "in_commune_register": True,
        },
        {**base, "contract_date": datetime.date(2020, 1, 2)},
        {**base, "in_commune_register": False},
        {**base, "registration_date": far_future},
        {**base, "former_commune": link.old},
        {**base, "commune": elsewhere, "former_commune": link.old},
        {**base, "former_commune": link.new},
        {**base, "sector": "not-a-sector"},
        {**base, "tax_code": "0100233489"},
    ]


def test_new_rows_get_the_messages_full_clean_gives():
    checks = OrganisationChecks(PlaceMatcher(None).successors)
    for data in cases():
        assert checks.errors(data) == model_errors(data), data
    assert checks.errors(cases()[1])["name"], "a name over 255 characters is refused"


def test_rows_that_change_an_organisation_get_the_messages_full_clean_gives():
    current = make_organisation(commune="19363")
    checks = OrganisationChecks(PlaceMatcher(None).successors)
    for data in cases():
        data = {k: v for k, v in data.items() if k != "tax_code"} | {"kind": current.kind}
        assert checks.errors(data, current=current) == model_errors(data, current), data


def test_the_fast_readers_equal_the_general_ones():
    texts = [
        "Hợp tác xã Vĩnh Thái",
        "  HTX\tĐông  Hà ",
        "Hoà",
        "Ho\u0300a",
        "ＴＴ Hồ Xá",
        "x. Vĩnh Tú",
        "",
        "Ñoño ß",
        "Tổ hợp tác 3",
    ]

    def reference(text):  # what folding means: unidecode of the whole normalised text, lower case
        return re.sub(r"\s+", " ", unidecode(normalise(text)).lower()).strip()

    for text in texts:
        assert cells.fold(text) == reference(text), text
    for n in range(1, 3000, 7):
        code = make_tax_code("01", n) or f"01{n:07d}0"
        for candidate in (code, code + "001", code + "000", code[:9] + "9", "0100000000"):
            try:
                expected = normalise_tax_code(candidate)
            except ValidationError as exc:
                with pytest.raises(ValidationError) as raised:
                    cells.tax_code(candidate)
                assert raised.value.messages == exc.messages
            else:
                assert cells.tax_code(candidate) == expected
