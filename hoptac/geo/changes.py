"""Change sets: one hand-written file per legal act that changes administrative units.

Units change several times a year (about fifteen resolutions between 2021 and 2026), so a
change is data, not code. A file names the act and lists its changes, one per line::

    # Nghị quyết 237/NQ-UBTVQH16: ten communes of Đồng Nai become wards
    act: 237/NQ-UBTVQH16
    title: Nghị quyết về việc thành lập các phường thuộc thành phố Đồng Nai
    issued: 14/04/2026
    effective: 30/04/2026
    source: https://…

    rename 26368: Xã Long Thành -> Phường Long Thành
    rename 75: Tỉnh Đồng Nai -> Thành phố Đồng Nai (thanh_pho_tw)
    move 12345: 75 -> 79                      (a new parent)
    merge 12345 -> 12346                      (12345 ends; it went wholly into 12346)
    split 12345 -> 12346 partial, 12347 partial
    new 12399: Phường Mới in 75 from 12345 partial

The type follows from the first word of the name (Xã, Phường, Tỉnh, Thành phố…) unless given
in brackets. A change takes effect on the act's effective date: the unit's version valid the
day before keeps the old values, a new version starts on the effective date. Loading is
idempotent, and strict: a change to a unit that does not exist that day, or whose name that
day is not the one the file says, is an error naming the line. The day-before name may also
be the new one, because unit files generated after the change already carry it (the shipped
files said "Thành phố Đồng Nai" from 01/07/2025): the change then corrects the earlier period.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.core import changes as data_changes
from hoptac.core.text import fold
from hoptac.geo.models import (
    AdministrativeUnit,
    Generation,
    LegalAct,
    Level,
    UnitLineage,
    UnitType,
    UnitVersion,
    parse_date,
    parse_ref,
)

CHANGES_DIR = Path(__file__).resolve().parent / "data" / "changes"
HEADER_KEYS = {"act", "title", "issued", "effective", "source", "note"}

# First words of official names and the type they mean, by level.
_TYPE_WORDS = [
    ("thanh pho", {Level.PROVINCE: UnitType.CENTRAL_CITY, Level.DISTRICT: UnitType.CITY}),
    ("tinh", {Level.PROVINCE: UnitType.PROVINCE}),
    ("thi tran", {Level.COMMUNE: UnitType.TOWNSHIP}),
    ("thi xa", {Level.DISTRICT: UnitType.TOWN}),
    ("huyen", {Level.DISTRICT: UnitType.RURAL_DISTRICT}),
    ("quan", {Level.DISTRICT: UnitType.URBAN_DISTRICT}),
    ("xa", {Level.COMMUNE: UnitType.COMMUNE}),
    ("phuong", {Level.COMMUNE: UnitType.WARD}),
    ("dac khu", {Level.COMMUNE: UnitType.SPECIAL_ZONE}),
]

_RENAME = re.compile(r"^(rename|retype)\s+(\S+?)\s*:\s*(.+?)\s*->\s*(.+)$")
_MOVE = re.compile(r"^move\s+(\S+?)\s*:\s*(\S+)\s*->\s*(\S+)$")
_END = re.compile(r"^(merge|split)\s+(\S+)\s*->\s*(.+)$")
_NEW = re.compile(r"^new\s+(\S+?)\s*:\s*(.+?)\s+in\s+(\S+)(?:\s+from\s+(.+))?$")
_TYPED = re.compile(r"^(.*?)\s*\((\w+)\)$")


class ChangeSetError(Exception):
    """Everything wrong with a change-set file, each message naming its line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Target:
    level: str
    code: str
    partial: bool = False


@dataclass
class Change:
    line: int
    verb: str  # rename | move | end | new
    level: str
    code: str
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)


@dataclass
class ChangeSet:
    number: str
    effective_on: datetime.date
    title: str = ""
    issued_on: datetime.date | None = None
    source: str = ""
    note: str = ""
    changes: list[Change] = field(default_factory=list)
    text: str = ""
    file_name: str = ""


@dataclass
class ApplyResult:
    act: LegalAct
    changes: int = 0
    versions_created: int = 0
    links_created: int = 0


def _line(n: int, message: str) -> str:
    return _("line %(n)s: %(message)s") % {"n": n, "message": message}


