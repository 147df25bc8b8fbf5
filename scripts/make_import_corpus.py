"""Generate the import corpus: files shaped like the lists district and provincial offices keep.

    .venv/bin/python scripts/make_import_corpus.py      # writes hoptac/imports/tests/corpus/

Every file is generated (names, tax codes and people are made up; the places are real units of
Quảng Trị before and after 1/7/2025). Beside each file, NAME.json holds what an import must give:
the header rows, the rows skipped and why, and every organisation (name in Unicode, tax code,
today's commune and the former one, registration date) or figure (in đồng), and the rows that
must be refused with their column. hoptac/imports/tests/test_corpus.py imports each and compares.
The expectations come from the data the script lays out, not from running the importer.
"""

from __future__ import annotations

import datetime
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hoptac.imports.tests.shapes import Legacy, SheetSpec, write  # noqa: E402

OUT = ROOT / "hoptac" / "imports" / "tests" / "corpus"

# Former communes (code, name as the unit is named) → today's commune code, per former district.
PLACES = {
    "464": [("19369", "Xã Vĩnh Thái", "19372"), ("19372", "Xã Vĩnh Tú", "19372"), ("19375", "Xã Vĩnh Chấp", "19363"),
            ("19378", "Xã Trung Nam", "19372"), ("19384", "Xã Kim Thạch", "19414"), ("19387", "Xã Vĩnh Long", "19363"),
            ("19393", "Xã Vĩnh Khê", "19366"), ("19396", "Xã Vĩnh Hòa", "19372"), ("19405", "Xã Vĩnh Lâm", "19405"),
            ("19408", "Xã Hiền Thành", "19414"), ("19417", "Xã Vĩnh Hà", "19366"), ("19420", "Xã Vĩnh Sơn", "19405"),
            ("19423", "Xã Vĩnh Giang", "19414"), ("19363", "Thị trấn Hồ Xá", "19363"), ("19426", "Xã Vĩnh Ô", "19366")],
    "461": [("19333", "Phường 1", "19333"), ("19342", "Phường 2", "19351"), ("19354", "Phường 3", "19333"),
            ("19345", "Phường 4", "19333"), ("19348", "Phường 5", "19351"), ("19330", "Phường Đông Giang", "19333"),
            ("19336", "Phường Đông Lễ", "19351"), ("19339", "Phường Đông Thanh", "19333"),
            ("19351", "Phường Đông Lương", "19351")],
    "465": [("19438", "Xã Hướng Việt", "19435"), ("19444", "Xã Hướng Sơn", "19441"), ("19447", "Xã Hướng Linh", "19441"),
            ("19450", "Xã Tân Hợp", "19429"), ("19453", "Xã Hướng Tân", "19429"), ("19456", "Xã Tân Thành", "19432"),
            ("19459", "Xã Tân Long", "19432"), ("19465", "Xã Tân Liên", "19462"), ("19468", "Xã Húc", "19429")],
}  # fmt: skip
CURRENT = {"464": [("19372", "Xã Vĩnh Hoàng"), ("19363", "Xã Vĩnh Linh"), ("19414", "Xã Cửa Tùng")],
           "461": [("19333", "Phường Đông Hà"), ("19351", "Phường Nam Đông Hà")],
           "465": [("19435", "Xã Hướng Lập"), ("19441", "Xã Hướng Phùng"), ("19432", "Xã Lao Bảo")]}  # fmt: skip
OFFICES = {"464": ("UBND HUYỆN VĨNH LINH", "Vĩnh Linh"), "461": ("UBND THÀNH PHỐ ĐÔNG HÀ", "Đông Hà"),
           "465": ("UBND HUYỆN HƯỚNG HÓA", "Hướng Hóa")}  # fmt: skip
