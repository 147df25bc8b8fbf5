"""The figures rollup: computed by the engine's own queries, kept in the writes' transactions.

`FigureRollup` holds, per (year, commune, former commune, kind), the active population at the
year's end, the coverage (approved final / estimate only), the number of approved sets counted
and the sum of every numeric figure and the count of every yes/no figure over them, and the
organisations registered in the year. Every figure indicator that filters on nothing else than
kind, year and place is read from it (`Indicator.rollup_terms`):

- served from the rollup: the organisation counts (`htx_count`, …, and `tht_count` by the
  groups in being by their regime, `in_being`), the figure sums, averages,
  ratios and flag shares (`htx_members`, `avg_revenue_htx`, `share_managers_degree`,
  `share_htx_hightech`, `share_effective`, `share_population_members`, …), foundations
  (`htx_founded`, `tht_founded`: a group founded by its regime's date, `engine.tht_founded_on`);
- kept on the live path (their filters are not in the rollup): value-chain links
  (`share_agri_htx_linked`, `share_in_chains`), traceability lots (`htx_traceability`,
  `share_htx_traceability`), grades (`share_good_fair`, `htx_weak`), union memberships
  (`lhhtx_member_htx`), sector and scale (`general_value_chain_htx`), the regime splits of the
  groups (`tht_registered_count`, …), the legal basis
  (`htx_unresolved`) and the members of cooperatives founded in a period
  (`htx_founded_members`: the founding year is not a dimension of the rollup).

Consistency: a cell is recomputed from the source tables with the engine's querysets
(`population`, `approved_figures`), so the rollup and the live computation cannot disagree in
their rules. Every audited write reaches `refresh` through `core.changes` inside its own
transaction (`on_write`): organisation created, edited (commune, former commune, kind,
registration date), deleted, its status changed or merged; figures approved, reopened, returned
or deleted while approved, the final/estimate switch; imports (fast path included) and their
undo go through the same services. A status change reaches every later year. Unit change sets do
not move organisations, so they do not change the cells; they move communes between provinces,
so the province rows of the years from their effective date are summed again (`geo.LegalAct`
told to core.changes).

`AreaRollup` holds the same columns per (year, province of that year's 31/12, kind): the 63
provinces of 2024, the 34 of 2025, summed from the cells by the engine's membership rule
(`engine.UnitIndex`, `engine.former_unit_members`). The country's dashboards and maps read every
province of a year from it in one query (`by_area`); a write moves the rows of the provinces its
cells lie in by the cells' difference (`_apply_area_delta`), so the rows stay exact sums (the
property test compares them with a rebuild after every step).

Only years listed in `RollupYear` with this code's `LAYOUT` are served; `hoptac rebuild-rollup`
builds them (by default 2010 to next year) from scratch (after an upgrade that changes the
layout, until it runs, values are computed live).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hoptac.core.cache import bump
from hoptac.figures.choices import FiguresStatus
from hoptac.figures.fields import FIGURES
from hoptac.figures.models import AnnualFigures
from hoptac.geo.models import AdministrativeUnit, Generation, Level
from hoptac.indicators.engine import (
    UnitIndex,
    approved_figures,
    clear_memos,
    former_unit_members,
    memo_version,
    memoised,
    population,
    tht_founded_on,
    year_end,
)
from hoptac.indicators.models import AreaRollup, FigureRollup, RollupYear
from hoptac.registry.choices import Kind
from hoptac.registry.models import Organisation

FIRST_YEAR = 2010
SUM_COLUMNS = [f"s_{f.name}" for f in FIGURES if f.kind != "flag"]
FLAG_COLUMNS = [f"n_{f.name}" for f in FIGURES if f.kind == "flag"]
COLUMNS = [
    "active",
    "in_being",
    "final",
    "estimated",
    "figures",
    "n_profitable",
    "founded",
    *SUM_COLUMNS,
    *FLAG_COLUMNS,
]
# The layout of RollupYear.layout that this code writes and serves (2: `in_being`, THT founded
# by their regime, the province rows). Years of another layout are computed live until rebuilt.
LAYOUT = 2
# Above this many communes a refresh recomputes the years nationally (one grouped query each).
NATIONAL_ABOVE = 400


def default_years() -> list[int]:
    return list(range(FIRST_YEAR, timezone.localdate().year + 2))


_BUILT_MEMO: dict[int, frozenset[int]] = {}  # data version → years built


def built_years() -> frozenset[int]:
    """The years served from the rollup; memoised per data version (asked by every measure of a
    page), which `rebuild` bumps on commit (other processes) and clears here."""
    version = memo_version()
    if version not in _BUILT_MEMO:
        _BUILT_MEMO.clear()
        _BUILT_MEMO[version] = frozenset(
            RollupYear.objects.filter(layout=LAYOUT).values_list("year", flat=True)
        )
    return _BUILT_MEMO[version]


# ---- computing cells from the source tables ------------------------------------------------


def _cells(year: int, base: QuerySet) -> dict[tuple, dict]:
    """Every non-empty cell of `year` among the organisations of `base`."""
    cells: dict[tuple, dict] = {}

    def cell(commune, former, kind) -> dict:
        return cells.setdefault((commune, former, kind), dict.fromkeys(COLUMNS, 0))

    kinds = list(Kind.values)
    approved = AnnualFigures.objects.filter(
        organisation=OuterRef("pk"), year=year, status=FiguresStatus.APPROVED
    )
    final = Q(Exists(approved.filter(is_estimate=False)))
    estimate = Q(Exists(approved.filter(is_estimate=True)))
    for row in (
        population(year, kinds, base=base)
        .values("commune_id", "former_commune_id", "kind")
        .order_by()
        .annotate(
            active=Count("pk"),
            final=Count("pk", filter=final),
            estimated=Count("pk", filter=estimate & ~final),
        )
    ):
        c = cell(row["commune_id"], row["former_commune_id"], row["kind"])
        c["active"], c["final"], c["estimated"] = row["active"], row["final"], row["estimated"]
    sums = {f"s_{f.name}": Coalesce(Sum(f.name), Value(0)) for f in FIGURES if f.kind != "flag"}
    flags = {f"n_{f.name}": Count("pk", filter=Q(**{f.name: True})) for f in FIGURES if f.kind == "flag"}
    prefix = "organisation__"
    for row in (
        approved_figures(year)
        .filter(organisation__in=population(year, kinds, base=base))
        .values(f"{prefix}commune_id", f"{prefix}former_commune_id", f"{prefix}kind")
        .order_by()
        .annotate(
            figures=Count("pk"), n_profitable=Count("pk", filter=Q(profit_before_tax__gt=0)), **sums, **flags
        )
    ):
        c = cell(row[f"{prefix}commune_id"], row[f"{prefix}former_commune_id"], row[f"{prefix}kind"])
        for name in ("figures", "n_profitable", *SUM_COLUMNS, *FLAG_COLUMNS):
            c[name] = int(row[name] or 0)
    # A cooperative group is in being, and founded, by its regime (tht_founded_on); the
    # other kinds by their registration date (already a condition of the population).
    for row in (
        population(year, [Kind.THT], base=base)
        .annotate(founded_on=tht_founded_on())
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=year_end(year)))
        .values("commune_id", "former_commune_id")
        .order_by()
        .annotate(in_being=Count("pk"))
    ):
        cell(row["commune_id"], row["former_commune_id"], Kind.THT)["in_being"] = row["in_being"]
    for (_commune, _former, kind), c in cells.items():
        if kind != Kind.THT:
            c["in_being"] = c["active"]
    founded = [
        base.exclude(kind=Kind.THT).filter(registration_date__year=year),
        base.filter(kind=Kind.THT).annotate(founded_on=tht_founded_on()).filter(founded_on__year=year),
    ]
    for qs in founded:
        for row in (
            qs.values("commune_id", "former_commune_id", "kind").order_by().annotate(founded=Count("pk"))
        ):
            cell(row["commune_id"], row["former_commune_id"], row["kind"])["founded"] = row["founded"]
    return cells


def _write(year: int, communes: set[int] | None, base: QuerySet) -> None:
    """Recompute the cells of `communes` (None: all), and the province rows they fall in."""
    existing = FigureRollup.objects.filter(year=year)
    removed = []
    if communes is not None:
        existing = existing.filter(commune_id__in=communes)
        removed = list(existing.values_list("commune_id", "former_commune_id", "kind", *COLUMNS))
    existing.delete()
    cells = [
        (key, values) for key, values in _cells(year, base).items() if communes is None or key[0] in communes
    ]
    _insert(
        FigureRollup,
        ["year", "commune_id", "former_commune_id", "kind", *COLUMNS],
        [
            (year, commune, former, kind, *(values[c] for c in COLUMNS))
            for (commune, former, kind), values in cells
        ],
    )
    if communes is None:
        _write_areas(year)
    else:
        _apply_area_delta(
            year,
            [(row[:3], row[3:]) for row in removed],
            [(key, [values[c] for c in COLUMNS]) for key, values in cells],
        )


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Rows as tuples through one executemany: bulk_create prepares every value through its field
    (12 million calls for a national rebuild, and SQLite's 999 parameters make it 12,000
    statements); these are plain integers and ids."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - the model's own table and columns
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


# ---- the provinces of each year (AreaRollup) ------------------------------------------------

_AREAS_MEMO: dict[tuple, _Areas] = {}


class _Areas:
    """Which of a year's provinces (those of its 31/12) a cell (commune, former commune) counts
    in, by the rule of engine.roll_up_children: a province of today's generation holds the
    communes that lay in it that day; a former province the cells of its former communes, and
    the cells without a former commune of the communes covering it."""

    def __init__(self, year: int):
        day = year_end(year)
        index = UnitIndex(on=day)  # the engine's own (memoised) provinces of the day
        self.children = index.children(None)
        self.new_ids = {c.pk for c in self.children if c.generation == Generation.NEW}
        self.province_of = index.province_of if self.new_ids else {}
        self.old_of: dict[int, int] = {}
        self.covering_of: dict[int, list[int]] = {}
        for child in self.children:
            if child.generation == Generation.NEW:
                continue
            old, covering = former_unit_members(child)
            for pk in old:
                self.old_of[pk] = child.pk
            for pk in covering:
                self.covering_of.setdefault(pk, []).append(child.pk)

    @classmethod
    def of(cls, year: int) -> _Areas:
        """Memoised per process until the units change (a change set bumps the data version)."""
        key = (year, memo_version())
        return memoised(_AREAS_MEMO, key, lambda: cls(year))

    def targets(self, commune: int, former: int | None) -> list[int]:
        found = []
        if self.new_ids:
            province = self.province_of.get(commune)
            if province in self.new_ids:
                found.append(province)
        if former is not None:
            if former in self.old_of:
                found.append(self.old_of[former])
        else:
            found.extend(self.covering_of.get(commune, ()))
        return found


def _area_values(values) -> dict[str, int]:
    return dict(zip(COLUMNS, values, strict=True))


def _write_areas(year: int) -> None:
    """Every province row of `year`, summed from the year's cells."""
    areas = _Areas.of(year)
    sums: dict[tuple[int, str], list[int]] = {}
    for commune, former, kind, *values in (
        FigureRollup.objects.filter(year=year)
        .values_list("commune_id", "former_commune_id", "kind", *COLUMNS)
        .iterator(chunk_size=5000)
    ):
        for target in areas.targets(commune, former):
            found = sums.get((target, kind))
            if found is None:
                sums[(target, kind)] = list(values)
            else:
                for i, v in enumerate(values):
                    found[i] += v
    AreaRollup.objects.filter(year=year).delete()
    _insert(
        AreaRollup,
        ["year", "unit_id", "kind", *COLUMNS],
        [(year, unit, kind, *values) for (unit, kind), values in sums.items()],
    )


