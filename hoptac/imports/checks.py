"""The organisation checks of the model, per row of a file, without building a model instance.

`Organisation.full_clean()` (fields, then `clean()`) cost half of a 100,000-row dry run: an
instance of some 40 attributes per row, every field cleaned, and two lineage queries for each
row naming a former commune. `organisation_errors` gives the same messages for the same values
(`test_checks.py` compares them with `full_clean` on the cases it rejects):

- the fields: a value that plainly passes (a string within its length, one of the choices, a
  date, a boolean) is accepted here; any other goes to Django's own `field.clean()`, so the
  message is Django's, in the user's language;
- `clean()`: the same rules in the same order with the same messages (msgids), the lineage read
  from the place matcher (already loaded) instead of two queries per row.

As `full_clean` does in the dry run, the places (`commune`, `former_commune`) are not looked up
again (they come from the matcher) and uniqueness is checked against the registry and the file
by the caller.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as _

from hoptac.core.validation import latest_plausible_date
from hoptac.geo.models import Generation, Level
from hoptac.registry.choices import KINDS_WITH_TAX_CODE, Kind
from hoptac.registry.models import Organisation

EXCLUDED = {"commune", "former_commune"}  # matched by the place matcher, not looked up again
# The fields Organisation.clean() reads.
CLEAN_READS = ("tax_code", "kind", "commune", "former_commune", "registration_date", "contract_date",
               "in_commune_register", "commune_register_date", "tht_regime", "contract_end_date")  # fmt: skip


def _quick(field: models.Field):
    """A predicate true when field.clean(value) plainly passes and returns the value unchanged;
    a false answer sends the value to field.clean() for the real verdict and its message."""
    if not field.editable:  # validate() is skipped for it, its validators still run
        if isinstance(field, models.CharField) and all(
            isinstance(v, MaxLengthValidator) for v in field.validators
        ):
            limit = field.max_length
            return lambda value: isinstance(value, str) and len(value) <= limit
        if isinstance(field, models.DateTimeField) and not field.validators:
            return lambda value: isinstance(value, datetime.datetime)
        return lambda value: False
    if isinstance(field, models.CharField) and not isinstance(field, models.EmailField):
        if any(not isinstance(v, MaxLengthValidator) for v in field.validators):
            return lambda value: False
        limit = field.max_length
        choices = {key for key, _label in field.flatchoices} if field.choices else None
        if choices is not None:
            return lambda value: isinstance(value, str) and str.__str__(value) in choices
        return lambda value: isinstance(value, str) and len(value) <= limit and bool(value or field.blank)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        if field.validators:
            return lambda value: False
        return lambda value: value.__class__ is datetime.date
    if isinstance(field, models.IntegerField) and not field.choices:
        bounds = [v for v in field.validators if isinstance(v, (MinValueValidator, MaxValueValidator))]
        if len(bounds) == len(field.validators) and not any(callable(v.limit_value) for v in bounds):
            low = max((v.limit_value for v in bounds if isinstance(v, MinValueValidator)), default=None)
            high = min((v.limit_value for v in bounds if isinstance(v, MaxValueValidator)), default=None)
            return lambda value: (
                value.__class__ is int
                and (low is None or value >= low)
                and (high is None or value <= high)
                and bool(field.blank or value is not None)
            )
        return lambda value: False
    if isinstance(field, models.BooleanField) and not field.validators and not field.choices:
        return lambda value: value is True or value is False
    return lambda value: False


class OrganisationChecks:
    """Built once per dry run: the fields' quick checks, today's limit for dates."""

    def __init__(self, successors: dict | None = None):
        self.fields = {
            f.name: (f, _quick(f))
            for f in Organisation._meta.fields
            if f.name not in EXCLUDED and not f.generated
        }
        self.clean_defaults = {
            name: self.fields[name][0].get_default() for name in CLEAN_READS if name in self.fields
        }
        self.latest = latest_plausible_date()
        self.successors = successors  # former commune id -> [(today's commune, partial)], if loaded

    def _field_errors(self, name: str, value, errors: dict) -> None:
        field, quick = self.fields[name]
        if quick(value) or field.blank and value in field.empty_values:
            return
        try:
            field.clean(value, None)
        except ValidationError as exc:
            errors[name] = list(exc.messages)

    def errors(
        self, data: dict, current: Organisation | None = None, tax_code_checked: bool = False
    ) -> dict[str, list[str]]:
        """{field: messages} as `full_clean(exclude=[commune, former_commune], validate_unique=False,
        validate_constraints=False)` would give them for `data` applied to a new organisation (or
        to `current`, a registry organisation the row updates); {} when the row passes.
        `tax_code_checked`: data's tax code is normalise_tax_code's own result (valid as it is)."""
        errors: dict[str, list[str]] = {}
        fields = self.fields
        if current is None:
            for name, value in data.items():  # the other fields keep their (valid) defaults
                if name in fields and not fields[name][1](value):
                    self._field_errors(name, value, errors)
            values = {**self.clean_defaults, **data}
        else:
            for name, (field, _q) in fields.items():
                self._field_errors(
                    name, data[name] if name in data else getattr(current, field.attname), errors
                )
            values = {name: getattr(current, name) for name in CLEAN_READS if name not in data}
            values.update(data)
            values["merged_into_id"] = current.merged_into_id
            values["pk"] = current.pk
        get = values.get

        def add(name, message):
            errors.setdefault(name, []).append(str(message))

        # Organisation.clean(), rule by rule.
        tax_code, kind = get("tax_code"), get("kind")
        if tax_code:
            if not (tax_code_checked and "tax_code" in data):
                from hoptac.imports.cells import tax_code as normalise

                try:
                    normalise(tax_code)
                except ValidationError as exc:
                    errors.setdefault("tax_code", []).extend(exc.messages)
        elif kind in KINDS_WITH_TAX_CODE:
            add("tax_code", _("A %(kind)s must have a tax code.") % {"kind": _kind_label(kind)})
        commune, former = get("commune"), get("former_commune")
        if commune is not None and (commune.generation != Generation.NEW or commune.level != Level.COMMUNE):
            add("commune", _("Choose a commune, ward or special zone as it is today."))
        if former is not None:
            if former.generation != Generation.OLD or former.level != Level.COMMUNE:
                add("former_commune", _("Choose a commune as it was before 1 July 2025."))
            elif commune is not None:
                links = self.successors.get(former.pk) if self.successors is not None else None
                if links is None:
                    new_ids = set(former.successor_links.values_list("new_id", flat=True))
                else:
                    new_ids = {unit.pk for unit, _partial in links}
                if new_ids and commune.pk not in new_ids:
                    add(
                        "former_commune",
                        _("%(former)s did not become part of %(commune)s in the 2025 reorganisation.")
                        % {"former": former.name, "commune": commune.name},
                    )
        registration_date = get("registration_date")
        if registration_date and registration_date > self.latest:
            add("registration_date", _("The registration date cannot be in the future."))
        contract_date, register_date = get("contract_date"), get("commune_register_date")
        if kind != Kind.THT and (contract_date or get("in_commune_register") is not None or register_date):
            add("contract_date", _("Contract and commune register apply to cooperative groups only."))
        if get("tht_regime") and kind != Kind.THT:
            add("tht_regime", _("The regime applies to cooperative groups only."))
        if register_date and not get("in_commune_register"):
            add("commune_register_date", _("An entry date needs the entry in the commune's register."))
        end = get("contract_end_date")
        if contract_date and end and end < contract_date:
            add("contract_end_date", _("The contract cannot end before it was signed."))
        merged_id = get("merged_into_id")
        if merged_id and merged_id == get("pk"):
            add("merged_into", _("An organisation cannot merge into itself."))
        return errors


def _kind_label(kind) -> str:
    """get_kind_display(): the choice's label, or the value itself when it is none of them."""
    return str(dict(Kind.choices).get(kind, kind))