SECTORS = ["Nông nghiệp", "Dịch vụ tổng hợp", "Thủy sản", "Vận tải", "Tiểu thủ công nghiệp", "Nước sạch"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
GIVEN = ["Văn An", "Thị Hoa", "Văn Bình", "Đức Thắng", "Thị Lan", "Quốc Hùng", "Minh Tuấn", "Thị Hằng"]


def tax_code(sequence: int) -> str:
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        digits = f"32{sequence:07d}"
        check = 10 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check < 10:
            return digits + str(check)
        sequence += 1


def place_text(name: str, style: str, rng: random.Random) -> str:
    """A unit's name as an office writes it."""
    kind, _sep, bare = name.partition(" ")
    if name.startswith("Thị trấn"):
        kind, bare = "Thị trấn", name.removeprefix("Thị trấn ")
    if name.startswith("Phường"):
        kind, bare = "Phường", name.removeprefix("Phường ")
    short = {"Xã": "x.", "Thị trấn": "TT", "Phường": "P."}[kind]
    if style == "bare":
        return bare
    if style == "short":
        return f"{short}{'' if short == 'P.' else ' '}{bare}"
    if style == "lower":
        return f"{kind.lower()} {bare}"
    if style == "street":
        return f"Thôn {rng.randint(1, 9)}, {kind.lower()} {bare}"
    if style == "old-tone":
        return name.replace("Hòa", "Hoà").replace("Thủy", "Thuỷ")
    return name


@dataclass
class Org:
    name: str
    tax: str
    former: tuple[str, str, str]  # (old code, old name, new code)
    founded: datetime.date
    director: str
    sector: str
    members: int
    workers: int
    capital: int  # million đồng


@dataclass
class Doc:
    rows: list = field(default_factory=list)
    merges: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)
    header: list = field(default_factory=list)
    expected: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def add(self, cells, reason=None) -> int:
        self.rows.append(cells)
        if reason:
            self.skipped[len(self.rows)] = reason
        return len(self.rows)


def orgs_for(office: str, seed: int, count: int, first_code: int) -> list[Org]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        former = PLACES[office][rng.randrange(len(PLACES[office]))]
        sector = SECTORS[rng.randrange(len(SECTORS))]
        bare = former[1].split(" ", 1)[1] if not former[1].startswith("Thị trấn") else former[1][9:]
        out.append(
            Org(
                name=f"{rng.choice(['Hợp tác xã', 'HTX'])} {sector} {bare} {i + 1}",
                tax=tax_code(first_code + i * 3),
                former=former,
                founded=datetime.date(2000 + rng.randrange(24), rng.randint(1, 12), rng.randint(1, 28)),
                director=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                sector=sector,
                members=rng.randint(7, 900),
                workers=rng.randint(3, 60),
                capital=rng.randint(50, 5000),
            )
        )
    return out


def text(value: str, font: str | None):
    """A cell's text in the file's font: Unicode, or as a .VnTime / VNI user's keyboard stored it."""
    return Legacy(value, font) if font else value


