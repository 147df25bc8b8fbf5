"""QR codes (segno) and printable label sheets as SVG in millimetres.

An SVG sized in mm prints at true size from any browser ("Actual size", no scaling), which
is what office and thermal label printers need; no PDF library or font embedding is involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

import segno
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Sheet:
    label: str
    page_width: float  # mm
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    margin_left: float
    margin_top: float
    gap_x: float = 0
    gap_y: float = 0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


# Common A4 decal sheets sold in Vietnam (Tomy/Decal A4, Avery equivalents) and thermal rolls.
SHEETS = {
    "a4-24": Sheet(_("A4, 24 labels 70 × 37 mm"), 210, 297, 3, 8, 70, 37, 0, 0.5),
    "a4-14": Sheet(_("A4, 14 labels 99.1 × 38.1 mm"), 210, 297, 2, 7, 99.1, 38.1, 4.65, 15.15, 2.5, 0),
    "a4-40": Sheet(_("A4, 40 labels 48.5 × 25.4 mm"), 210, 297, 4, 10, 48.5, 25.4, 8, 21.5),
    "roll-50x30": Sheet(_("Thermal roll, 50 × 30 mm"), 50, 30, 1, 1, 50, 30, 0, 0),
}
DEFAULT_SHEET = "a4-24"


def qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_path(code: segno.QRCode) -> tuple[str, int]:
    """One SVG path of the dark modules in module units, and the symbol size (no quiet zone)."""
    parts = []
    rows = list(code.matrix_iter(border=0))
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return "".join(parts), len(rows)


def qr_svg(url: str, size_mm: float = 30) -> str:
    path, modules = qr_path(qr(url))
    total = modules + 8  # the 4-module quiet zone on each side the standard asks for
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_mm}mm" height="{size_mm}mm" '
        f'viewBox="-4 -4 {total} {total}"><rect x="-4" y="-4" width="{total}" height="{total}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def _label(lot, url: str, path: str, modules: int, sheet: Sheet, x: float, y: float) -> str:
    pad = 2.0
    qr_size = min(sheet.label_height - 2 * pad, sheet.label_width * 0.45)
    scale = qr_size / (modules + 2)  # a 1-module quiet zone fits inside the label's own margin
    text_x = x + pad + qr_size + 2
    text_width = sheet.label_width - qr_size - 2 * pad - 2
    font = max(1.9, min(3.2, sheet.label_height / 11))
    lines = [
        (escape(lot.product.name), True),
        (escape(lot.product.organisation.name), False),
        (f"NSX: {lot.produced_on:%d/%m/%Y}", False),
    ]
    if lot.expires_on:
        lines.append((f"HSD: {lot.expires_on:%d/%m/%Y}", False))
    lines.append((f"Mã: {lot.display_code}", True))
    text = []
    for i, (line, bold) in enumerate(lines):
        weight = ' font-weight="bold"' if bold else ""
        text.append(
            f'<text x="{text_x:.2f}" y="{y + pad + font * (i + 1) * 1.15:.2f}" font-size="{font:.2f}"{weight} '
            f'textLength="{text_width:.2f}" lengthAdjust="spacingAndGlyphs">{line}</text>'
            if len(line) * font * 0.5 > text_width
            else f'<text x="{text_x:.2f}" y="{y + pad + font * (i + 1) * 1.15:.2f}" font-size="{font:.2f}"{weight}>'
            f"{line}</text>"
        )
    return (
        f"<g><title>{escape(url)}</title>"
        f'<g transform="translate({x + pad + scale:.3f} {y + (sheet.label_height - qr_size) / 2 + scale:.3f}) '
        f'scale({scale:.4f})"><path d="{path}"/></g>{"".join(text)}</g>'
    )


def label_sheet(lot, url: str, sheet_key: str = DEFAULT_SHEET, count: int | None = None) -> str:
    """One page of labels for `lot`, filled row by row (`count` labels, or the whole page)."""
    sheet = SHEETS[sheet_key]
    count = sheet.per_page if count is None else max(1, min(count, sheet.per_page))
    path, modules = qr_path(qr(url))
    labels = []
    for i in range(count):
        row, column = divmod(i, sheet.columns)
        x = sheet.margin_left + column * (sheet.label_width + sheet.gap_x)
        y = sheet.margin_top + row * (sheet.label_height + sheet.gap_y)
        labels.append(_label(lot, url, path, modules, sheet, x, y))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{sheet.page_width}mm" height="{sheet.page_height}mm" '
        f'viewBox="0 0 {sheet.page_width} {sheet.page_height}" font-family="Arial, Helvetica, sans-serif">'
        f'<rect width="100%" height="100%" fill="#fff"/>{"".join(labels)}</svg>'
    )
