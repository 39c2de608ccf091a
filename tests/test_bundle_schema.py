"""docs/bundle.schema.json describes the bundles tools/verify_draw.py checks: both small bundles 2 written from
the document, a bundle 1 from the service's own writer and the first bundles' shape (runs as ids only) are
valid; a bundle 2 missing its log, or with a weight as a JSON number in a hashed change list, is not."""

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.draw_bundles import bundle_2
from tests.test_verify_draw import bundle_1

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "bundle.schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA)


def errors(bundle: dict[str, Any]) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(bundle)]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("run", ["run-1", "run-2"])
def test_the_bundles_2_are_valid(run: str) -> None:
    assert errors(bundle_2(run)) == []


def test_a_bundle_1_is_valid_with_or_without_its_later_fields() -> None:
    bundle = bundle_1()
    assert errors(bundle) == []
    first = {k: v for k, v in bundle.items() if k not in ("draw_at_kst", "reopenings")} | {"runs": [{"run_id": "r2"}]}
    assert errors(first) == []


def test_a_bundle_2_without_its_log_or_with_a_weight_as_a_number_is_not() -> None:
    bundle = bundle_2()
    del bundle["log"]
    assert errors(bundle)
    bundle = bundle_2()
    reclose = next(e for e in bundle["log"]["entries"] if e["kind"] == "reclosed")
    reclose["record"]["changes"][0]["weight_to"] = 2.0
    assert errors(bundle)
