"""Fixed lists of the registry, each with the regulation it comes from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    HTX = "htx", _("Cooperative (HTX)")
    LHHTX = "lhhtx", _("Union of cooperatives (LHHTX)")
    THT = "tht", _("Cooperative group (THT)")
    QTDND = "qtdnd", _("People's credit fund (QTDND)")
    # «Quỹ hợp tác xã địa phương hoạt động theo mô hình hợp tác xã», registered at the commune
    # registration office (NĐ 253/2025/NĐ-CP, as the press reports it).
    QHTX = "qhtx", _("Local cooperative fund (Quỹ HTX địa phương)")


class ThtRegime(models.TextChoices):
    """Two kinds of cooperative group after Luật HTX 2023 (after-2025.md §4)."""

    REGISTERED = "luat_htx_2023", _("Registered under Luật HTX 2023 (TT 09/2024/TT-BKHĐT)")
    CONTRACT = "nd77_contract", _("Cooperation contract under NĐ 77/2019 (amended by NĐ 113/2024)")


# Kinds that are legal persons registered with a tax code (Luật HTX 2023; NĐ 92/2024 Đ.14).
KINDS_WITH_TAX_CODE = {Kind.HTX, Kind.LHHTX, Kind.QTDND, Kind.QHTX}


class Sector(models.TextChoices):
    """Sector orientations of Kế hoạch 1698/KH-UBND §II.2 (seed 004)."""

    AGRICULTURE = "agriculture", _("Agriculture")
    FORESTRY = "forestry", _("Forestry")
    FISHERIES = "fisheries", _("Fisheries")
    SALT = "salt", _("Salt-making")
    INDUSTRY_HANDICRAFT = "industry_handicraft", _("Industry and handicraft")
    TRADE_SERVICES = "trade_services", _("Trade and services")
    MARKET_MANAGEMENT = "market_management", _("Market management")
    CONSTRUCTION = "construction", _("Construction")
    ROAD_TRANSPORT = "road_transport", _("Road transport")
    WATERWAY_TRANSPORT = "waterway_transport", _("Inland waterway transport")
    MARITIME_TRANSPORT = "maritime_transport", _("Maritime transport")
    CREDIT = "credit", _("Credit")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health care")
    EDUCATION = "education", _("Schools and education")
    ENVIRONMENT = "environment", _("Environment and waste collection")
    CLEAN_WATER = "clean_water", _("Clean water")
    CONSUMER = "consumer", _("Consumer cooperative")
    GENERAL = "general", _("General business")
    OTHER = "other", _("Other")


# VSIC 2018 level-1 sections (QĐ 27/2018/QĐ-TTg), the basis of TT 01/2020 Điều 6.
VSIC_SECTION = {
    Sector.AGRICULTURE: "A",
    Sector.FORESTRY: "A",
    Sector.FISHERIES: "A",
    Sector.SALT: "B",  # salt extraction is mining and quarrying (B 0893)
    Sector.INDUSTRY_HANDICRAFT: "C",
    Sector.TRADE_SERVICES: "G",
    Sector.MARKET_MANAGEMENT: "L",  # operating markets: real-estate business on own premises
    Sector.CONSTRUCTION: "F",
    Sector.ROAD_TRANSPORT: "H",
    Sector.WATERWAY_TRANSPORT: "H",
    Sector.MARITIME_TRANSPORT: "H",
    Sector.CREDIT: "K",
    Sector.HOUSING: "L",
    Sector.HEALTH: "Q",
    Sector.EDUCATION: "P",
    Sector.ENVIRONMENT: "E",
    Sector.CLEAN_WATER: "E",
    Sector.CONSUMER: "G",
    Sector.GENERAL: "A",  # general-business HTX in the seeds are agricultural service cooperatives
    Sector.OTHER: "S",
}

AGRICULTURAL_SECTORS = {Sector.AGRICULTURE, Sector.FORESTRY, Sector.FISHERIES, Sector.SALT}


class ServiceType(models.TextChoices):
    """Thông tư 01/2020/TT-BKHĐT Điều 3: what the cooperative does for its members."""

    PRODUCER = "producer", _("Serving members' production")
    CONSUMER = "consumer", _("Serving members' consumption")
    JOBS = "jobs", _("Creating jobs for members")
    MIXED = "mixed", _("Mixed")


class OperatingScale(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNE = "commune", _("Commune")
    INTER_COMMUNE = "inter_commune", _("Inter-commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")


class LegalBasis(models.TextChoices):
    LAW_2003 = "law_2003", _("Law on Cooperatives 2003")
    LAW_2012 = "law_2012", _("Law on Cooperatives 2012")
    LAW_2023 = "law_2023", _("Law on Cooperatives 2023")
    DECREE_77_2019 = "nd_77_2019", _("Decree 77/2019/NĐ-CP (cooperative groups)")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    STOPPED = "stopped", _("Stopped, not dissolved")
    DISSOLVING = "dissolving", _("Dissolving")
    DISSOLVED = "dissolved", _("Dissolved")
    MERGED = "merged", _("Merged into another organisation")


# An organisation in one of these states no longer exists; it is kept for history.
ENDED_STATUSES = {Status.DISSOLVED, Status.MERGED}


class MassOrganisation(models.TextChoices):
    """Founding mass organisation (seed 004 §II.2)."""

    NONE = "", _("None")
    WOMEN = "women", _("Women's Union")
    YOUTH = "youth", _("Youth Union")
    FARMERS = "farmers", _("Farmers' Association")
    VETERANS = "veterans", _("Veterans' Association")
    OTHER = "other", _("Other")