def _apply_area_delta(year: int, removed: list, added: list) -> None:
    """Move the province rows by what the rewritten cells changed (the rows stay exact sums:
    a row whose cells are all gone is deleted, as a rebuild would not write it)."""
    areas = _Areas.of(year)
    delta: dict[tuple[int, str], list[int]] = {}
    for sign, cells in ((-1, removed), (1, added)):
        for (commune, former, kind), values in cells:
            for target in areas.targets(commune, former):
                d = delta.setdefault((target, kind), [0] * len(COLUMNS))
                for i, v in enumerate(values):
                    d[i] += sign * v
    delta = {key: d for key, d in delta.items() if any(d)}
    if not delta:
        return
    rows = {
        (row.unit_id, row.kind): row
        for row in AreaRollup.objects.filter(
            year=year, unit_id__in={u for u, _k in delta}, kind__in={k for _u, k in delta}
        )
    }
    changed, gone, new = [], [], []
    for (unit, kind), d in delta.items():
        row = rows.get((unit, kind))
        if row is None:
            new.append(AreaRollup(year=year, unit_id=unit, kind=kind, **_area_values(d)))
            continue
        for name, v in zip(COLUMNS, d, strict=True):
            setattr(row, name, getattr(row, name) + v)
        (changed if any(getattr(row, name) for name in COLUMNS) else gone).append(row)
    if gone:
        AreaRollup.objects.filter(pk__in=[row.pk for row in gone]).delete()
    if changed:
        AreaRollup.objects.bulk_update(changed, COLUMNS)
    if new:
        AreaRollup.objects.bulk_create(new)