def registry(office: str, year: int, orgs: list[Org], **o) -> Doc:
    """One registry list. Options: font, title_font, title, header (one|two|three), places (single|two|
    address|group), place_style, number_row, total, footer, tax (text|number|spaced), dates, spacer, repeat."""
    rng = random.Random(year * 7 + len(orgs))
    font = o.get("font")
    doc = Doc()
    body, town = OFFICES[office]
    title_font = o.get("title_font")
    width = 9
    if o.get("title", "motto") == "motto":
        doc.add(
            [
                text(body, title_font),
                None,
                None,
                None,
                text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", title_font),
            ],
            "title",
        )
        doc.add(["PHÒNG KINH TẾ", None, None, None, "Độc lập - Tự do - Hạnh phúc"], "title")
        doc.merges += [(0, 0, 0, 3), (0, 4, 0, width - 1), (1, 0, 1, 3), (1, 4, 1, width - 1)]
        doc.add([])
    if o.get("title") != "none":
        r = doc.add([text(f"DANH SÁCH HỢP TÁC XÃ NĂM {year}", title_font)], "title")
        doc.merges.append((r - 1, 0, r - 1, width - 1))
        r = doc.add(
            [f"(Kèm theo Báo cáo số {rng.randint(10, 300)}/BC-KT ngày 15/12/{year} của {body.title()})"],
            "title",
        )
        doc.add([])
    places = o.get("places", "single")
    spacer = o.get("spacer", False)
    place_header = o.get("place_header", "Xã, phường")
    cols = ["TT", "Tên hợp tác xã", "Mã số thuế"]
    if spacer:
        cols.append(None)
    if places == "two":
        cols += ["Xã cũ", "Xã hiện nay"]
    elif places == "address":
        cols += [o.get("address_header", "Địa chỉ")]
    elif places == "single":
        cols += [place_header]
    cols += [
        "Ngày thành lập",
        "Giám đốc",
        "Lĩnh vực",
        "Thành viên",
        "Lao động (người)",
        "Vốn điều lệ (triệu đồng)",
    ]
    header = o.get("header", "one")
    top = len(doc.rows)
    if header == "one":
        doc.add(cols)
        doc.header = [top + 1]
    else:
        parents, children = [], []
        for c in cols:
            if c == "Thành viên":
                parents += ["Thành viên", None]
                children += ["Tổng số", "Trong đó: chính thức"]
            elif c in ("Xã cũ", "Xã hiện nay"):
                parents.append("Địa bàn" if c == "Xã cũ" else None)
                children.append(c)
            else:
                parents.append(c)
                children.append(None)
        if header == "three":  # "Thông tin chung", "Hoạt động", "Quy mô" over the two rows below
            groups_row, first = [], top
            group_of = ["Thông tin chung"] * cols.index("Ngày thành lập")
            group_of += ["Hoạt động"] * 3 + ["Quy mô"] * (len(parents) - len(group_of) - 3)
            for c, g in enumerate(group_of):
                groups_row.append(g if c == 0 or group_of[c - 1] != g else None)
                if c == len(group_of) - 1 or group_of[c + 1] != g:
                    start = group_of.index(g)
                    doc.merges.append((first, start, first, c))
            doc.add(groups_row)
            top += 1
        doc.add(parents)
        doc.add(children)
        doc.header = list(range(top + 1 - (header == "three"), top + 3))
        for c, (p, ch) in enumerate(zip(parents, children, strict=True)):
            if p and not ch:
                doc.merges.append((top, c, top + 1, c))
            if p in ("Thành viên", "Địa bàn"):
                doc.merges.append((top, c, top, c + 1))
        cols = [ch or p for p, ch in zip(parents, children, strict=True)]
    number_row = o.get("number_row")
    n = len(cols)
    if number_row == "(1)":
        doc.add([f"({i})" for i in range(1, n + 1)], "number")
    elif number_row == "1":
        doc.add(list(range(1, n + 1)), "number")
    elif number_row == "AB":
        doc.add(["A", "B"] + [str(i) for i in range(1, n - 1)], "number")
    elif number_row == "formula":
        doc.add([f"({i})" for i in range(1, n + 1)][:-2] + ["(8)=(9)+(10)", f"({n})"], "number")
    groups = places == "group"
    order = sorted(orgs, key=lambda g: g.former[0]) if groups else orgs
    current_group, roman = None, 0
    tax_style = o.get("tax", "text")
    dates = o.get("dates", "text")
    for i, org in enumerate(order):
        if groups and org.former != current_group:
            if current_group is not None:
                doc.add([None, text("Cộng", font), None, None, None, None, 0], "total")
            current_group = org.former
            roman += 1
            numeral = [
                "I",
                "II",
                "III",
                "IV",
                "V",
                "VI",
                "VII",
                "VIII",
                "IX",
                "X",
                "XI",
                "XII",
                "XIII",
                "XIV",
            ][roman - 1]
            doc.add([text(f"{numeral}. {org.former[1]}", font)], "group")
        if o.get("repeat") and i == len(order) // 2:
            doc.add(list(cols), "header")
        row = []
        use_current = o.get("current_names") and i % 3 == 0
        for c in cols:
            if c == "TT":
                row.append(i + 1)
            elif c == "Tên hợp tác xã":
                row.append(text(org.name, font if o.get("mixed") is None or i % 2 else None))
            elif c == "Mã số thuế":
                row.append(int(org.tax) if tax_style == "number" else
                           f"{org.tax[:4]} {org.tax[4:7]} {org.tax[7:]}" if tax_style == "spaced" else org.tax)  # fmt: skip
            elif c is None:
                row.append(None)
            elif c == "Xã cũ":
                row.append(text(place_text(org.former[1], o.get("place_style", "full"), rng), font))
            elif c == "Xã hiện nay":
                row.append(None)
            elif c in (place_header, o.get("address_header", "Địa chỉ")):
                if use_current:
                    name = dict(CURRENT[office]).get(org.former[2]) or org.former[1]
                    row.append(text(name, font))
                else:
                    style = "street" if places == "address" else o.get("place_style", "full")
                    row.append(text(place_text(org.former[1], style, rng), font))
            elif c == "Ngày thành lập":
                d = org.founded
                row.append({"text": f"{d:%d/%m/%Y}", "date": d, "dotted": f"{d.day}.{d.month}.{d.year}",
                            "serial": (d - datetime.date(1899, 12, 30)).days}[dates])  # fmt: skip
            elif c == "Giám đốc":
                row.append(text(org.director, font))
            elif c == "Lĩnh vực":
                row.append(text(org.sector, font))
            elif c in ("Thành viên", "Tổng số"):
                row.append(org.members + 5)
            elif c == "Trong đó: chính thức":
                row.append(org.members)
            elif c == "Lao động (người)":
                row.append(str(org.workers) if o.get("numbers_as_text") else org.workers)
            else:
                row.append(f"{org.capital:,}".replace(",", ".") if o.get("numbers_as_text") else org.capital)
        number = doc.add(row)
        current_code = org.former[2]
        former = None if use_current and org.former[2] in dict(CURRENT[office]) else org.former[0]
        doc.expected.append({"row": number, "name": org.name, "tax_code": org.tax, "commune": current_code,
                             "former_commune": former, "registration_date": org.founded.isoformat()})  # fmt: skip
    if groups:
        doc.add([None, text("Cộng", font), None, None, None, None, 0], "total")
    if o.get("total", True):
        doc.add(
            [None, text("Tổng cộng", font), None, None, None, None, sum(g.members for g in orgs)], "total"
        )
    if o.get("broken"):
        bad = doc.add([len(orgs) + 1, "HTX Sai mã", "0100233489", place_text(PLACES[office][0][1], "full", rng)]
                      + [None] * (n - 4))  # fmt: skip
        doc.errors.append({"row": bad, "column": "C"})
    if o.get("footer", True):
        doc.add([])
        doc.add([None, "Ghi chú: số liệu do các xã báo cáo."], "footer")
        doc.add([None] * 6 + [text(f"{town}, ngày 20 tháng 12 năm {year}", font)], "footer")
        doc.add(
            [None, text("NGƯỜI LẬP BIỂU", title_font)] + [None] * 4 + [text("TRƯỞNG PHÒNG", title_font)],
            "footer",
        )
        doc.add([])
        doc.add([None, text("Lê Thị Hoa", font)] + [None] * 4 + [text("Trần Văn Bình", font)], "footer")
    return doc


