"""How `lottery-ops` shows things to people: tables no wider than the terminal with nothing cut into `…`, ids
shortened only to prefixes that stay unique, nested data as sub-tables (never JSON in a cell)."""

import re

from rich.console import Console

from platform_deploy.ops.output import fields_of, renderable, table_of, unique_prefixes

RUNS = ["b0fc21aa-1111-4000-8000-000000000001", "b0fc21aa-2222-4000-8000-000000000002",
        "c9e1d3f0-3333-4000-8000-000000000003"]


def printed(thing: object, width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    with console.capture() as captured:
        console.print(thing)
    return captured.get()


def test_unique_prefixes_are_as_short_as_allowed_and_never_shared() -> None:
    prefixes = unique_prefixes(RUNS)
    assert prefixes[RUNS[0]] == "b0fc21aa-1" and prefixes[RUNS[1]] == "b0fc21aa-2"
    assert prefixes[RUNS[2]] == "c9e1d3f0", "no shorter than 8 even when 1 would do"
    assert len(set(prefixes.values())) == len(RUNS)
    assert unique_prefixes(["demo", "demo-b"], shortest=2) == {"demo": "demo", "demo-b": "demo-"}


def test_a_table_that_fits_shows_ids_whole() -> None:
    rows = [{"id": run, "status": "completed"} for run in RUNS]
    text = printed(table_of(rows, ["id", "status"], None, 120), 120)
    assert all(run in text for run in RUNS) and "…" not in text


def test_a_narrow_terminal_shortens_ids_to_unique_prefixes_and_cuts_nothing() -> None:
    rows = [{"id": run, "campaign_id": f"demo-b0fc21-campaign-{n}", "status": "completed"}
            for n, run in enumerate(RUNS)]
    for width in (60, 80):
        text = printed(table_of(rows, ["id", "campaign_id", "status"], None, width), width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "…" not in text, "never an ellipsis"
        assert "b0fc21aa-1" in text and "b0fc21aa-2" in text, "the prefixes tell the two runs apart"
        flat = re.sub(r"[\s│┃|]", "", text)
        assert all(f"demo-b0fc21-campaign-{n}" in flat for n in range(3)), "names fold, whole"


def test_nested_data_is_sub_tables_never_json() -> None:
    dry_run = {"excluded": {"blacklist": 2, "suspicious": 1}, "pass_rates": {"intro": 0.5, "adgate": None},
               "instances": [{"service": "lottery", "policy_version": 3}, {"service": "notifier",
                                                                            "policy_version": 2}],
               "tags": ["a", "b"], "empty": {}}
    text = printed(fields_of(dry_run), 100)
    assert "{" not in text and '"' not in text and "[" not in text
    assert re.search(r"blacklist\s+2", text) and re.search(r"intro\s+0\.5", text)
    assert re.search(r"service\s+policy_version", text), "a list of records gets a header"
    assert re.search(r"notifier\s+2", text) and "a, b" in text
    assert printed(renderable({"counts": {"queued": 1}}), 80).split() == ["counts", "queued", "1"]
