"""The import rule (README, "Layout"): the apps sit on a floor below the composition layer.

Every module of ``actions``, ``cadence``, ``briefings`` and ``cto_office`` is read
with ``ast`` (nothing is imported, so a cycle cannot hide behind import order).
An import counts wherever it is written: at module level, in a class body, or
inside a function. Imports under ``if TYPE_CHECKING:`` are type names only and
never run, so they count for none of the rules below except the first.

1. No app imports the composition layer (``cto_office.home*``, ``views``, ``urls``,
   ``demo*``, ``management*``, ``selectors``), at any level, and neither does the
   base of ``cto_office``.
2. The base of ``cto_office`` (``models``, ``access``, ``htmx``, ``clock``, ``mail``,
   ``middleware``, ``templatetags``, ``context_processors``, ``settings``, ``celery``,
   ``admin``, ``roles``, and the package's own ``__init__``/``apps``/``wsgi``) imports
   no app, neither at module level nor inside a function: ``cto_office.access``
   names app models for type checkers and resolves them through Django's app
   registry (``apps.get_model``), which is not an import.
3. Inside an app the arrows point down: models ← selectors ← services ← tasks ←
   views, forms, admin and management commands. A lower layer importing a higher
   one of the same app fails, inside a function too (no dodging a cycle).
4. No cycle of module-level imports between files (Tarjan's strongly connected
   components over the import graph).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("actions", "cadence", "briefings")
PACKAGES = (*APPS, "cto_office")

COMPOSITION = (
    "cto_office.home",
    "cto_office.views",
    "cto_office.urls",
    "cto_office.demo",
    "cto_office.management",
    "cto_office.selectors",
)

#: Layer of a module inside its app, lowest first; modules not named here (urls, apps,
#: templatetags, helpers) take no part in rule 3, only in rule 4.
LAYERS = {"models": 0, "selectors": 1, "services": 2, "tasks": 3}
TOP_LAYER = 4  # views, forms, admin, management commands
TOP_NAMES = ("views", "forms", "admin", "management")


@dataclass(frozen=True)
class Import:
    """One import statement's target, as written in ``source`` at ``line``."""

    source: str
    target: str
    line: int
    module_level: bool
    type_checking: bool

    def __str__(self) -> str:
        where = "module level" if self.module_level else "inside a function"
        if self.type_checking:
            where = "TYPE_CHECKING"
        return f"{self.source}:{self.line} imports {self.target} ({where})"


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def is_composition(module: str) -> bool:
    return any(_within(module, prefix) for prefix in COMPOSITION)


def is_base(module: str) -> bool:
    return _within(module, "cto_office") and not is_composition(module)


def app_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in APPS else None


def layer_of(module: str) -> int | None:
    """``actions.services`` → 2, ``briefings.management.commands.x`` → 4, ``actions.urls`` → None."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] not in APPS:
        return None
    name = parts[1]
    if name in LAYERS:
        return LAYERS[name]
    if name in TOP_NAMES:
        return TOP_LAYER
    return None


def _modules() -> dict[str, Path]:
    """Dotted name → file, for every module of the four packages (migrations excepted:
    Django writes them and they import nothing of ours but ``django``)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    origin = _resolve(module, is_package, node)
    for alias in node.names:
        submodule = f"{origin}.{alias.name}"
        # ``from cto_office import access`` imports the module cto_office.access.
        yield submodule if submodule in MODULES else origin


def imports_of(module: str) -> list[Import]:
    """Every import in ``module``'s file that names one of our packages."""
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def visit(node: ast.AST, *, module_level: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in _targets(module, is_package, child):
                    if target.split(".")[0] in PACKAGES:
                        found.append(
                            Import(module, target, child.lineno, module_level, type_checking)
                        )
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, module_level=False, type_checking=type_checking)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit(
                        ast.Module(body=[stmt], type_ignores=[]),
                        module_level=module_level,
                        type_checking=True,
                    )
                for stmt in child.orelse:
                    visit(
                        ast.Module(body=[stmt], type_ignores=[]),
                        module_level=module_level,
                        type_checking=type_checking,
                    )
            else:
                visit(child, module_level=module_level, type_checking=type_checking)

    visit(ast.parse(path.read_text(), str(path)), module_level=True, type_checking=False)
    return found


IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


# The rules, as functions returning the offending imports (tested below, and on purpose-made cases).


def composition_violations(imports: list[Import]) -> list[str]:
    """Rule 1: an app or a base module importing the composition layer, at any level."""
    return [
        str(imp)
        for imp in imports
        if is_composition(imp.target) and (app_of(imp.source) or is_base(imp.source))
    ]


def base_violations(imports: list[Import]) -> list[str]:
    """Rule 2: a base module importing an app, other than for type checking."""
    return [
        str(imp)
        for imp in imports
        if is_base(imp.source) and app_of(imp.target) and not imp.type_checking
    ]


