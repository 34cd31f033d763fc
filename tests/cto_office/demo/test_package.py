"""The demo package's structure: imports point one way, none hides inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import cto_office.demo

PACKAGE = Path(cto_office.demo.__file__).resolve().parent
MODULES = sorted(PACKAGE.glob("*.py"))
#: The ``derive`` subpackage's modules: read for imports inside functions too.
DERIVE_MODULES = sorted((PACKAGE / "derive").glob("*.py"))


def demo_imports(path: Path) -> tuple[set[str], list[int]]:
    """(demo modules imported at module level, line numbers of imports inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "cto_office.demo":
                top |= {alias.name for alias in node.names}
            elif node.module.startswith("cto_office.demo."):
                top.add(node.module.rsplit(".", 1)[-1])
        elif isinstance(node, ast.Import):
            top |= {
                a.name.rsplit(".", 1)[-1]
                for a in node.names
                if a.name.startswith("cto_office.demo.")
            }
    nested = [
        inner.lineno
        for func in ast.walk(tree)
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(func)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    ]
    modules = {p.stem for p in MODULES}
    return top & modules, nested


#: ``derive.pseudonyms`` imports Faker inside ``Pseudonyms`` on purpose: an optional development
#: dependency that only ``derive_demo_data`` needs, not a cycle being dodged.
OPTIONAL_DEPENDENCY_IMPORTS = {"derive/pseudonyms.py"}


def test_no_import_inside_a_function():
    nested = {
        path.relative_to(PACKAGE).as_posix(): demo_imports(path)[1]
        for path in [*MODULES, *DERIVE_MODULES]
        if path.relative_to(PACKAGE).as_posix() not in OPTIONAL_DEPENDENCY_IMPORTS
    }
    assert {name: lines for name, lines in nested.items() if lines} == {}


def test_the_demo_modules_form_no_cycle():
    graph = {path.stem: demo_imports(path)[0] - {path.stem} for path in MODULES}
    assert graph["seed"] >= {"organisation", "meetings", "escalations", "actions", "okrs"}
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " → ".join((*trail, module))
        if module in done:
            return
        for imported in graph.get(module, ()):
            visit(imported, (*trail, module))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_content_and_loader_import_no_generator():
    for name in ("content", "loader"):
        imported, _ = demo_imports(PACKAGE / f"{name}.py")
        assert imported == set(), name