def _current_ref(text: str) -> tuple[str, str]:
    """(level, code) of a code in a change line: units of 1/7/2025 and later, written as today."""
    generation, level, code = parse_ref(text)
    if generation != Generation.NEW:
        raise ValueError(
            _("“%(ref)s”: a change set names units by their code as it is, without “old:”.") % {"ref": text}
        )
    return level, code


def _name_and_type(text: str, level: str) -> dict:
    name, unit_type = text.strip(), None
    typed = _TYPED.match(name)
    if typed:
        name, unit_type = typed.group(1).strip(), typed.group(2)
        if unit_type not in UnitType.values:
            raise ValueError(
                _("“%(type)s” is not a unit type (one of %(types)s).")
                % {"type": unit_type, "types": ", ".join(UnitType.values)}
            )
    if not name:
        raise ValueError(_("the name is missing."))
    if unit_type is None:
        folded = fold(name)
        for word, by_level in _TYPE_WORDS:
            if folded.startswith(word + " ") and level in by_level:
                unit_type = by_level[level]
                break
    if unit_type is None:
        raise ValueError(
            _("the type of “%(name)s” does not follow from its name: add it in brackets, e.g. (xa).")
            % {"name": name}
        )
    return {"name": name, "unit_type": unit_type}


def _targets(text: str) -> list[Target]:
    targets = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() != "partial"):
            raise ValueError(_("“%(part)s” is not “CODE” or “CODE partial”.") % {"part": part.strip()})
        level, code = _current_ref(words[0])
        targets.append(Target(level, code, partial=len(words) == 2))
    return targets


def parse(text: str, file_name: str = "") -> ChangeSet:
    """A change set from its text, or ChangeSetError listing every line that is wrong."""
    errors: list[str] = []
    header: dict[str, tuple[int, str]] = {}
    changes: list[Change] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("source") else raw.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in HEADER_KEYS and " " not in key.strip():
            key = key.strip().lower()
            if key in header:
                errors.append(_line(n, _("“%(key)s” is given twice.") % {"key": key}))
            header[key] = (n, value.strip())
            continue
        try:
            changes.append(_parse_change(n, line))
        except ValueError as exc:
            errors.append(_line(n, str(exc)))
    for key in ("act", "effective"):
        if not header.get(key, (0, ""))[1]:
            errors.append(
                _("“%(key)s:” is missing (the act's number and its effective date).") % {"key": key}
            )
    dates = {}
    for key in ("issued", "effective"):
        if header.get(key, (0, ""))[1]:
            try:
                dates[key] = parse_date(header[key][1])
            except ValueError as exc:
                errors.append(_line(header[key][0], str(exc)))
    if not changes and not errors:
        errors.append(_("the file lists no change."))
    if errors:
        raise ChangeSetError(errors)
    return ChangeSet(
        number=header["act"][1],
        effective_on=dates["effective"],
        issued_on=dates.get("issued"),
        title=header.get("title", (0, ""))[1],
        source=header.get("source", (0, ""))[1],
        note=header.get("note", (0, ""))[1],
        changes=changes,
        text=text,
        file_name=file_name,
    )


def _parse_change(n: int, line: str) -> Change:
    if m := _RENAME.match(line):
        level, code = _current_ref(m.group(2))
        return Change(
            n, "rename", level, code, _name_and_type(m.group(3), level), _name_and_type(m.group(4), level)
        )
    if m := _MOVE.match(line):
        level, code = _current_ref(m.group(1))
        return Change(
            n, "move", level, code, {"parent": _current_ref(m.group(2))}, {"parent": _current_ref(m.group(3))}
        )
    if m := _END.match(line):
        level, code = _current_ref(m.group(2))
        return Change(n, "end", level, code, targets=_targets(m.group(3)))
    if m := _NEW.match(line):
        level, code = _current_ref(m.group(1))
        change = Change(n, "new", level, code, after=_name_and_type(m.group(2), level))
        change.after["parent"] = _current_ref(m.group(3))
        change.targets = _targets(m.group(4)) if m.group(4) else []
        return change
    raise ValueError(
        _("“%(line)s” is not a change (rename, move, merge, split or new; see geo/data/changes/README.md).")
        % {"line": line[:80]}
    )


def _unit_on(level: str, code: str, day: datetime.date) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(level=level, code=code).valid_on(day).first()


