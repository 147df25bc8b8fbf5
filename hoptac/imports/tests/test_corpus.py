"""Every file of the corpus (scripts/make_import_corpus.py) imports as its JSON says.

The files are generated in the shapes district offices keep (title blocks, merged headers,
number rows, TCVN3/VNI fonts, groups, totals, signatures; .xlsx, .xls, .ods, .csv). The figures
files refer to organisations of the registry files, so the registry files are imported first.
"""

import json
from pathlib import Path

import pytest

from hoptac.conftest import unit
from hoptac.figures.models import AnnualFigures
from hoptac.imports import importer
from hoptac.imports.reading import column_letter, read
from hoptac.registry.models import Organisation

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix != ".json")
REGISTRY = [p for p in FILES if json.loads(Path(f"{p}.json").read_text())["kind"] != "figures"]

pytestmark = pytest.mark.django_db


def plan_of(path: Path):
    expected = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
    plan = importer.prepare(
        expected["kind"], read(path.read_bytes(), path.name), path.name,
        context=unit(expected["within"]), year=expected["year"],
    )  # fmt: skip
    return plan, expected


def check_layout(plan, expected, name):
    assert plan.header_rows == expected["header_rows"], name
    assert {str(s.number): s.reason for s in plan.skipped} == expected["skipped"], name
    errors = {r.number: r.errors for r in plan.rows if r.errors}
    wanted = {e["row"]: e["column"] for e in expected["errors"]}
    assert set(errors) == set(wanted), (name, errors)
    for number, column in wanted.items():
        assert all(m.startswith(f"cột {column} ") for m in errors[number]), (name, errors[number])


def test_the_corpus_has_the_shapes_the_issue_names():
    suffixes = {p.suffix for p in FILES}
    assert len(FILES) >= 15 and suffixes == {".xlsx", ".xls", ".ods", ".csv"}


@pytest.mark.parametrize("path", REGISTRY, ids=lambda p: p.name)
def test_a_registry_file_imports_as_expected(path):
    plan, expected = plan_of(path)
    check_layout(plan, expected, path.name)
    by_row = {r.number: r for r in plan.rows}
    for want in expected["rows"]:
        row = by_row[want["row"]]
        assert row.outcome == "new", (path.name, want["row"], row.errors)
        data = row.data
        got = {
            "row": row.number, "name": data["name"], "tax_code": data.get("tax_code"), "commune": data["commune"].code,
            "former_commune": data["former_commune"].code if data.get("former_commune") else None,
            "registration_date": data["registration_date"].isoformat(),
        }  # fmt: skip
        assert got == want, path.name
    batch = importer.commit(plan, valid_only=True)
    assert batch.created == len(expected["rows"])
    again, _e = plan_of(path)
    assert {r.outcome for r in again.rows if not r.errors} == {"unchanged"}, path.name


def test_figures_files_import_in_dong_after_their_registry():
    for path in REGISTRY:
        importer.commit(plan_of(path)[0], valid_only=True)
    for path in [p for p in FILES if p not in REGISTRY]:
        plan, expected = plan_of(path)
        check_layout(plan, expected, path.name)
        assert not plan.has_errors, (path.name, [(r.number, r.errors) for r in plan.rows if r.errors])
        importer.commit(plan)
        for want in expected["rows"]:
            figures = AnnualFigures.objects.get(organisation__tax_code=want["tax_code"], year=want["year"])
            assert {k: getattr(figures, k) for k in want["values"]} == want["values"], (
                path.name,
                want["row"],
            )
    assert Organisation.objects.count() == sum(
        len(json.loads(Path(f"{p}.json").read_text())["rows"]) for p in REGISTRY
    )
    assert column_letter(2) == "C"
