"""GS1 identifiers: one canonical form for what EPCIS names, and the identifiers of a hoptac lot.

The same object is written in several ways — an EPC URN (`urn:epc:id:sgtin:0614141.107346.2017`),
a GS1 Digital Link on any domain (`https://example.com/01/00614141073467/21/2017`), a class-level
LGTIN (`urn:epc:class:lgtin:…`). For matching (queries, linking events to lots) each is reduced
to the Digital Link on `https://id.gs1.org` with the GTIN written on 14 digits (GS1 Tag Data
Standard 2.0 §6/§7; GS1 Digital Link 1.2). A hoptac lot without GTIN is `urn:hoptac:lot:<code>`,
whatever address its public page was written with.
"""

from __future__ import annotations

import re

from stdnum import ean

RESOLVER = "https://id.gs1.org"
PRIMARY_KEYS = "00|01|253|255|401|402|414|417|8003|8004|8006|8010|8013|8017|8018"
DIGITAL_LINK = re.compile(
    rf"^https?://[^/?#]+(?:/[^?#]*?)?/({PRIMARY_KEYS})/([^/?#]+)((?:/\d{{2,4}}/[^/?#]+)*)/?(?:[?#].*)?$"
)
TRACE_CODE = r"[2-9A-HJKMNP-Z]{10}"
HOPTAC_PAGE = re.compile(rf"^(?:https?://[^/?#]+)?(?:/[^?#]*)?/t/({TRACE_CODE})/?$")
HOPTAC_LOT = "urn:hoptac:lot:"


def _check(body: str) -> str:
    return body + ean.calc_check_digit(body)


def _gtin(company_prefix: str, item_ref: str) -> str:
    """GTIN-14 from an EPC's company prefix and item reference (its first digit is the indicator)."""
    return _check(item_ref[:1] + company_prefix + item_ref[1:])


def _from_epc_urn(uri: str) -> str | None:
    match = re.fullmatch(r"urn:epc:(id|class|idpat):(\w+):(.+)", uri)
    if not match:
        return None
    scheme, parts = match.group(2), match.group(3).split(".")
    try:
        if scheme == "sgtin" and len(parts) == 3:
            gtin = _gtin(parts[0], parts[1])
            return f"{RESOLVER}/01/{gtin}" + ("" if parts[2] == "*" else f"/21/{parts[2]}")
        if scheme == "lgtin" and len(parts) == 3:
            return f"{RESOLVER}/01/{_gtin(parts[0], parts[1])}/10/{parts[2]}"
        if scheme == "sscc" and len(parts) == 2:
            return f"{RESOLVER}/00/{_check(parts[1][:1] + parts[0] + parts[1][1:])}"
        if scheme == "sgln" and len(parts) == 3:
            gln = _check(parts[0] + parts[1])
            return f"{RESOLVER}/414/{gln}" + ("" if parts[2] in ("0", "") else f"/254/{parts[2]}")
        if scheme == "grai" and len(parts) == 3:
            return f"{RESOLVER}/8003/0{_check(parts[0] + parts[1])}{parts[2]}"
        if scheme == "giai" and len(parts) == 2:
            return f"{RESOLVER}/8004/{parts[0]}{parts[1]}"
        if scheme == "gsrn" and len(parts) == 2:
            return f"{RESOLVER}/8018/{_check(parts[0] + parts[1])}"
        if scheme == "pgln" and len(parts) == 2:
            return f"{RESOLVER}/417/{_check(parts[0] + parts[1])}"
    except Exception:  # stdnum raises on non-digits: such a URN is kept as written
        return None
    return None


def canonical(uri) -> str:
    """The form an identifier is indexed and matched by."""
    if not isinstance(uri, str):
        return ""
    uri = uri.strip()
    page = HOPTAC_PAGE.match(uri)
    if page:
        return HOPTAC_LOT + page.group(1)
    if uri.startswith("urn:epc:"):
        return _from_epc_urn(uri) or uri
    match = DIGITAL_LINK.match(uri)
    if match:
        key, value, rest = match.groups()
        if key == "01" and value.isdigit() and len(value) in (8, 12, 13, 14):
            value = value.zfill(14)
        return f"{RESOLVER}/{key}/{value}{rest}"
    return uri


def gtin_and_lot(value: str) -> tuple[str, str] | None:
    """(GTIN-14, lot) of a canonical class-level identifier `…/01/<gtin>/10/<lot>`."""
    match = re.fullmatch(rf"{re.escape(RESOLVER)}/01/(\d{{14}})/10/([^/]+)", value)
    return (match.group(1), match.group(2)) if match else None


def gtin14(gtin: str) -> str:
    return (gtin or "").zfill(14)


def digital_link(lot, resolver: str = RESOLVER) -> str | None:
    """GS1 Digital Link of a lot whose product has a GTIN: `<resolver>/01/<GTIN-14>/10/<trace code>`."""
    if not lot.product.gtin:
        return None
    return f"{resolver.rstrip('/')}/01/{gtin14(lot.product.gtin)}/10/{lot.code}"


def lgtin(lot) -> str | None:
    """`urn:epc:class:lgtin:<company prefix>.<indicator+item ref>.<lot>` when the product's GS1
    company prefix is known (its length cannot be told from the GTIN alone)."""
    prefix = getattr(lot.product, "gs1_company_prefix", "")
    gtin = gtin14(lot.product.gtin) if lot.product.gtin else ""
    if not prefix or not gtin or gtin[1 : 1 + len(prefix)] != prefix:
        return None
    item_ref = gtin[0] + gtin[1 + len(prefix) : 13]
    return f"urn:epc:class:lgtin:{prefix}.{item_ref}.{lot.code}"


def lot_keys(lot) -> list[str]:
    """Every canonical identifier a captured event may name this lot by."""
    keys = [HOPTAC_LOT + lot.code]
    if lot.product.gtin:
        keys.append(f"{RESOLVER}/01/{gtin14(lot.product.gtin)}/10/{lot.code}")
        if lot.number:
            keys.append(f"{RESOLVER}/01/{gtin14(lot.product.gtin)}/10/{lot.number}")
    return keys