def figures(office: str, year: int, orgs: list[Org], by_name: bool, fmt_unit: str) -> Doc:
    """Annual figures of organisations already in the registry: by tax code, or by name and commune."""
    doc = Doc()
    factor, unit = {
        "tr": (1_000_000, "triệu đồng"),
        "nghin": (1_000, "nghìn đồng"),
        "trd": (1_000_000, "tr.đ"),
    }[fmt_unit]
    doc.add([f"BÁO CÁO KẾT QUẢ HOẠT ĐỘNG CỦA CÁC HTX NĂM {year}"], "title")
    doc.add([])
    if by_name:
        doc.add(
            ["STT", "Tên HTX", "Xã", "Số thành viên (người)", f"Doanh thu ({unit})", f"Lợi nhuận ({unit})"]
        )
        doc.header = [3]
    else:
        doc.add(["STT", "Mã số thuế", "Tên HTX", "Doanh thu", None, f"Lợi nhuận ({unit})", "Thành viên"])
        doc.add([None, None, None, f"Năm {year - 1} ({unit})", f"Năm {year} ({unit})", None, None])
        doc.merges += [(2, 3, 2, 4)] + [(2, c, 3, c) for c in (0, 1, 2, 5, 6)]
        doc.header = [3, 4]
        doc.add(["1", "2", "3", "4", "5", "6", "7"], "number")
    rng = random.Random(year + len(orgs))
    for i, org in enumerate(orgs):
        revenue = rng.randint(100, 90_000)
        profit = rng.randint(-300, 2_000)
        profit_text = f"({abs(profit)})" if profit < 0 else str(profit)
        if by_name:
            name = (
                org.name.replace("Hợp tác xã", "HTX")
                if org.name.startswith("Hợp tác xã")
                else org.name.replace("HTX", "Hợp tác xã")
            )
            number = doc.add([i + 1, name, place_text(org.former[1], "bare", rng), org.members,
                              f"{revenue:,}".replace(",", "."), profit_text])  # fmt: skip
        else:
            number = doc.add(
                [
                    i + 1,
                    int(org.tax),
                    org.name,
                    revenue // 2,
                    f"{revenue:,}".replace(",", "."),
                    profit_text,
                    org.members,
                ]
            )
        doc.expected.append({"row": number, "tax_code": org.tax, "year": year, "values": {
            "members_official": org.members, "revenue": revenue * factor, "profit_before_tax": profit * factor}})  # fmt: skip
    doc.add(["Tổng cộng"], "total")
    doc.add([None, None, None, None, f"Đông Hà, ngày 10 tháng 1 năm {year + 1}"], "footer")
    return doc


