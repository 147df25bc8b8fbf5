"""Layering without upward imports: each app imports only apps of lower layers (docs/development.md).

The order is read from the documentation, so the rule a newcomer reads is the rule that is checked.
"""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # hoptac/
DOCS = PACKAGE.parent / "docs" / "development.md"


def layers() -> dict[str, int]:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Layers") :]
    section = section[: section.index("\n## ", 4)]
    order = {}
    for number, names in re.findall(r"^(\d+)\. (.+)$", section, flags=re.M):
        for name in names.split(","):
            order[name.strip()] = int(number)
    return order


def apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists())


def _annotation_only(tree: ast.AST) -> set[ast.AST]:
    """Imports under `if TYPE_CHECKING:`: read by the type checker only, never run, so no dependency."""
    nodes: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                nodes.update(ast.walk(child))
    return nodes


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, app) for every `hoptac.<app>` this module imports, at any depth of the code."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped = _annotation_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
            if node.module == "hoptac":  # from hoptac import registry
                modules = [f"hoptac.{alias.name}" for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "hoptac" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def checked_modules(app: str):
    for path in sorted((PACKAGE / app).rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        yield path


def upward_imports() -> list[str]:
    order = layers()
    problems = []
    for app in apps():
        for path in checked_modules(app):
            for line, other in imported_apps(path):
                if other == app or other not in order:
                    continue  # own modules, or hoptac.settings/env/urls (project files, not apps)
                if order[other] >= order[app]:
                    where = "the same layer as" if order[other] == order[app] else "a higher layer than"
                    problems.append(
                        f"{path.relative_to(PACKAGE.parent)}:{line}: imports {other}, {where} {app}"
                    )
    return problems


def test_every_app_has_a_layer():
    missing = set(apps()) - set(layers())
    assert not missing, f"add {sorted(missing)} to the layers in docs/development.md"


def test_no_app_imports_its_own_layer_or_above():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import_inside_a_function(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from hoptac.accounts.models import User\n"
        "def f():\n    from hoptac.trace.models import Lot\n    import hoptac.plans.views\n"
    )
    assert imported_apps(module) == [(5, "trace"), (6, "plans")]
