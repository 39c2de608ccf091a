"""The shape the code keeps (STYLE §1): rules in `domain/` are pure, the shared library's pure
parts stay pure, every import goes down the layers (docs/architecture.md), and nothing imports in a circle.
Read from the source, so it needs no infrastructure."""

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

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


def located_imports(path: Path) -> Iterator[tuple[str, int]]:
    """Every module `path` imports, with the line that imports it."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module, f"{path}: the project uses absolute imports only"
            yield node.module, node.lineno
            # `from package import module` names a module as often as an attribute.
            yield from ((f"{node.module}.{alias.name}", node.lineno) for alias in node.names
                        if module_file(f"{node.module}.{alias.name}"))


def imports_of(path: Path) -> Iterator[str]:
    yield from (module for module, _ in located_imports(path))


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



SHARED = ROOT / "shared/src/platform_shared"
SHARED_LAYERS: list[tuple[str, ...]] = [
    ("contracts", "errors", "failpoints", "rounds", "time", "auth", "i18n"),  # the kernel: vocabulary and rules, no I/O
    ("db",),  # engine, sessions, COPY, outages, the platform's revisions
    ("messaging",),  # outbox, inbox, consumer, dead letters, consumer controls, the cached policy
    ("audit",),  # the hash chain anchors every record through the outbox
    ("application",),  # a use case's unit of work, two-step confirmations, dead-letter redrive
    ("client", "kakao", "observability"),  # the typed admin client, Kakao login; metrics read messaging's tables
    ("web",),  # the routes and the HTTP edge
    ("service",),  # the skeleton: settings, runtime wiring, migrations, serve()
]
"""platform_shared's packages (and top-level modules), lowest first: a package imports only from layers below."""
SHARED_SIDEWAYS = {("time", "contracts"), ("auth", "contracts"), ("auth", "errors"), ("auth", "time"), ("i18n", "time")}
"""The imports allowed inside one layer (importer, imported); the kernel's rules read its vocabulary."""
KERNEL = set(SHARED_LAYERS[0])


class Located(NamedTuple):
    """One import: where it is written and what it names."""

    path: Path
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: imports {self.module}"


def imports_under(directory: Path) -> Iterator[Located]:
    for path in sorted(directory.rglob("*.py")):
        yield from (Located(path, line, module) for module, line in located_imports(path))


def shared_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "platform_shared" and len(parts) > 1 else None


def shared_rank(package: str) -> int:
    """A package no layer names ranks above them all (test_every_shared_package_has_a_layer names it)."""
    return next((rank for rank, layer in enumerate(SHARED_LAYERS) if package in layer), len(SHARED_LAYERS))


def test_every_shared_package_has_a_layer() -> None:
    packages = {path.stem for path in SHARED.iterdir() if path.name != "__init__.py"
                and (path.suffix == ".py" or (path / "__init__.py").exists())}
    unplaced = packages - {package for layer in SHARED_LAYERS for package in layer}
    assert not unplaced, f"place these platform_shared packages in SHARED_LAYERS: {sorted(unplaced)}"


def test_the_shared_library_imports_only_downward() -> None:
    upward = []
    for found in imports_under(SHARED):
        importer = found.path.relative_to(SHARED).parts[0].removesuffix(".py")
        imported = shared_package(found.module)
        if imported is None or importer in ("__init__", imported):
            continue
        if shared_rank(imported) > shared_rank(importer):
            upward.append(f"{found} ({importer} may not import {imported}, a layer above it)")
        elif shared_rank(imported) == shared_rank(importer) and (importer, imported) not in SHARED_SIDEWAYS:
            upward.append(f"{found} ({importer} and {imported} share a layer; SHARED_SIDEWAYS does not allow it)")
    assert not upward, "platform_shared imports only downward (SHARED_LAYERS):\n" + "\n".join(upward)


