"""The annual figures, described once: name, group, kind. Forms, the API, the entry page and
exports all read this list, so a new figure is added here and in the model, nowhere else.

Kinds: `count` (people or units), `money` (whole đồng, may be negative only for profit),
`flag` (yes/no).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    group: str
    kind: str  # count | money | flag
    long_label: str = ""  # for messages, where the table's short label ("of whom members") is not enough

    @property
    def full_label(self) -> str:
        return str(self.long_label or self.label)


GROUPS = {
    "members": _("Members"),
    "workers": _("Workers"),
    "managers": _("Managers"),
    "finance": _("Revenue, profit and capital (đồng)"),
    "practice": _("Technology and practice"),
}

FIGURES = [
    Figure("members_official", _("Official members"), "members", "count"),
    Figure("members_associate_capital", _("Associate members contributing capital"), "members", "count"),
    Figure(
        "members_associate_noncapital", _("Associate members not contributing capital"), "members", "count"
    ),
    Figure("members_joined", _("Members who joined in the year"), "members", "count"),
    Figure("members_left", _("Members who left in the year"), "members", "count"),
    Figure("member_cooperatives", _("Member cooperatives (unions)"), "members", "count"),
    Figure("workers", _("Regular workers"), "workers", "count"),
    Figure("workers_members", _("of whom members"), "workers", "count", _("Regular workers who are members")),
    Figure("average_income", _("Average worker income (đồng per month)"), "workers", "money"),
    Figure("managers", _("Managers"), "managers", "count"),
    Figure(
        "managers_degree",
        _("with a college or university degree"),
        "managers",
        "count",
        _("Managers with a college or university degree"),
    ),
    Figure(
        "managers_vocational",
        _("with intermediate or elementary training"),
        "managers",
        "count",
        _("Managers with intermediate or elementary training"),
    ),
    Figure("managers_under_35", _("under 35"), "managers", "count", _("Managers under 35")),
    Figure(
        "managers_trained", _("trained in the year"), "managers", "count", _("Managers trained in the year")
    ),
    Figure(
        "director_trained", _("Director trained at primary vocational level as director"), "managers", "flag"
    ),
    Figure("revenue", _("Revenue"), "finance", "money"),
    Figure(
        "revenue_members",
        _("of which from services to members"),
        "finance",
        "money",
        _("Revenue from services to members"),
    ),
    Figure("profit_before_tax", _("Profit before tax"), "finance", "money"),
    Figure("profit_after_tax", _("Profit after tax"), "finance", "money"),
    Figure("charter_capital", _("Charter capital"), "finance", "money"),
    Figure("contributed_capital", _("Contributed capital"), "finance", "money"),
    Figure("total_capital", _("Average total capital"), "finance", "money"),
    Figure("total_assets", _("Total assets"), "finance", "money"),
    Figure("indivisible_assets", _("Indivisible assets"), "finance", "money"),
    Figure("development_fund", _("Development fund set aside"), "finance", "money"),
    Figure("reserve_fund", _("Reserve fund set aside"), "finance", "money"),
    Figure("high_tech", _("Applies high technology in production or sale"), "practice", "flag"),
    Figure("digital_transformation", _("Digital transformation"), "practice", "flag"),
    Figure("digital_accounting", _("Accounting software"), "practice", "flag"),
    Figure("digital_einvoice", _("Electronic invoices"), "practice", "flag"),
    Figure("digital_ecommerce", _("Sells through e-commerce"), "practice", "flag"),
    Figure("digital_member_management", _("Digital member management"), "practice", "flag"),
    Figure("traceability", _("Applies traceability"), "practice", "flag"),
    Figure("trademark", _("Registered trademark"), "practice", "flag"),
    Figure("ocop_products", _("OCOP products"), "practice", "count"),
    Figure("internal_credit", _("Internal credit activity"), "practice", "flag"),
    Figure("social_insurance", _("Social insurance for workers"), "practice", "flag"),
]

BY_NAME = {f.name: f for f in FIGURES}
NAMES = [f.name for f in FIGURES]
NUMERIC = [f.name for f in FIGURES if f.kind != "flag"]
SIGNED = {"profit_before_tax", "profit_after_tax"}
DIGITAL_PARTS = ["digital_accounting", "digital_einvoice", "digital_ecommerce", "digital_member_management"]
