"""The unit picker: a text box that takes a code ("464", "old:45") or a few letters of a name.

Typing letters lists matching units of both generations (`/units/pick/`, geo.views.unit_pick)
with their level, type, parent and period; choosing one puts its code in the box and its full
label under it, so the code stays visible for those who know it. Without JavaScript the box
still takes a code, or a name that names one unit (geo.fields.UnitRefField).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse

from hoptac.geo.models import AdministrativeUnit
from hoptac.geo.picker import label


class UnitPickerWidget(forms.TextInput):
    template_name = "geo/widgets/unit_picker.html"

    def __init__(
        self,
        attrs: dict | None = None,
        levels: list[str] | tuple[str, ...] | None = None,
        within: AdministrativeUnit | str | None = None,
        generation: str | None = None,
    ):
        super().__init__(attrs={"autocomplete": "off", "class": "form-control", **(attrs or {})})
        self.levels = list(levels or [])
        self.within = within
        self.generation = generation

    def format_value(self, value):
        if isinstance(value, AdministrativeUnit):
            return value.ref
        return super().format_value(value)

    def _unit(self, value) -> AdministrativeUnit | None:
        if isinstance(value, AdministrativeUnit):
            return value
        text = str(value or "").strip()
        if not text or not text.replace("old:", "").replace("@", "").replace("-", "").isdigit():
            return None
        try:
            return AdministrativeUnit.objects.select_related("parent", "province").get_by_ref(text)
        except (ValueError, AdministrativeUnit.DoesNotExist, AdministrativeUnit.MultipleObjectsReturned):
            return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        unit = self._unit(value)
        within = self.within.ref if isinstance(self.within, AdministrativeUnit) else (self.within or "")
        widget = context["widget"]
        widget["attrs"].setdefault("placeholder", "")
        widget["attrs"]["role"] = "combobox"
        widget["attrs"]["aria-autocomplete"] = "list"
        widget["attrs"]["aria-expanded"] = "false"
        widget["attrs"]["aria-controls"] = f"{widget['attrs'].get('id') or name}-choices"
        widget.update(
            picker_url=reverse("geo:pick"),
            levels=",".join(self.levels),
            within=within,
            generation=self.generation or "",
            unit_label=label(unit) if unit else "",
            list_id=f"{widget['attrs'].get('id') or name}-choices",
        )
        return context


def render_picker(name: str, value=None, **options) -> str:
    """The picker as HTML, for templates that write their inputs by hand ({% unit_picker %})."""
    attrs = options.pop("attrs", None) or {}
    attrs.setdefault("id", f"id_{name}")
    return UnitPickerWidget(attrs=attrs, **options).render(name, value)
