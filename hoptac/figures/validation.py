"""Rules for a set of annual figures: errors block saving, warnings must be confirmed.

Each message names the field in Vietnamese (through the figure's label) and, where a law is
behind the rule, cites it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hoptac.figures.fields import BY_NAME, NUMERIC, SIGNED
from hoptac.registry.choices import Kind

# A value this many times last year's is flagged as a probable typing error (an extra zero).
OUTLIER_FACTOR = 10
# Luật Hợp tác xã 2023, khoản 7 Điều 4: an HTX is formed by at least 5 official members.
MIN_OFFICIAL_MEMBERS_HTX = 5


def label(name: str) -> str:
    return BY_NAME[name].full_label


def check(
    values: dict, kind: str, previous: dict | None = None
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(errors, warnings) for the figures in `values`, each keyed by field name."""
    errors: dict[str, list[str]] = {}
    warnings: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    def warn(field, message):
        warnings.setdefault(field, []).append(message)

    for name in NUMERIC:
        value = values.get(name)
        if value is not None and value < 0 and name not in SIGNED:
            error(name, _("%(field)s cannot be negative.") % {"field": label(name)})

    def at_most(part, whole):
        p, w = values.get(part), values.get(whole)
        if p is not None and w is not None and p > w:
            error(
                part,
                _("%(part)s (%(p)s) cannot exceed %(whole)s (%(w)s).")
                % {
                    "part": label(part),
                    "p": f"{p:,}".replace(",", "."),
                    "whole": label(whole).lower(),
                    "w": f"{w:,}".replace(",", "."),
                },
            )

    at_most("workers_members", "workers")
    at_most("managers_degree", "managers")
    at_most("managers_vocational", "managers")
    at_most("managers_under_35", "managers")
    at_most("managers_trained", "managers")
    at_most("revenue_members", "revenue")
    at_most("indivisible_assets", "total_assets")
    degree, vocational, managers = (
        values.get(n) for n in ("managers_degree", "managers_vocational", "managers")
    )
    if None not in (degree, vocational, managers) and degree + vocational > managers:
        error(
            "managers_vocational",
            _("Managers with a degree and with vocational training together exceed the number of managers."),
        )
    before, after = values.get("profit_before_tax"), values.get("profit_after_tax")
    if before is not None and after is not None and before >= 0 and after > before:
        error("profit_after_tax", _("Profit after tax cannot exceed profit before tax."))

    official = values.get("members_official")
    if kind == Kind.HTX and official is not None and official < MIN_OFFICIAL_MEMBERS_HTX:
        warn(
            "members_official",
            _(
                "A cooperative has at least %(n)s official members (Luật Hợp tác xã 2023, khoản 7 Điều 4); %(v)s reported."
            )
            % {"n": MIN_OFFICIAL_MEMBERS_HTX, "v": official},
        )
    if previous:
        for name in NUMERIC:
            now, then = values.get(name), previous.get(name)
            if now is not None and then and then > 0 and now >= OUTLIER_FACTOR * then:
                warn(
                    name,
                    _("%(field)s is %(times)s times last year's (%(then)s): please check.")
                    % {"field": label(name), "times": now // then, "then": f"{then:,}".replace(",", ".")},
                )
    return errors, warnings