def refresh(communes: Iterable[int] | None, years: Iterable[int] | None = None) -> None:
    """Recompute the cells of `communes` (None: every commune) for `years` (None: every built
    year), inside the caller's transaction. Years the rollup does not hold are skipped."""
    held = built_years()
    wanted = sorted(held if years is None else held & set(years))
    if not wanted:
        return
    ids = None if communes is None else {c for c in communes if c is not None}
    if ids is not None and not ids:
        return
    if ids is not None and len(ids) > NATIONAL_ABOVE:
        ids = None
    base = Organisation.objects.all() if ids is None else Organisation.objects.filter(commune_id__in=ids)
    with transaction.atomic():
        for year in wanted:
            _write(year, ids, base)


@transaction.atomic
def rebuild(years: Iterable[int] | None = None, progress=None) -> int:
    """Build the rollup of `years` (default 2010 to next year) from scratch; returns the cells written."""
    years = sorted(years or default_years())
    FigureRollup.objects.exclude(year__in=years).delete()
    AreaRollup.objects.exclude(year__in=years).delete()
    RollupYear.objects.exclude(year__in=years).delete()
    _BUILT_MEMO.clear()
    transaction.on_commit(bump)  # other processes' memo of the years built
    for year in years:
        _write(year, None, Organisation.objects.all())
        RollupYear.objects.update_or_create(year=year, defaults={"layout": LAYOUT})
        if progress:
            progress(year)
    _BUILT_MEMO.clear()
    return FigureRollup.objects.count()


