"""Section I of the drafted report: the sector's situation in words, from the data.

Each figure is stated with the previous year's and, where the plan sets a target on it, the
target's bound; figures that come from the organisations' annual figures say how many of the
expected organisations they stand on (indicators.engine.Coverage), and a figure that stands on
too few is reported as such rather than as a result. The report is a Vietnamese administrative
document (NĐ 30/2020), so its sentences are written in Vietnamese here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from hoptac.core import numbers
from hoptac.indicators.library import INDICATORS
from hoptac.registry.choices import Status
from hoptac.registry.models import Organisation, StatusChange

SECTIONS = [
    ("1. Số lượng tổ chức kinh tế tập thể", [
        ("htx_count", "Số hợp tác xã đang hoạt động", "HTX"),
        ("lhhtx_count", "Số liên hiệp hợp tác xã", "LHHTX"),
        ("tht_count", "Số tổ hợp tác", "THT"),
        ("qtdnd_count", "Số quỹ tín dụng nhân dân", "quỹ"),
        ("htx_founded", "Hợp tác xã thành lập mới trong năm", "HTX"),
        ("tht_founded", "Tổ hợp tác thành lập mới trong năm", "THT"),
    ]),
    ("2. Thành viên và lao động", [
        ("htx_members", "Thành viên hợp tác xã", "thành viên"),
        ("tht_members", "Thành viên tổ hợp tác", "thành viên"),
        ("htx_workers", "Lao động làm việc thường xuyên trong hợp tác xã", "người"),
    ]),
    ("3. Kết quả sản xuất, kinh doanh", [
        ("avg_revenue_htx", "Doanh thu bình quân một hợp tác xã", ""),
        ("avg_profit_htx", "Lợi nhuận bình quân một hợp tác xã", ""),
        ("share_effective", "Tỷ lệ tổ chức hoạt động có lãi", ""),
    ]),
    ("4. Đánh giá, phân loại hợp tác xã (Thông tư 01/2020/TT-BKHĐT)", [
        ("share_good_fair", "Tỷ lệ hợp tác xã xếp loại tốt, khá", ""),
        ("htx_weak", "Số hợp tác xã xếp loại yếu", "HTX"),
    ]),
    ("5. Liên kết, ứng dụng công nghệ, đào tạo", [
        ("share_agri_htx_linked", "Tỷ lệ hợp tác xã nông nghiệp liên kết với doanh nghiệp theo chuỗi giá trị", ""),
        ("share_htx_hightech", "Tỷ lệ hợp tác xã ứng dụng công nghệ cao", ""),
        ("share_managers_degree", "Tỷ lệ cán bộ quản lý có trình độ cao đẳng, đại học", ""),
        ("share_managers_trained", "Tỷ lệ cán bộ quản lý được đào tạo, bồi dưỡng trong năm", ""),
    ]),
]  # fmt: skip


@dataclass
class Line:
    code: str
    label: str
    text: str


def _change(now: float, before: float | None, unit: str) -> str:
    if before is None:
        return ""
    delta = now - before
    if unit == "percent":
        if round(delta, 1) == 0:
            return "không đổi"
        return f"{'tăng' if delta > 0 else 'giảm'} {numbers.number(abs(delta), 1)} điểm phần trăm"
    if unit == "count":
        if delta == 0:
            return "không đổi"
        return f"{'tăng' if delta > 0 else 'giảm'} {numbers.number(abs(delta))}"
    if not before:
        return ""
    relative = delta * 100 / abs(before)
    if round(relative, 1) == 0:
        return "không đổi"
    return f"{'tăng' if relative > 0 else 'giảm'} {numbers.percent(abs(relative))}"


def coverage_words(coverage, label: str) -> str:
    if coverage.expected is None:
        return ""
    words = f"số liệu của {coverage.reported}/{coverage.expected} {label}"
    if coverage.estimated:
        words += f" ({coverage.final} chính thức, {coverage.estimated} ước tính)"
    return words


def line(code: str, label: str, noun: str, unit, year: int, targets: dict) -> Line | None:
    indicator = INDICATORS.get(code)
    if indicator is None:
        return None
    start = year if code.endswith("_founded") else None
    now = indicator.measure(unit, year, start)
    before = indicator.measure(unit, year - 1, year - 1 if start else None)
    kind = indicator.organisation_label
    target = targets.get(code)
    target_text = f"; chỉ tiêu đến năm {target[0]}: {target[1]}" if target else ""
    if now.value is None and not now.coverage.expected:
        return Line(code, label, f"{label}: chưa có số liệu năm {year}{target_text}.")
    if now.value is None or not now.coverage.sufficient:
        return Line(code, label, (
            f"{label}: chưa đủ số liệu để đánh giá (mới có {now.coverage.ratio_text} {kind} "
            f"có số liệu năm {year} được duyệt){target_text}."
        ))  # fmt: skip
    shown = numbers.value(now.value, indicator.unit)
    if noun and indicator.unit in ("count", "people"):
        shown = f"{shown} {noun}"
    if indicator.unit == "percent" and now.denominator:
        shown += f" ({numbers.number(now.numerator)}/{numbers.number(now.denominator)})"
    parts = [f"{label}: {shown}"]
    if before.value is not None and before.coverage.sufficient:
        change = _change(now.value, before.value, indicator.unit)
        parts.append(
            f"năm {year - 1}: {numbers.value(before.value, indicator.unit)}"
            + (f", {change}" if change else "")
        )
    covered = coverage_words(now.coverage, kind)
    text = parts[0] + (f" ({parts[1]})" if len(parts) > 1 else "")
    if covered:
        text += f"; {covered}"
    return Line(code, label, text + target_text + ".")


def dissolved_in(unit, year: int) -> int:
    base = Organisation.objects.in_unit(unit) if unit is not None else Organisation.objects.all()
    return (
        StatusChange.objects.filter(organisation__in=base, status=Status.DISSOLVED, effective_date__year=year)
        .values("organisation")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class SupportYear:
    """What the organisations of a unit received in one year, and how many of them there were."""

    records: int
    organisations: int  # organisations that received at least one support
    money: int  # đồng given as money
    in_kind: int  # estimated value of what was given in kind (đồng)
    expected: int  # organisations of the unit existing in the year

    @property
    def total(self) -> int:
        return self.money + self.in_kind


def _existing_in(unit, year: int):
    """Organisations of the unit registered by the end of the year and not gone before it began."""
    base = Organisation.objects.in_unit(unit) if unit is not None else Organisation.objects.all()
    return base.filter(
        Q(registration_date__isnull=True) | Q(registration_date__lte=datetime.date(year, 12, 31))
    ).exclude(status__in=[Status.DISSOLVED, Status.MERGED], status_since__lt=datetime.date(year, 1, 1))


def support_in(unit, year: int) -> SupportYear:
    """The support given in the year to the organisations of the unit (support.SupportRecord)."""
    from hoptac.support.models import SupportRecord

    base = Organisation.objects.in_unit(unit) if unit is not None else Organisation.objects.all()
    row = SupportRecord.objects.filter(organisation__in=base, date__year=year).aggregate(
        n=Count("pk"),
        orgs=Count("organisation", distinct=True),
        money=Sum("amount"),
        in_kind=Sum("in_kind_value"),
    )
    return SupportYear(
        records=row["n"] or 0,
        organisations=row["orgs"] or 0,
        money=row["money"] or 0,
        in_kind=row["in_kind"] or 0,
        expected=_existing_in(unit, year).count(),
    )


def _support_words(support: SupportYear) -> str:
    words = f"{numbers.number(support.records)} lượt cho {numbers.number(support.organisations)} tổ chức"
    if support.expected:
        share = numbers.percent(support.organisations * 100 / support.expected)
        words += f" ({support.organisations}/{support.expected} tổ chức trên địa bàn, {share})"
    words += f", tổng kinh phí {numbers.money(support.money) or '0 đồng'}"
    if support.in_kind:
        words += f" và hiện vật trị giá khoảng {numbers.money(support.in_kind)}"
    return words


def support_sentence(unit, year: int) -> str:
    """The support given in the year against the year before, with how many of the area's
    organisations received it. Support is recorded by the officers who give it, so a year with
    no record is said to have none recorded, not to have had none."""
    now, before = support_in(unit, year), support_in(unit, year - 1)
    if not now.records:
        text = f"Hỗ trợ trong năm: chưa ghi nhận lượt hỗ trợ nào năm {year}"
    else:
        text = f"Hỗ trợ trong năm: {_support_words(now)}"
    if before.records:
        text += f" (năm {year - 1}: {_support_words(before)}"
        if now.records:
            changes = [
                f"số tổ chức được hỗ trợ {_change(now.organisations, before.organisations, 'count')}",
                f"kinh phí {_change(now.total, before.total, 'money') or 'không so sánh được'}",
            ]
            text += "; " + ", ".join(changes)
        text += ")"
    else:
        text += f" (năm {year - 1}: chưa ghi nhận lượt hỗ trợ nào)"
    return text + "."


def sector_narrative(plan, unit, year: int) -> list[tuple[str, list[str]]]:
    """[(heading, [sentences])] for section I, from the data of `year` against `year - 1`."""
    from hoptac.plans.wording import bound_text

    targets = {}
    for t in plan.targets.order_by("horizon") if plan is not None else []:
        if t.indicator in INDICATORS and t.indicator not in targets and t.horizon >= year:
            targets[t.indicator] = (t.horizon, bound_text(t, INDICATORS[t.indicator].unit))
    sections = []
    for heading, items in SECTIONS:
        lines = [line(code, label, noun, unit, year, targets) for code, label, noun in items]
        sentences = [ln.text for ln in lines if ln is not None]
        if heading.startswith("1."):
            now, before = dissolved_in(unit, year), dissolved_in(unit, year - 1)
            sentences.append(
                f"Tổ chức giải thể trong năm: {numbers.number(now)} (năm {year - 1}: {numbers.number(before)})."
            )
        if heading.startswith("5."):
            sentences.append(support_sentence(unit, year))
        sections.append((heading, sentences))
    return sections