ENTRY_POINTS, BOOTSTRAP, MAIN = "entry points", "bootstrap", "main"
DOMAIN, ADAPTERS, USE_CASES = "domain", "adapters", "use cases"
SERVICE_FORBIDS = {
    DOMAIN: {ADAPTERS, USE_CASES, ENTRY_POINTS, BOOTSTRAP, MAIN},
    ADAPTERS: {USE_CASES, ENTRY_POINTS, BOOTSTRAP, MAIN},
    USE_CASES: {ENTRY_POINTS, BOOTSTRAP, MAIN},
    ENTRY_POINTS: {BOOTSTRAP, MAIN},
    BOOTSTRAP: {MAIN},
    MAIN: set(),
}
"""What each layer of a service may not import of its own service (docs/architecture.md, "Layers inside a
service"); the composition root (`bootstrap.py`) is imported by `main.py` alone."""
SERVICES = sorted(path for path in (ROOT / "services").glob("*/src/*_service"))
PACKAGE_LAYERS = {"domain": DOMAIN, "adapters": ADAPTERS, "application": USE_CASES, "entrypoints": ENTRY_POINTS,
                  "migrations": ENTRY_POINTS}
"""The layout every service keeps (docs/architecture.md, "Layers inside a service"): its packages, by layer."""
TOP_MODULE_LAYERS = {"__init__": USE_CASES, "access": USE_CASES, "settings": USE_CASES, "metrics": USE_CASES,
                     "bootstrap": BOOTSTRAP, "main": MAIN}
"""...and the only modules beside them. The access table, settings and metrics are read by use cases, entry
points and the composition root alike, so they sit at the use cases' level."""


def service_layer(module_path: Path) -> str:
    """`module_path` relative to its service package."""
    top, stem = module_path.parts[0], module_path.stem
    if top in PACKAGE_LAYERS:
        return PACKAGE_LAYERS[top]
    if len(module_path.parts) == 1 and stem in TOP_MODULE_LAYERS:
        return TOP_MODULE_LAYERS[stem]
    raise AssertionError(f"{module_path} is in no layer: test_every_service_has_one_layout names it")


def service_module_path(module: str) -> Path | None:
    path = module_file(module)
    for service in SERVICES:
        if path is not None and path.is_relative_to(service):
            return path.relative_to(service)
    return None


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.name)
def test_a_service_imports_only_downward(service: Path) -> None:
    wrong = []
    for found in imports_under(service):
        importer = service_layer(found.path.relative_to(service))
        top = found.module.split(".")[0]
        if top.endswith("_service") and top != service.name:
            wrong.append(f"{found} (services meet over Kafka, never by import)")
        elif top == service.name and (target := service_module_path(found.module)) is not None \
                and (imported := service_layer(target)) in SERVICE_FORBIDS[importer]:
            wrong.append(f"{found} ({importer} may not import {imported})")
        elif importer == DOMAIN and (package := shared_package(found.module)) is not None and package not in KERNEL:
            wrong.append(f"{found} (the rules may use the shared kernel only: {sorted(KERNEL)})")
    assert not wrong, f"{service.name} imports only downward (SERVICE_FORBIDS):\n" + "\n".join(wrong)

def holds_files(directory: Path) -> bool:
    """Whether a directory holds anything but Python's byte-code caches (what a `git mv` leaves behind)."""
    return any(path.is_file() and "__pycache__" not in path.parts for path in directory.rglob("*"))


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.name)
def test_every_service_has_one_layout(service: Path) -> None:
    strays = sorted(str(path.relative_to(ROOT)) for path in service.iterdir() if path.name != "__pycache__"
                    and not (path.is_dir() and (path.name in PACKAGE_LAYERS or not holds_files(path)))
                    and not (path.suffix == ".py" and path.stem in TOP_MODULE_LAYERS))
    assert not strays, (f"{service.name} keeps only {sorted(PACKAGE_LAYERS)} and the modules "
                        f"{sorted(TOP_MODULE_LAYERS)} at its top; move these: {strays}")


MAX_FILE_LINES, MAX_CLASS_LINES = 300, 150
"""STYLE §11: a module past these sizes has usually taken on a second job."""
STANDALONE_FILE_LINES = {"tools/verify_draw.py": 650}
"""The outsider's verifier is one file to download and read (docs/draw-algorithm.md §6): every bundle version's
checks stay in it, each its own function."""


def test_no_module_or_class_outgrows_one_job() -> None:
    too_big = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts or "versions" in path.parent.parts:  # Alembic migrations are history
            continue
        source = path.read_text()
        if source.count("\n") > STANDALONE_FILE_LINES.get(str(path.relative_to(ROOT)), MAX_FILE_LINES):
            too_big.append(f"{path.relative_to(ROOT)}: {source.count(chr(10))} lines")
        too_big += [f"{path.relative_to(ROOT)}:{node.name}: {node.end_lineno - node.lineno + 1} lines"
                    for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ClassDef)
                    and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES]
    assert not too_big, too_big