def _refresh(unit: AdministrativeUnit) -> None:
    """The unit's own fields are those of its latest version, its validity the span of all."""
    versions = list(unit.versions.order_by("valid_from"))
    latest = versions[-1]
    unit.name, unit.unit_type = latest.name, latest.unit_type
    unit.parent_id, unit.province_id = latest.parent_id, latest.province_id
    unit.valid_from, unit.valid_to = versions[0].valid_from, latest.valid_to
    unit.save()


def _province_of(parent: AdministrativeUnit) -> int:
    return parent.pk if parent.level == Level.PROVINCE else parent.province_id


class _Applier:
    def __init__(self, change_set: ChangeSet, act: LegalAct):
        self.cs, self.act = change_set, act
        self.day = change_set.effective_on
        self.before_day = self.day - datetime.timedelta(days=1)
        self.errors: list[str] = []
        self.result = ApplyResult(act)

    def fail(self, change: Change, message: str) -> None:
        self.errors.append(_line(change.line, message))

    def missing(self, change: Change, level: str, code: str, day: datetime.date) -> None:
        self.fail(
            change,
            _("no unit has the code %(code)s on %(day)s.") % {"code": code, "day": day.strftime("%d/%m/%Y")},
        )

    def parent(self, change: Change, ref: tuple[str, str], day: datetime.date):
        parent = _unit_on(*ref, day)
        if parent is None:
            self.missing(change, *ref, day)
        elif change.level == Level.PROVINCE or parent.level == Level.COMMUNE:
            self.fail(
                change,
                _("%(code)s cannot be the parent of %(unit)s.") % {"code": ref[1], "unit": change.code},
            )
            return None
        return parent

    def apply(self, change: Change) -> None:
        getattr(self, f"apply_{change.verb}")(change)

    def _values(self, change: Change, values: dict, day: datetime.date) -> dict | None:
        out = dict(values)
        if "parent" in values:
            parent = self.parent(change, values["parent"], day)
            if parent is None:
                return None
            out["parent_id"], out["province_id"] = parent.pk, _province_of(parent)
            del out["parent"]
        return out

    def apply_rename(self, change: Change) -> None:
        unit = _unit_on(change.level, change.code, self.before_day)
        if unit is None:
            return self.missing(change, change.level, change.code, self.before_day)
        if not unit.exists_on(self.day) and unit.valid_to != self.before_day:
            return self.missing(change, change.level, change.code, self.day)
        before = self._values(change, change.before, self.before_day)
        after = self._values(change, change.after, self.day)
        if before is None or after is None:
            return None
        versions = list(unit.versions.order_by("valid_from"))
        current = next((v for v in versions if v.covers(self.before_day)), None)
        following = next((v for v in versions if v.covers(self.day)), None)
        if current is None:
            return self.missing(change, change.level, change.code, self.before_day)
        if not self._matches(change, current, before, after):
            return None
        if following is None or following.pk == current.pk:
            following = UnitVersion(
                unit=unit,
                valid_from=self.day,
                valid_to=current.valid_to,
                name=current.name,
                unit_type=current.unit_type,
                parent_id=current.parent_id,
                province_id=current.province_id,
            )
            current.valid_to = self.before_day
            current.save()
            self.result.versions_created += 1
        for key, value in before.items():
            setattr(current, key, value)
        current.save()
        for key, value in after.items():
            setattr(following, key, value)
        following.act = self.act
        following.save()
        _refresh(unit)
        self.result.changes += 1
        return None

    apply_move = apply_rename

    def _matches(self, change: Change, version: UnitVersion, before: dict, after: dict) -> bool:
        """The day before, the unit is as the file says (or already as it will be: files made later)."""
        if "name" in before:
            names = {fold(before["name"]), fold(after["name"])}
            if fold(version.name) not in names:
                self.fail(
                    change,
                    _("on %(day)s unit %(code)s is called “%(actual)s”, not “%(name)s”.")
                    % {
                        "day": self.before_day.strftime("%d/%m/%Y"),
                        "code": change.code,
                        "actual": version.name,
                        "name": before["name"],
                    },
                )
                return False
        if "parent_id" in before and version.parent_id not in (before["parent_id"], after["parent_id"]):
            self.fail(
                change,
                _("on %(day)s unit %(code)s is not within %(parent)s.")
                % {
                    "day": self.before_day.strftime("%d/%m/%Y"),
                    "code": change.code,
                    "parent": change.before["parent"][1],
                },
            )
            return False
        return True

    def apply_end(self, change: Change) -> None:
        unit = _unit_on(change.level, change.code, self.before_day)
        if unit is None:
            return self.missing(change, change.level, change.code, self.before_day)
        targets = []
        for target in change.targets:
            found = _unit_on(target.level, target.code, self.day)
            if found is None:
                return self.missing(change, target.level, target.code, self.day)
            if found.pk == unit.pk:
                self.fail(change, _("a unit cannot go into itself."))
                return None
            targets.append((found, target.partial))
        unit.versions.filter(valid_from__gte=self.day).delete()
        unit.versions.filter(valid_to__isnull=True).update(valid_to=self.before_day)
        unit.versions.filter(valid_to__gt=self.before_day).update(valid_to=self.before_day)
        for found, partial in targets:
            self._link(unit, found, partial)
        _refresh(unit)
        self.result.changes += 1
        return None

    def _link(self, old: AdministrativeUnit, new: AdministrativeUnit, partial: bool) -> None:
        _link, created = UnitLineage.objects.update_or_create(
            old=old, new=new, defaults={"is_partial": partial, "date": self.day, "act": self.act}
        )
        self.result.links_created += int(created)

    def apply_new(self, change: Change) -> None:
        values = self._values(change, change.after, self.day)
        if values is None:
            return None
        existing = AdministrativeUnit.objects.filter(
            generation=Generation.NEW, level=change.level, code=change.code
        ).first()
        if existing is not None and existing.valid_from != self.day:
            self.fail(
                change,
                _("the code %(code)s is already used by %(name)s.")
                % {"code": change.code, "name": existing.name},
            )
            return None
        unit = existing or AdministrativeUnit(generation=Generation.NEW, level=change.level, code=change.code)
        for key, value in values.items():
            setattr(unit, key, value)
        unit.valid_from = self.day
        unit.save()
        version, created = UnitVersion.objects.update_or_create(
            unit=unit, valid_from=self.day, defaults={**values, "act": self.act}
        )
        self.result.versions_created += int(created)
        for target in change.targets:
            source = _unit_on(target.level, target.code, self.before_day)
            if source is None:
                return self.missing(change, target.level, target.code, self.before_day)
            self._link(source, unit, target.partial)
        _refresh(unit)
        self.result.changes += 1
        return None