# ---- which writes change which cells (core.changes listener) ------------------------------

ORGANISATION_FIELDS = (
    "commune", "former_commune", "kind", "registration_date", "status", "status_since",
    "tht_regime", "contract_date", "commune_register_date",
)  # fmt: skip
# A group's regime and dates decide when it is in being (tht_founded_on): every year may move.
WHOLE_FIELDS = {"commune", "former_commune", "kind", "tht_regime", "contract_date", "commune_register_date"}


def _year_of(value) -> int | None:
    if isinstance(value, datetime.date):
        return value.year
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None


def _organisation_change(instance, before, after) -> tuple[set[int], int | None] | None:
    """(communes, first year affected) of a write on an organisation, or None if it changes nothing here."""
    now = {
        "commune": instance.commune_id,
        "former_commune": instance.former_commune_id,
        "kind": instance.kind,
        "registration_date": instance.registration_date,
        "status_since": instance.status_since,
    } if getattr(instance, "commune_id", None) is not None else {}  # fmt: skip
    if before is not None and after is not None:
        changed = [f for f in ORGANISATION_FIELDS if before.get(f) != after.get(f)]
        if not changed:
            return None
        communes = {before.get("commune"), after.get("commune")}
        if WHOLE_FIELDS & set(changed):
            return {c for c in communes if c}, None
        years = [_year_of(before.get("registration_date")), _year_of(after.get("registration_date"))]
        years = years if "registration_date" in changed else []
        if {"status", "status_since"} & set(changed):  # a status change counts from its effective date
            years.append(_year_of(after.get("status_since")))
        if not years or None in years:
            return {c for c in communes if c}, None
        return {c for c in communes if c}, min(y for y in years if y is not None)
    snapshot = before or after or now
    commune = snapshot.get("commune")
    return ({commune} if commune else set()), None  # created or deleted: every year


def _figures_change(instance, before, after) -> bool:
    """Whether a write on a set of figures can change what the indicators count."""
    if before is None and after is None:  # bulk without snapshots: assume it does
        return True
    return FiguresStatus.APPROVED in {(before or {}).get("status"), (after or {}).get("status")}


def _hierarchy_changed(acts) -> None:
    """A unit change set (geo.changes.apply) moves communes between provinces, or provinces
    between years' hierarchies: the cells stay (organisations did not move), the province rows
    of the years from its effective date are summed again under the new hierarchy."""
    first = min((a.effective_on.year for a in acts if a.effective_on), default=FIRST_YEAR)
    for year in sorted(y for y in built_years() if y >= first):
        _write_areas(year)


