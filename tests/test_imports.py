"""The house rules of DESIGN.md: imports flow one way, and no two modules import each other.

Every ``import terraplan...`` statement is read from the source, including imports inside
functions (a function-local import that hides a circle is still a circle) but not those under
``if TYPE_CHECKING:``, which never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "terraplan"

#: the rooms from the bottom up; a module may import its own room or rooms below it
LAYERS = [
    {"errors", "config", "_resources"},
    {"territory"},
    {"data", "datasets"},
    {"analysis", "plan"},
    {"pipeline"},
    {"report"},
    {"cli"},
]


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _level(room: str) -> int:
    for level, rooms in enumerate(LAYERS):
        if room in rooms:
            return level
    raise AssertionError(f"room {room!r} is not placed in LAYERS")


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                hidden.update(id(n) for n in ast.walk(inner))
    return hidden


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = _type_checking_nodes(tree)
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("terraplan."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name.startswith("terraplan."):
                out.add(name)
    return out


def _graph() -> dict[str, set[str]]:
    return {
        _module_name(p): _imports(p)
        for p in sorted(SRC.rglob("*.py"))
        if p.name != "__init__.py" or p.parent != SRC
    }


def test_imports_flow_one_way():
    upward = []
    for module, targets in _graph().items():
        here = _level(_room(module))
        for target in targets:
            if _level(_room(target)) > here:
                upward.append(f"{module} imports {target}")
    assert upward == [], "imports that run up a room:\n" + "\n".join(sorted(upward))


def _resolve(name: str, modules: set[str]) -> str:
    while name and name not in modules:
        name = name.rsplit(".", 1)[0] if "." in name else ""
    return name


def test_no_import_circles():
    graph = _graph()
    modules = set(graph)
    edges = {
        m: {t for t in (_resolve(x, modules) for x in ts) if t and t != m and not m.startswith(t)}
        for m, ts in graph.items()
    }
    cycles = []
    for a, targets in edges.items():
        for b in targets:
            if a in edges.get(b, set()) and a < b:
                cycles.append(f"{a} <-> {b}")
    assert cycles == [], "modules that import each other:\n" + "\n".join(cycles)


@pytest.mark.parametrize(
    ("room", "text"), [("territory", "terraplan.data.panel"), ("data", "terraplan.report.i18n")]
)
def test_the_rule_can_fail(room, text):
    assert _level(room) < _level(_room(text))
