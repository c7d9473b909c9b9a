"""The shape of intake/: imports go one way, files and views stay short, no folder dominates.

Read from the source with `ast`, so these hold for every module, imported by a test or not.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "intake"
MAX_FILE_LINES = 350
MAX_VIEW_LINES = 25
MAX_FOLDER_SHARE = 0.25
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete", "errorhandler"}


def modules() -> dict[str, Path]:
    """Return every module of the package by dotted name (a package is its __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Return the modules of the package that a module imports, wherever the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
    return found & set(known)


def import_graph() -> dict[str, set[str]]:
    """Return module → the package's modules it imports."""
    known = modules()
    return {name: imports(name, path, known) - {name} for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def top_level(name: str) -> str:
    """Return the floor or package a module belongs to: intake.mail.outbox → intake.mail."""
    return ".".join(name.split(".")[:2])


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_import_circle_between_modules():
    assert circles(import_graph()) == []


def test_no_import_circle_between_packages():
    graph: dict[str, set[str]] = {}
    for name, targets in import_graph().items():
        graph.setdefault(top_level(name), set()).update(
            top_level(target) for target in targets if top_level(target) != top_level(name))
    assert circles(graph) == []


def test_no_file_over_350_lines():
    long = {name: line_count(path) for name, path in modules().items()
            if line_count(path) > MAX_FILE_LINES}
    assert long == {}


def long_views(name: str, source: str) -> dict[str, int]:
    """Return the routed functions (views, error handlers) of a module over the limit."""
    long = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        routed = any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                     and d.func.attr in ROUTE_DECORATORS for d in node.decorator_list)
        length = node.end_lineno - node.lineno + 1
        if routed and length > MAX_VIEW_LINES:
            long[f"{name}.{node.name}"] = length
    return long


def test_no_view_over_25_lines():
    long = {}
    for name, path in modules().items():
        long.update(long_views(name, path.read_text(encoding="utf-8")))
    assert long == {}


def test_no_folder_holds_over_a_quarter_of_the_lines():
    by_folder: dict[str, int] = {}
    for path in modules().values():
        folder = str(path.parent.relative_to(PACKAGE.parent))
        by_folder[folder] = by_folder.get(folder, 0) + line_count(path)
    total = sum(by_folder.values())
    assert {f: n for f, n in by_folder.items() if n > total * MAX_FOLDER_SHARE} == {}


def test_the_checks_see_a_circle_and_a_long_view():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    body = "    x = 1\n" * 24
    source = (f"@bp.post('/x')\ndef view():\n{body}    return x\n\n\n"
              f"def helper():\n{body}{body}")
    assert long_views("m", source) == {"m.view": 26}
