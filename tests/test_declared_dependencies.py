"""Each workspace package declares what its code imports (issue 8, STYLE §9): a service that uses a
library only a sibling declares installs fine in the workspace and fails in its own container image.
`tools/check_service_installs.sh` proves the same by installing each service alone; this finds it in
every module, not only those the composition root imports."""

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [ROOT / "shared", ROOT / "deploy", *sorted((ROOT / "services").iterdir())]


def imported_top_level_modules(source_dir: Path) -> set[str]:
    modules: set[str] = set()
    for path in source_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    """Third-party modules → the distributions that provide them (stdlib and unknown names dropped)."""
    providers = packages_distributions()
    return {module: {canonicalize_name(d) for d in providers[module]}
            for module in modules - set(sys.stdlib_module_names) if module in providers}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_imported_library_is_declared_by_the_package_itself(package: Path) -> None:
    project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    declared = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    own = canonicalize_name(project["name"])
    undeclared = {module: providers for module, providers in
                  distributions_of(imported_top_level_modules(package / "src")).items()
                  if not providers & (declared | {own})}
    assert not undeclared, f"{project['name']} imports without declaring: {sorted(undeclared)}"