def on_write(changes) -> None:
    """core.changes listener: refresh the cells the writes touch, in their transaction."""
    acts = [c[0] for c in changes if c[0]._meta.label == "geo.LegalAct"]
    if acts:
        clear_memos()  # this process's memos of the hierarchy (others: the data version's bump)
        _AREAS_MEMO.clear()
        if RollupYear.objects.exists():
            _hierarchy_changed(acts)
    if not any(c[0]._meta.label in ("registry.Organisation", "figures.AnnualFigures") for c in changes):
        return
    if not RollupYear.objects.exists():
        return
    whole: set[int] = set()  # communes to refresh for every year
    partial: dict[int, set[int]] = {}  # first year → communes
    figures: dict[int, set[int]] = {}  # year → organisation ids
    for instance, before, after in changes:
        label = instance._meta.label
        if label == "registry.Organisation":
            found = _organisation_change(instance, before, after)
            if found is None:
                continue
            communes, first = found
            if first is None:
                whole |= communes
            else:
                partial.setdefault(first, set()).update(communes)
        elif label == "figures.AnnualFigures" and _figures_change(instance, before, after):
            figures.setdefault(instance.year, set()).add(instance.organisation_id)
    if whole:
        refresh(whole)
    for first, communes in partial.items():
        refresh(communes - whole, [y for y in built_years() if y >= first])
    for year, organisations in figures.items():
        communes = set(Organisation.objects.filter(pk__in=organisations).values_list("commune_id", flat=True))
        refresh(communes - whole, [year])


# ---- reading ------------------------------------------------------------------------------


def unit_filter(unit: AdministrativeUnit | None) -> Q:
    """The rollup cells of a unit: Organisation.objects.in_unit(unit) on (commune, former commune)."""
    if unit is None:
        return Q()
    if unit.generation == Generation.NEW:
        if unit.level == Level.PROVINCE:
            return Q(commune__province=unit)
        return Q(commune=unit)
    old_communes = AdministrativeUnit.objects.descendants_of(unit, level=Level.COMMUNE)
    covering = AdministrativeUnit.objects.current_communes_covering(unit)
    return Q(former_commune__in=old_communes) | Q(former_commune__isnull=True, commune__in=covering)


def totals(
    unit: AdministrativeUnit | None, years: list[int], columns: Iterable[str]
) -> dict[str, dict[str, int]]:
    """kind → column → Σ over the unit's cells of `years`."""
    columns = list(dict.fromkeys(columns))
    found: dict[str, dict[str, int]] = {}
    if unit is not None and unit.generation == Generation.NEW and set(columns) <= set(COLUMNS):
        # Today's province or commune (every plan's unit since 2025): the same sums written as
        # the SQL they compile to, without building the query each time (a plan page asks often).
        quote = connection.ops.quote_name
        place = "c.province_id" if unit.level == Level.PROVINCE else "r.commune_id"
        sql = (
            "SELECT r.kind, {sums} FROM {cells} r JOIN {units} c ON c.id = r.commune_id "  # noqa: S608 - own names
            "WHERE r.year IN ({years}) AND {place} = %s GROUP BY r.kind"
        ).format(
            sums=", ".join(f"SUM(r.{quote(c)})" for c in columns),
            cells=quote(FigureRollup._meta.db_table),
            units=quote(AdministrativeUnit._meta.db_table),
            years=", ".join(["%s"] * len(years)),
            place=place,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*years, unit.pk])
            for kind, *sums in cursor.fetchall():
                found[kind] = {c: int(v or 0) for c, v in zip(columns, sums, strict=True)}
        return found
    for row in (
        FigureRollup.objects.filter(unit_filter(unit), year__in=years)
        .values("kind")
        .order_by()
        .annotate(**{c: Sum(c) for c in columns})
    ):
        found[row["kind"]] = {c: int(row[c] or 0) for c in columns}
    return found


def by_place(
    unit: AdministrativeUnit | None, years: list[int], kinds: list[str], columns: list[str], former: bool
) -> dict[tuple[int, int | None], dict[str, Decimal]]:
    """(commune, former commune or None) → column → Σ, for rolling up to children (engine.roll_up_children)."""
    keys = ["commune_id", "former_commune_id"] if former else ["commune_id"]
    found = {}
    for row in (
        FigureRollup.objects.filter(unit_filter(unit), year__in=years, kind__in=kinds)
        .values_list(*keys)
        .order_by()
        .annotate(*[Sum(c) for c in columns])
    ):
        found[(row[0], row[1] if former else None)] = row[len(keys) :]
    return found


def by_area(year: int, kinds: list[str], columns: list[str]) -> dict[int, tuple]:
    """Province of the year's hierarchy → column → Σ over `kinds` (AreaRollup), for the country's
    children: one read of at most 63 rows a kind instead of rolling every commune up."""
    return {
        row[0]: row[1:]
        for row in AreaRollup.objects.filter(year=year, kind__in=kinds)
        .values_list("unit_id")
        .order_by()
        .annotate(*[Sum(c) for c in columns])
    }
