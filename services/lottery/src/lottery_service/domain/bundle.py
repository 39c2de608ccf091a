"""The public verification bundle of a run: everything an outsider needs to check the draw end to
end with tools/verify_draw.py, and no Kakao user id. Pure.

Every entry of the frozen set appears once, under its pseudonym (docs/draw-algorithm.md §2), with its
decision and weight; eligible ones with their key, ranked ones with rank and outcome. Lines are sorted by
pseudonym, so their order says nothing. Under LOTTERY3 the pseudonym is the entrant's draw id, which the
entrant is told on login and nobody can compute from a Kakao id; under LOTTERY2 it was c_i, which anyone with
the seed can. Every run of the campaign is listed, rolled back ones too."""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from lottery_service.domain.draw_engine import Algorithm, Entrants, exponential_keys
from lottery_service.domain.eligibility import DRAWN, DRAWN_CODES, decision_names
from lottery_service.domain.frozen_set import FrozenEntries
from lottery_service.domain.pseudonyms import pseudonyms

FORMAT = "lottery-bundle/1"
FORMAT_2 = "lottery-bundle/2"
"""LOTTERY4 on: the commitment record, the beacon round and the public log's chain (docs/draw-algorithm.md §8.7)."""


@dataclass(frozen=True)
class Ranked:
    rank: int
    outcome: str


def bundle_chunks(header: Mapping[str, Any], seed: bytes, algorithm: Algorithm, frozen: FrozenEntries,
                  draw_ids: np.ndarray, ranked: Mapping[int, Ranked], chunk: int = 10_000) -> Iterator[str]:
    """The bundle as JSON text in chunks (a million entries stream rather than pile up): the header's
    fields, then `entries`. `draw_ids` align with the frozen set's users (the user ids before LOTTERY3)."""
    drawn = np.isin(frozen.decisions, DRAWN_CODES)
    keys = np.full(len(frozen.user_ids), np.nan)
    keys[drawn] = exponential_keys(seed, Entrants(frozen.user_ids[drawn], frozen.weights[drawn], draw_ids[drawn]),
                                   algorithm)
    names = pseudonyms(seed, draw_ids, algorithm)
    # By pseudonym, then decision code, then weight (a legacy duplicate shares its user's pseudonym).
    order = np.lexsort((frozen.weights, frozen.decisions, np.array(names, dtype="U32")))
    bundle_format = FORMAT_2 if algorithm.beacon else FORMAT
    yield json.dumps({"format": bundle_format, **header, "algorithm": algorithm.name})[:-1] + ', "entries": ['
    users, decisions, weights = frozen.user_ids.tolist(), decision_names(frozen.decisions), frozen.weights.tolist()
    key_list = keys.tolist()
    for start in range(0, len(order), chunk):
        part = order[start : start + chunk].tolist()
        lines = (json.dumps(_line(names[i], decisions[i], weights[i], key_list[i], ranked.get(users[i])))
                 for i in part)
        yield ("," if start else "") + ",".join(lines)
    yield "]}"


def _line(name: str, decision: str, weight: float, key: float, place: Ranked | None) -> dict[str, Any]:
    line: dict[str, Any] = {"pseudonym": name, "decision": decision, "weight": weight}
    if decision in DRAWN:
        line["key"] = key
        line["rank"], line["outcome"] = (place.rank, place.outcome) if place else (None, "not_selected")
    return line
