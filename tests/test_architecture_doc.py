"""docs/architecture.md stays honest: every path its runbook table names exists, every runbook section the code
cites has a row, and every file the rest of the document names is in the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs/architecture.md"
PACKAGES = {path.name: path for path in [*ROOT.glob("*/src/*"), *ROOT.glob("services/*/src/*")]
            if (path / "__init__.py").exists()}
"""`lottery_service/…`, `platform_shared/…`, `platform_deploy/…`: where the table's package-led paths start."""
TOP_DIRECTORIES = {path.name for path in ROOT.iterdir() if path.is_dir() and not path.name.startswith(".")}
CITATION = re.compile(r"\b(?:seed|runbook)(?:'s)?\b(?:(?!SPEC)[^§\n]){0,16}?"
                      r"(§\s?\d+(?:\.\d+)?(?:,\s*§\s?\d+(?:\.\d+)?)*)", re.IGNORECASE)
"""`seed §6.3`, `runbook §3.5, §14.2`, `the seed's pre-check (§3.1)`; not SPEC's sections nor an RFC's."""
SECTION = re.compile(r"§\s?(\d+(?:\.\d+)?)")
TABLE_HEADING = "## Runbook section → code"


def runbook_rows() -> list[tuple[str, str]]:
    """(sections cell, module cell) of each row of the runbook table."""
    table = DOC.read_text().split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    cells = [[cell.strip() for cell in line.strip().strip("|").split("|")]
             for line in table.splitlines() if line.startswith("| §")]
    return [(row[0], row[2]) for row in cells]


def sections_of(cell: str) -> set[str]:
    """The runbook sections a row names (`SPEC §9` in the same cell is the spec's, not the runbook's)."""
    return set(SECTION.findall(re.sub(r"SPEC §\s?[\d.]+", "", cell)))


def resolve(cell: str) -> list[tuple[str, Path | None]]:
    """Each path of a module cell and the file it names (None when it names none, or more than one place)."""
    resolved: list[tuple[str, Path | None]] = []
    package: Path | None = None
    for name in re.findall(r"`([^`]+)`", cell):
        first = name.split("/", 1)[0]
        if first in PACKAGES:
            package = PACKAGES[first]
            candidates = [package.parent / name]
        elif first in TOP_DIRECTORIES:
            candidates = [ROOT / name]
        else:
            candidates = [package / name] if package is not None else []
        existing = [path for path in candidates if path.exists()]
        resolved.append((name, existing[0] if len(existing) == 1 else None))
    return resolved


def cited_sections() -> dict[str, str]:
    """Every runbook section the source cites → one place that cites it."""
    cited: dict[str, str] = {}
    for path in sorted([*ROOT.glob("services/*/src/**/*.py"), *ROOT.glob("shared/src/**/*.py")]):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for citation in CITATION.findall(line):
                for section in SECTION.findall(citation):
                    cited.setdefault(section, f"{path.relative_to(ROOT)}:{number}")
    return cited


def covers(row_sections: set[str], section: str) -> bool:
    """A row covers its own sections, a subsection of a chapter it names, and a chapter whose part it names."""
    chapter = section.split(".")[0]
    return section in row_sections or chapter in row_sections or \
        any(named.split(".")[0] == section for named in row_sections)


def test_every_path_of_the_runbook_table_exists() -> None:
    missing = [f"{cell_sections}: `{name}`" for cell_sections, cell in runbook_rows()
               for name, path in resolve(cell) if path is None]
    assert not missing, f"docs/architecture.md's runbook table names paths that do not exist: {missing}"


def test_every_runbook_section_the_code_cites_has_a_row() -> None:
    named = [sections_of(cell) for cell, _ in runbook_rows()]
    assert named and all(named), "every row of the runbook table names a section"
    missing = {section: where for section, where in cited_sections().items()
               if not any(covers(row, section) for row in named)}
    assert not missing, f"runbook sections the code implements but docs/architecture.md's table misses: {missing}"


def test_every_file_the_document_names_exists() -> None:
    files = {"/" + str(path.relative_to(ROOT)) for path in ROOT.rglob("*")
             if ".venv" not in path.parts and ".git" not in path.parts}
    named = set(re.findall(r"`([\w./-]+\.(?:py|md))`", DOC.read_text()))
    missing = sorted(name for name in named if not any(path.endswith("/" + name) for path in files))
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"
