"""The apps are layered governance <- boards <- meetings <- pooled_funds <- planning
<- publication <- demo: a module imports only from its own layer or below (planning
and publication are siblings: neither imports the other). The project package
``config`` sits apart and may import any app. Apps above register what lower ones
show (dashboard panels, board page sections, reporting cycles) in
``AppConfig.ready()``."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "governance",
    "boards",
    "meetings",
    "pooled_funds",
    "planning",
    "publication",
    "demo",
]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


def upward_imports(app: str) -> list[str]:
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for name in sorted(imported_apps(path) & above):
            found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_no_app_imports_a_layer_above_it(app):
    assert upward_imports(app) == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The scan is not vacuous: an import of a higher app is reported."""
    module = tmp_path / "governance" / "x.py"
    module.parent.mkdir()
    module.write_text("from meetings.models import Meeting\n")
    assert imported_apps(module) == {"meetings"}


def test_models_hold_no_foreign_key_to_a_higher_app():
    from django.apps import apps

    for model in apps.get_models():
        app = model._meta.app_label
        if app not in LAYERS:
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None or not field.concrete:
                continue
            target = related._meta.app_label
            if target in LAYERS:
                assert LAYERS.index(target) <= LAYERS.index(app), (
                    f"{model._meta.label}.{field.name} points up at {target}"
                )
