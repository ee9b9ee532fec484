"""Dependencies point one way: checks over the import graph, built from the source with ast.

Run it as a script to see every import circle among the project's modules:

    .venv/bin/python tests/project/test_architecture.py [another checkout's directory]

An import counts wherever it is written (at the top or inside a function), except under
``if TYPE_CHECKING:``, which never runs. Importing ``a.b.c`` also runs the packages ``a``
and ``a.b`` unless the importing module is already inside them (Python is then loading them).
"""

from __future__ import annotations

import ast
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("events", "home")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Yield the Import and ImportFrom nodes that run (not those under TYPE_CHECKING)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _imports_of(child))
            continue
        yield from _imports_of(node)


def _imports_of(node: ast.AST):
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def import_graph() -> dict[str, set[str]]:
    """Give {module: the project modules its code imports} for events/ and home/."""
    modules = _sources()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in _imports(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    targets.append(candidate if candidate in modules else base)
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if not target or target == name:
                    continue
                graph[name].add(target)
                # Importing a.b.c runs a.b first, unless this module is inside a.b already.
                parent = target.rpartition(".")[0]
                while parent:
                    if parent in modules and not (name + ".").startswith(parent + "."):
                        graph[name].add(parent)
                    parent = parent.rpartition(".")[0]
    return graph


def circle_through(graph: dict[str, set[str]], module: str) -> list[str] | None:
    """Give one import circle that starts and ends at `module`, or None."""
    came_from: dict[str, str] = {}
    queue = deque([module])
    while queue:
        current = queue.popleft()
        for nxt in sorted(graph.get(current, ())):
            if nxt == module:
                path = [current]
                while path[-1] != module:
                    path.append(came_from[path[-1]])
                return [module, *reversed(path[:-1]), module]
            if nxt not in came_from:
                came_from[nxt] = current
                queue.append(nxt)
    return None


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Give the modules that form import circles, one list per strongly connected group."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_sees_the_imports_it_should():
    graph = import_graph()
    # Checks on the checker: a relative import, a package import and a function-level one.
    assert "events.schedule" in graph["events.filters"]
    assert "events.models" in graph["events.feeds"]
    assert "events.models.events" in graph["events.models.calendar"]
    assert "events.feeds" in graph["events.signals"]  # inside a function


def test_no_import_circle_joins_the_filters_and_the_models():
    graph = import_graph()
    assert circle_through(graph, "events.filters") is None, circle_through(graph, "events.filters")
    assert not any("events.filters" in group for group in circles(graph)), (
        "events/filters.py is in an import circle"
    )


def test_no_module_under_home_imports_checkin():
    graph = import_graph()
    offenders = sorted(
        name
        for name, targets in graph.items()
        if name.split(".")[0] == "home"
        and any(t == "events.checkin" or t.startswith("events.checkin.") for t in targets)
    )
    assert offenders == []


if __name__ == "__main__":
    # Another checkout's source may be given: `... test_architecture.py /path/to/checkout`.
    if len(sys.argv) > 1:
        ROOT = Path(sys.argv[1]).resolve()
    found = circles(import_graph())
    for group in found:
        print("circle:", " <-> ".join(group))
    print(f"{len(found)} import circle(s) among events/ and home/")
