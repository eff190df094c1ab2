"""The apps' import order of CONTRIBUTING.md holds: app code imports only from apps before it.

Tests may build their data with a later app's factories, so they are not checked.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
# The order of CONTRIBUTING.md ("Layering"); the channel adapters share the last layer.
LAYERS = [
    "common",
    "accounts",
    "notifications",
    "insights",
    "cases",
    "intake",
    "responses",
    "surveys",
    "improvements",
    "analytics",
    "portal",
    "integrations",
]


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "tanggap" and parts[1] in LAYERS:
        return parts[1]
    return None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def _violations(app: str) -> list[str]:
    rank = LAYERS.index(app)
    problems = []
    for path in sorted((PACKAGE / app).rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for line, module in _imports(path):
            target = _app_of(module)
            if target and LAYERS.index(target) > rank:
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    return problems


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_from_apps_before_it(app):
    assert _violations(app) == []


def test_every_app_has_its_place_in_the_order():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert apps - {"static", "templates"} <= set(LAYERS)