@transaction.atomic
def apply(change_set: ChangeSet) -> ApplyResult:
    """Apply a parsed change set (idempotent); ChangeSetError, with nothing changed, if any line fails."""
    act, _created = LegalAct.objects.update_or_create(
        number=change_set.number,
        defaults={
            "title": change_set.title,
            "issued_on": change_set.issued_on,
            "effective_on": change_set.effective_on,
            "source": change_set.source,
            "note": change_set.note,
            "file_name": change_set.file_name,
            "text": change_set.text,
        },
    )
    applier = _Applier(change_set, act)
    for change in change_set.changes:
        applier.apply(change)
    if applier.errors:
        raise ChangeSetError(applier.errors)
    # The hierarchy changed: every cached value may move (no locator places a legal act, so the
    # data version is bumped), and the indicators' province rows follow the new hierarchy.
    data_changes.written([(act, None, None)])
    return applier.result


def load_file(path: Path) -> ApplyResult:
    text = Path(path).read_text(encoding="utf-8")
    return apply(parse(text, Path(path).name))


def shipped_files(changes_dir: Path = CHANGES_DIR) -> list[Path]:
    return sorted(changes_dir.glob("*.txt")) if changes_dir.is_dir() else []


def reapply_all(changes_dir: Path = CHANGES_DIR) -> int:
    """Apply every shipped change set and every one loaded earlier from elsewhere, in date order."""
    sets = {
        cs.number: cs
        for cs in (parse(p.read_text(encoding="utf-8"), p.name) for p in shipped_files(changes_dir))
    }
    for act in LegalAct.objects.exclude(text="").exclude(number__in=list(sets)):
        sets[act.number] = parse(act.text, act.file_name)
    for cs in sorted(sets.values(), key=lambda cs: (cs.effective_on, cs.number)):
        apply(cs)
    return len(sets)