def layer_violations(imports: list[Import]) -> list[str]:
    """Rule 3: inside one app, a lower layer importing a higher one (TYPE_CHECKING aside)."""
    found = []
    for imp in imports:
        if imp.type_checking or app_of(imp.source) != app_of(imp.target):
            continue
        low, high = layer_of(imp.source), layer_of(imp.target)
        if low is not None and high is not None and high > low:
            found.append(str(imp))
    return found


def cycles(imports: list[Import], *, with_function_level: bool = False) -> list[list[str]]:
    """Rule 4: the strongly connected components (more than one file) of the graph of
    module-level, run-time imports between our modules (Tarjan, 1972).

    ``with_function_level=True`` adds the imports written inside functions: a cycle
    that appears only then is one dodged by an import inside a function (DESIGN: "no
    imports inside functions to dodge a cycle").
    """
    graph: dict[str, set[str]] = {}
    for imp in imports:
        runs_at_import = imp.module_level or with_function_level
        if runs_at_import and not imp.type_checking and imp.target in MODULES:
            if imp.target != imp.source:
                graph.setdefault(imp.source, set()).add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strongconnect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                strongconnect(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strongconnect(node)
    return sorted(components)


# The rule holds for the code


def test_the_walk_sees_every_package_and_both_kinds_of_import():
    assert {m.split(".")[0] for m in MODULES} == set(PACKAGES)
    assert {"cto_office.access", "cto_office.home.views", "briefings.tasks"} <= set(MODULES)
    assert any(imp.module_level for imp in IMPORTS)
    assert any(imp.type_checking for imp in IMPORTS)


def test_no_app_and_no_base_module_imports_the_composition_layer():
    assert composition_violations(IMPORTS) == []


def test_the_base_of_cto_office_imports_no_app_except_for_type_checking():
    assert base_violations(IMPORTS) == []


def test_inside_an_app_imports_point_down_the_layers():
    assert layer_violations(IMPORTS) == []


def test_no_module_level_import_cycle_between_files():
    assert cycles(IMPORTS) == []


def test_no_import_cycle_dodged_by_an_import_inside_a_function():
    assert cycles(IMPORTS, with_function_level=True) == []


# The rules catch what they should (purpose-made imports, so the test cannot pass vacuously)


def _imp(source: str, target: str, *, module_level: bool = True, type_checking: bool = False):
    return Import(source, target, 1, module_level, type_checking)


def test_the_rules_catch_each_kind_of_violation():
    assert composition_violations([_imp("actions.views", "cto_office.home.selectors")])
    assert composition_violations([_imp("cadence.tasks", "cto_office.demo", module_level=False)])
    assert composition_violations([_imp("cto_office.middleware", "cto_office.selectors")])
    assert not composition_violations([_imp("cto_office.urls", "actions.urls")])
    assert not composition_violations([_imp("actions.views", "cto_office.access")])

    assert base_violations([_imp("cto_office.access", "actions.models", module_level=False)])
    assert base_violations([_imp("cto_office.models", "actions.models")])
    assert not base_violations([_imp("cto_office.access", "actions.models", type_checking=True)])
    assert not base_violations([_imp("cto_office.home.selectors", "actions.models")])

    assert layer_violations([_imp("briefings.services", "briefings.tasks", module_level=False)])
    assert layer_violations([_imp("actions.models", "actions.selectors")])
    assert layer_violations([_imp("actions.selectors", "actions.forms")])
    assert not layer_violations([_imp("briefings.tasks", "briefings.services")])
    assert not layer_violations([_imp("actions.selectors", "actions.forms", type_checking=True)])
    assert not layer_violations([_imp("briefings.selectors", "actions.views")])  # not one app

    assert cycles(
        [
            _imp("cto_office.clock", "cto_office.models"),
            _imp("cto_office.models", "cto_office.clock"),
        ]
    ) == [["cto_office.clock", "cto_office.models"]]
    assert cycles([_imp("cto_office.clock", "cto_office.models")]) == []
    # An import inside a function is no edge of the module-level graph, but it is a dodge.
    dodged = [
        _imp("cto_office.clock", "cto_office.models"),
        _imp("cto_office.models", "cto_office.clock", module_level=False),
    ]
    assert cycles(dodged) == []
    assert cycles(dodged, with_function_level=True) == [["cto_office.clock", "cto_office.models"]]


def test_the_walk_reads_type_checking_and_function_level_imports(tmp_path, monkeypatch):
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from cto_office import access\n"
        "if TYPE_CHECKING:\n"
        "    from actions.models import ActionItem\n"
        "class Admin:\n"
        "    from cadence import models\n"
        "def later():\n"
        "    from briefings.tasks import briefing_enqueue\n"
    )
    monkeypatch.setitem(MODULES, "cto_office.sample", source)
    found = {(i.target, i.module_level, i.type_checking) for i in imports_of("cto_office.sample")}
    assert found == {
        ("cto_office.access", True, False),
        ("actions.models", True, True),
        ("cadence.models", True, False),
        ("briefings.tasks", False, False),
    }