def summary_sheet() -> SheetSpec:
    return SheetSpec(
        "Tổng hợp", [["TỔNG HỢP SỐ LƯỢNG HTX"], ["Xã", "Số HTX", "Thành viên"], ["Vĩnh Linh", 3, 250]]
    )


def cases():
    """(file name, kind, within, year, format, csv options, registry Doc or figures Doc, extra sheets)."""
    vl = orgs_for("464", 1, 8, 1000)
    dh = orgs_for("461", 2, 6, 2000)
    hh = orgs_for("465", 3, 7, 3000)
    vl2 = orgs_for("464", 4, 6, 4000)
    dh2 = orgs_for("461", 5, 5, 5000)
    hh2 = orgs_for("465", 6, 6, 6000)
    vl3 = orgs_for("464", 7, 5, 7000)
    yield (
        "01-vinh-linh-2024-tcvn3.xlsx",
        "organisations",
        "464",
        None,
        {},
        registry(
            "464",
            2024,
            vl,
            font=".VnTime",
            title_font=".VnTimeH",
            header="two",
            number_row="(1)",
            place_header="Địa chỉ (xã, thị trấn)",
            place_style="short",
            dates="date",
        ),
        [],
    )
    yield (
        "02-dong-ha-2023-unicode.xlsx",
        "organisations",
        "461",
        None,
        {},
        registry(
            "461", 2023, dh, header="three", places="two", number_row="AB", place_style="short", tax="number"
        ),
        [],
    )
    yield (
        "03-huong-hoa-2022-vni.xls",
        "organisations",
        "465",
        None,
        {},
        registry("465", 2022, hh, font="VNI-Times", places="group", number_row="1", dates="dotted"),
        [],
    )
    yield (
        "04-vinh-linh-2021-spacer.ods",
        "organisations",
        "464",
        None,
        {},
        registry(
            "464",
            2021,
            vl2,
            spacer=True,
            place_header="Địa bàn",
            place_style="lower",
            number_row="1",
            dates="serial",
        ),
        [],
    )
    yield (
        "05-dong-ha-2024-bom.csv",
        "organisations",
        "461",
        None,
        {"encoding": "utf-8-sig"},
        registry("461", 2024, dh2, place_header="Xã/phường", tax="spaced", title="simple"),
        [],
    )
    yield (
        "06-huong-hoa-2023-cp1258.csv",
        "organisations",
        "465",
        None,
        {"encoding": "cp1258", "delimiter": ";"},
        registry("465", 2023, hh2, places="address", address_header="Trụ sở", numbers_as_text=True),
        [],
    )
    yield (
        "07-vinh-linh-2020-tcvn3-text.csv",
        "organisations",
        "464",
        None,
        {"delimiter": ";"},
        registry("464", 2020, vl3, font=".VnTime", title="simple", place_header="Xã", place_style="bare"),
        [],
    )
    yield (
        "08-vinh-linh-2024-two-sheets.xlsx",
        "organisations",
        "464",
        None,
        {},
        registry(
            "464",
            2024,
            orgs_for("464", 8, 5, 8000),
            number_row="formula",
            header="two",
            place_header="Xã",
            current_names=True,
        ),
        [summary_sheet()],
    )
    yield (
        "09-dong-ha-2022-mixed-fonts.xls",
        "organisations",
        "461",
        None,
        {},
        registry(
            "461",
            2022,
            orgs_for("461", 9, 6, 9000),
            font=".VnTime",
            mixed=True,
            title_font=".VnTimeH",
            place_style="short",
            tax="number",
            dates="date",
        ),
        [],
    )
    yield (
        "10-huong-hoa-2024-address.xlsx",
        "organisations",
        "465",
        None,
        {},
        registry(
            "465", 2024, orgs_for("465", 10, 6, 10000), places="address", number_row="(1)", header="two"
        ),
        [],
    )
    yield (
        "11-vinh-linh-2019-old-tones.ods",
        "organisations",
        "464",
        None,
        {},
        registry(
            "464",
            2019,
            orgs_for("464", 11, 6, 11000),
            place_style="old-tone",
            header="two",
            number_row="(1)",
            dates="date",
        ),
        [],
    )
    yield (
        "12-dong-ha-2021-repeated-header.xlsx",
        "organisations",
        "461",
        None,
        {},
        registry(
            "461",
            2021,
            orgs_for("461", 12, 8, 12000),
            repeat=True,
            place_header="Phường, xã",
            place_style="full",
            title="simple",
        ),
        [],
    )
    yield (
        "13-huong-hoa-2020-errors.csv",
        "organisations",
        "465",
        None,
        {},
        registry("465", 2020, orgs_for("465", 13, 4, 13000), broken=True, place_style="lower", footer=False),
        [],
    )
    yield (
        "14-vinh-linh-2022-vni-capitals.xlsx",
        "organisations",
        "464",
        None,
        {},
        registry(
            "464",
            2022,
            orgs_for("464", 14, 5, 14000),
            font="VNI-Times",
            title_font=".VnTimeH",
            places="group",
            header="two",
        ),
        [],
    )
    yield (
        "15-vinh-linh-2024-figures-by-code.xlsx",
        "figures",
        "464",
        2024,
        {},
        figures("464", 2024, vl, by_name=False, fmt_unit="tr"),
        [],
    )
    yield (
        "16-dong-ha-2024-figures-by-name.csv",
        "figures",
        "461",
        2024,
        {"encoding": "utf-8-sig"},
        figures("461", 2024, dh2, by_name=True, fmt_unit="nghin"),
        [],
    )
    yield (
        "17-huong-hoa-2023-figures-trd.ods",
        "figures",
        "465",
        2023,
        {},
        figures("465", 2023, hh, by_name=False, fmt_unit="trd"),
        [],
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    for name, kind, within, year, csv_options, doc, extra in cases():
        fmt = name.rsplit(".", 1)[1]
        sheet = SheetSpec("Chi tiết" if extra else "Danh sách", doc.rows, doc.merges)
        (OUT / name).write_bytes(write(fmt, [*extra, sheet], **csv_options))
        expected = {"kind": kind, "within": within, "year": year, "header_rows": doc.header,
                    "skipped": {str(k): v for k, v in sorted(doc.skipped.items())},
                    "rows": doc.expected, "errors": doc.errors}  # fmt: skip
        (OUT / f"{name}.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"{name}: {len(doc.expected)} rows")


if __name__ == "__main__":
    main()
