"""The shape the code keeps (issue 9, STYLE §1): rules in `domain/` are pure, the shared library's pure
parts stay pure, and nothing imports in a circle. Read from the source, so it needs no infrastructure."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_ROOTS = [ROOT / "shared/src", *sorted((ROOT / "services").glob("*/src"))]
# I/O and frameworks: a rule that needs one of these is not a rule but a use case or an adapter.
FORBIDDEN_IN_PURE_CODE = {"sqlalchemy", "asyncpg", "alembic", "fastapi", "starlette", "faststream", "aiokafka",
                          "httpx", "uvicorn", "prometheus_client"}
PURE_SHARED = ["platform_shared.errors", "platform_shared.contracts", "platform_shared.time", "platform_shared.auth",
               "platform_shared.auth.offer_links"]


def module_file(module: str) -> Path | None:
    relative = Path(*module.split("."))
    for root in SOURCE_ROOTS:
        for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
            if candidate.exists():
                return candidate
    return None


def imports_of(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module, f"{path}: the project uses absolute imports only"
            yield node.module
            # `from package import module` names a module as often as an attribute.
            yield from (f"{node.module}.{alias.name}" for alias in node.names
                        if module_file(f"{node.module}.{alias.name}"))


def reachable_imports(start: str) -> dict[str, str]:
    """Every module `start` imports, directly or through the project's own modules: name → who imports it."""
    seen: dict[str, str] = {}
    todo = [start]
    while todo:
        module = todo.pop()
        path = module_file(module)
        if path is None:
            continue
        for imported in imports_of(path):
            if imported not in seen:
                seen[imported] = module
                todo.append(imported)
    return seen


def pure_modules() -> list[str]:
    domains = [f"{path.parent.name}.domain.{file.stem}" for path in (ROOT / "services").glob("*/src/*/domain")
               for file in sorted(path.glob("*.py")) if file.stem != "__init__"]
    return sorted(domains) + [module for package in PURE_SHARED for module in modules_of(package)]


def modules_of(name: str) -> list[str]:
    """A module, or a package with each of its modules (its __init__ alone imports next to nothing)."""
    path = module_file(name)
    if path is None or path.name != "__init__.py":
        return [name]
    return [name] + [f"{name}.{file.stem}" for file in sorted(path.parent.glob("*.py")) if file.stem != "__init__"]


@pytest.mark.parametrize("module", pure_modules())
def test_pure_code_reaches_no_io_or_framework(module: str) -> None:
    reached = reachable_imports(module)
    offending = {name: via for name, via in reached.items() if name.split(".")[0] in FORBIDDEN_IN_PURE_CODE}
    assert not offending, f"{module} reaches I/O or a framework (module ← imported by): {offending}"


def test_the_shared_library_has_no_import_cycle() -> None:
    modules = [".".join(path.relative_to(ROOT / "shared/src").with_suffix("").parts)
               for path in (ROOT / "shared/src/platform_shared").rglob("*.py") if path.name != "__init__.py"]
    cycles = [module for module in modules if module in reachable_imports(module)]
    assert not cycles, f"these modules import themselves through others: {cycles}"


MAX_FILE_LINES, MAX_CLASS_LINES = 300, 150
"""STYLE §11: a module past these sizes has usually taken on a second job."""


def test_no_module_or_class_outgrows_one_job() -> None:
    too_big = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts or "versions" in path.parent.parts:  # Alembic migrations are history
            continue
        source = path.read_text()
        if source.count("\n") > MAX_FILE_LINES:
            too_big.append(f"{path.relative_to(ROOT)}: {source.count(chr(10))} lines")
        too_big += [f"{path.relative_to(ROOT)}:{node.name}: {node.end_lineno - node.lineno + 1} lines"
                    for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ClassDef)
                    and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES]
    assert not too_big, too_big
