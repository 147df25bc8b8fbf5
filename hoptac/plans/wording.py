"""A target readable on its own: its full wording and its bound as a number.

Plans list several targets in one sentence ("Cả tỉnh có khoảng 5.412 tổ hợp tác với 210 nghìn
thành viên, 248 hợp tác xã…"); the seed keeps each number as its own target, so some wordings
are fragments ("với 210 nghìn thành viên"). A fragment is shown with the sentence it belongs to.
The bound is written as a number beside the actual, with the tolerance used for "khoảng" and
"gần" (plans.progress: ABOUT_TOLERANCE, NEARLY_TOLERANCE).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from hoptac.core import numbers
from hoptac.plans.models import Bound, Target

_FRAGMENT = re.compile(r"^(với|và|cùng|trong đó|,|\d)", re.IGNORECASE)


def is_fragment(wording: str) -> bool:
    return bool(_FRAGMENT.match((wording or "").strip()))


def full_wordings(targets: list[Target]) -> dict[int, str]:
    """target pk → its wording, prefixed with the targets before it in the same sentence."""
    result, sentence, clause = {}, "", object()
    for t in sorted(targets, key=lambda t: (t.clause_id or 0, t.sort, t.pk or 0)):
        text = (t.wording or "").strip()
        if t.clause_id != clause or not is_fragment(text) or not sentence:
            sentence = text
        else:
            sentence = f"{sentence}{', ' if text[:1].isdigit() else ' '}{text}"
        clause = t.clause_id
        result[t.pk] = sentence
    return result


def _value(amount, unit: str) -> str:
    """A bound's number: a whole share without decimals ("≥ 50%"), otherwise as values are shown."""
    number = numbers.to_decimal(amount)
    if unit == "percent" and number is not None and number == number.to_integral_value():
        return numbers.percent(number, 0)
    return numbers.value(amount, unit, blank="")


def bound_text(target: Target, unit: str) -> str:
    """ "≥ 50%", "20–25", "khoảng 95% (±10%: met from 85,5%)", "gần 22.000 (met from 95%: 20.900)"."""
    from hoptac.plans.progress import ABOUT_TOLERANCE, NEARLY_TOLERANCE, bounds

    v, hi = target.value, target.value_max
    low, _high = bounds(target)
    match target.bound:
        case Bound.AT_LEAST:
            return f"≥ {_value(v, unit)}"
        case Bound.MORE_THAN:
            return f"> {_value(v, unit)}"
        case Bound.AT_MOST:
            return f"≤ {_value(v, unit)}"
        case Bound.NONE:
            return _("0 (none left)")
        case Bound.ABOUT:
            return _("about %(value)s (±%(tolerance)s%%: met from %(low)s)") % {
                "value": _value(v, unit),
                "tolerance": numbers.number(ABOUT_TOLERANCE * 100),
                "low": _value(low, unit),
            }
        case Bound.NEARLY:
            return _("nearly %(value)s (met from %(share)s%%: %(low)s)") % {
                "value": _value(v, unit),
                "share": numbers.number((1 - NEARLY_TOLERANCE) * 100),
                "low": _value(low, unit),
            }
        case Bound.RANGE:
            first = (
                numbers.number(v, 1 if v is not None and v % 1 else 0)
                if unit == "percent"
                else _value(v, unit)
            )
            span = f"{first}–{_value(hi, unit)}"
            if target.approximate:
                return _("about %(span)s (±%(tolerance)s%%)") % {
                    "span": span,
                    "tolerance": numbers.number(ABOUT_TOLERANCE * 100),
                }
            return span
        case Bound.QUALITATIVE:
            return _("done / not done")
    return ""


def coverage_text(coverage, label: str) -> str:
    """ "12/13 HTX reported (10 final, 2 estimates)"; "" for values counted from the register."""
    if coverage.expected is None:
        return ""
    return _("%(reported)s/%(expected)s %(kind)s reported (%(final)s final, %(estimated)s estimates)") % {
        "reported": numbers.number(coverage.reported),
        "expected": numbers.number(coverage.expected),
        "kind": label,
        "final": numbers.number(coverage.final),
        "estimated": numbers.number(coverage.estimated),
    }


def describe(rows) -> None:
    """Adds what a reader needs to each Progress (plans.progress): full wording, the bound as a
    number, the actual, baseline and projection written by the indicator's unit, the coverage in
    words, and the series as JSON for the sparkline."""
    from hoptac.indicators.library import INDICATORS

    wordings = full_wordings([p.target for p in rows])
    for p in rows:
        indicator = INDICATORS.get(p.target.indicator)
        unit = indicator.unit if indicator is not None else "count"
        p.unit_kind = unit
        p.full_wording = wordings.get(p.target.pk, p.target.wording)
        p.is_fragment = p.full_wording != p.target.wording
        p.context_text = p.full_wording[: -len(p.target.wording)].rstrip(" ,") if p.is_fragment else ""
        p.bound_text = bound_text(p.target, unit)
        p.actual_text = numbers.value(p.actual, unit)
        p.baseline_text = numbers.value(p.baseline, unit, blank="")
        p.projection_text = numbers.value(p.projection, unit, blank="")
        p.coverage_text = coverage_text(p.coverage, p.organisation_label)
        p.judged_series = judged_series(p)
        p.series_json = numbers.machine(v for _y, v in p.judged_series)


def judged_series(p) -> list[tuple[int, float | None]]:
    """The series without the years whose value stands on too few organisations (not drawn)."""
    coverages = p.series_coverage or [None] * len(p.series)
    return [
        (y, v if c is None or not c.expected or c.sufficient else None)
        for (y, v), c in zip(p.series, coverages, strict=True)
    ]
