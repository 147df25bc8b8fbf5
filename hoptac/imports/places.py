"""Matching place names typed in files to units, within a place context.

"X. Vĩnh Thái", "xa Vinh Thai", "TT Hồ Xá": accents, case and prefixes do not matter. A name
may be a former commune (before 1/7/2025): it is mapped to today's commune through the
lineage. Only units inside the context (the unit chosen for the file, e.g. the former Vĩnh
Linh district, or the officer's scope) are candidates; two candidates are an error naming both.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.utils.translation import gettext as _

from hoptac.core.text import fold
from hoptac.geo.models import AdministrativeUnit, Generation, Level, UnitLineage

PREFIXES = r"^(xa|x|phuong|p|thi tran|tt|dac khu|dk)\.?\s+"


def key(name: str) -> str:
    folded = fold(str(name)).replace(".", ". ")
    folded = " ".join(folded.split())
    return re.sub(PREFIXES, "", folded).strip()


class PlaceMatcher:
    def __init__(self, context: AdministrativeUnit | None):
        current = AdministrativeUnit.objects.filter(generation=Generation.NEW, level=Level.COMMUNE)
        former = AdministrativeUnit.objects.filter(generation=Generation.OLD, level=Level.COMMUNE)
        if context is not None:
            current = AdministrativeUnit.objects.current_communes_covering(context)
            if context.generation == Generation.OLD:
                former = AdministrativeUnit.objects.descendants_of(context, level=Level.COMMUNE)
            else:
                # Two plain queries over id lists: the DISTINCT join took 14 s on a fresh PostgreSQL
                # database whose planner had no statistics yet.
                current = list(current.select_related("province"))
                olds = set(
                    UnitLineage.objects.filter(new__in=[u.pk for u in current]).values_list(
                        "old_id", flat=True
                    )
                )
                former = AdministrativeUnit.objects.filter(
                    generation=Generation.OLD, level=Level.COMMUNE, pk__in=sorted(olds)
                )
        self.current: dict[str, list[AdministrativeUnit]] = defaultdict(list)
        self.former: dict[str, list[AdministrativeUnit]] = defaultdict(list)
        self.by_code: dict[str, AdministrativeUnit] = {}
        self.exact: dict[str, list[AdministrativeUnit]] = defaultdict(
            list
        )  # "xa hai lang" vs "phuong hai lang"
        for unit in current if isinstance(current, list) else current.select_related("province"):
            self.current[key(unit.name)].append(unit)
            self.exact[" ".join(fold(unit.name).split())].append(unit)
            self.by_code[unit.code] = unit
        self._resolved: dict = {}  # (text, former text) -> (commune, former) or the ValueError
        self.successors: dict[int, list[tuple[AdministrativeUnit, bool]]] = defaultdict(list)
        former = list(former)
        for unit in former:
            self.former[key(unit.name)].append(unit)
        for link in UnitLineage.objects.filter(old__in=former).select_related("new"):
            self.successors[link.old_id].append((link.new, link.is_partial))

    def former_commune(self, text) -> AdministrativeUnit | None:
        """A former commune by name, or ValueError (unknown or ambiguous)."""
        if text in (None, ""):
            return None
        found = self.former.get(key(text), [])
        if len(found) > 1:
            raise ValueError(
                _("“%(name)s” matches several former communes: %(list)s.")
                % {"name": text, "list": ", ".join(u.full_name() for u in found)}
            )
        if not found:
            raise ValueError(_("No former commune named “%(name)s” in this area.") % {"name": text})
        return found[0]

    def names_current(self, text) -> bool:
        """Whether `text` is the name (or code) of one of today's communes in the context."""
        value = str(text or "").strip()
        return bool(
            (value.isdigit() and value.zfill(5) in self.by_code)
            or self.exact.get(" ".join(fold(value).split()))
            or self.current.get(key(value))
        )

    def commune(self, text, former: AdministrativeUnit | None = None) -> AdministrativeUnit:
        """Today's commune by name or code; if not given, from the former commune's successor."""
        if text not in (None, ""):
            value = str(text).strip()
            if value.isdigit() and value.zfill(5) in self.by_code:
                return self.by_code[value.zfill(5)]
            exact = self.exact.get(" ".join(fold(value).split()), [])
            if len(exact) == 1:
                return exact[0]
            found = self.current.get(key(value), [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise ValueError(
                    _("“%(name)s” matches several communes: %(list)s.")
                    % {"name": value, "list": ", ".join(u.full_name() for u in found)}
                )
            if former is None:  # maybe the file gives a former name in the commune column
                former = self.former_commune(value)
        if former is None:
            raise ValueError(_("Give the commune."))
        successors = self.successors.get(former.pk, [])
        whole = [u for u, partial in successors if not partial]
        if len(successors) == 1 or len(whole) == 1:
            return (whole or [successors[0][0]])[0]
        if not successors:
            raise ValueError(
                _("%(name)s has no successor commune in the 2025 lineage.") % {"name": former.name}
            )
        raise ValueError(
            _("%(name)s was split between %(list)s: give today's commune.")
            % {"name": former.name, "list": ", ".join(u.name for u, _p in successors)}
        )

    def resolve(self, text, former_text=None) -> tuple[AdministrativeUnit, AdministrativeUnit | None]:
        """(today's commune, the former commune the text named or None) from a commune cell, an
        address ("Thôn 3, xã Vĩnh Lâm, huyện Vĩnh Linh") or a group row; ValueError if none."""
        cache_key = (text, former_text)
        found = self._resolved.get(cache_key)
        if found is None:
            try:
                found = self._resolve(text, former_text)
            except ValueError as exc:
                found = exc
            self._resolved[cache_key] = found
        if isinstance(found, ValueError):
            raise found
        return found

    def _resolve(self, text, former_text=None):
        former = self.former_commune(former_text) if former_text not in (None, "") else None
        if text in (None, ""):
            return self.commune(None, former), former
        segments = [s.strip() for s in re.split(r"[,;]|\s[-–]\s", str(text)) if s.strip()]
        places = [s for s in segments if not re.match(HIGHER, fold(s))] or segments
        error = None
        for segment in reversed(places):
            try:
                commune = self.commune(segment, former)
            except ValueError as exc:
                error = error or exc
                continue
            if former is None and not self.names_current(segment):
                try:
                    former = self.former_commune(segment)
                except ValueError:
                    former = None
            return commune, former
        raise error


HIGHER = r"^(huyen|tinh|thanh pho|tp|thi xa|tx|quan)\b\.?"
