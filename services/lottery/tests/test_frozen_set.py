"""The entry set frozen at close (domain/frozen_set.py): one record per entry with a pseudonym, its decision
and its weight; any flipped decision or changed weight changes the hash, row order does not, and no draw
id appears in the records; a plain-Python re-implementation from the doc's words agrees."""

import hashlib
import struct

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lottery_service.domain.draw_engine import CURRENT, LOTTERY3
from lottery_service.domain.eligibility import decision_codes
from lottery_service.domain.frozen_set import corrections, frozen_records, frozen_set_hash
from lottery_service.domain.pseudonyms import pseudonyms

SEED = bytes(range(32))
USERS = np.array([1_000_001, 1_000_002, 1_000_003, 1_000_003], dtype=np.uint64)
DECISIONS = decision_codes(["eligible", "suspicious", "eligible", "duplicate"])
WEIGHTS = np.array([1.0, 2.5, 3.0, 3.0])


def hash_of(users: np.ndarray = USERS, decisions: np.ndarray = DECISIONS, weights: np.ndarray = WEIGHTS) -> str:
    return frozen_set_hash(SEED, CURRENT, users, decisions, weights)


def test_every_decision_and_weight_is_bound_and_row_order_is_not() -> None:
    flipped, heavier = DECISIONS.copy(), WEIGHTS.copy()
    flipped[1], heavier[0] = decision_codes(["eligible"])[0], 1.5
    assert len({hash_of(), hash_of(decisions=flipped), hash_of(weights=heavier)}) == 3
    order = np.array([3, 1, 0, 2])
    assert hash_of(USERS[order], DECISIONS[order], WEIGHTS[order]) == hash_of()


def test_the_records_name_pseudonyms_never_kakao_user_ids_and_match_the_documented_bytes() -> None:
    raw = frozen_records(SEED, LOTTERY3, USERS, DECISIONS, WEIGHTS).tobytes()
    assert not any(struct.pack("<Q", int(u)) in raw for u in USERS)
    names = pseudonyms(SEED, USERS, LOTTERY3)  # LOTTERY3: the draw id's 8 bytes; the record holds c_i from it
    encrypt = Cipher(algorithms.AES(SEED), modes.ECB()).encryptor().update
    documented = sorted((encrypt(b"LOTTERY3" + bytes.fromhex(name)), int(code), float(weight))
                        for name, code, weight in zip(names, DECISIONS.tolist(), WEIGHTS.tolist(), strict=True))
    plain = b"".join(p + struct.pack("<bd", code, weight) for p, code, weight in documented)
    assert hashlib.sha256(plain).hexdigest() == frozen_set_hash(SEED, LOTTERY3, USERS, DECISIONS, WEIGHTS)
    assert len(set(pseudonyms(SEED, np.arange(1, 10_001, dtype=np.uint64)))) == 10_000


def test_lottery4_records_are_draw_ids_in_byte_order_and_need_no_seed() -> None:
    """§8.2: p_i's 8 little-endian bytes || code || weight, sorted by those bytes, then code, then weight (the
    legacy duplicate of 1_000_003 shares its pseudonym and sorts by its code); no seed enters the hash."""
    documented = sorted((struct.pack("<Q", int(p)), int(code), float(weight))
                        for p, code, weight in zip(USERS.tolist(), DECISIONS.tolist(), WEIGHTS.tolist(), strict=True))
    plain = b"".join(p + struct.pack("<bd", code, weight) for p, code, weight in documented)
    assert hashlib.sha256(plain).hexdigest() == hash_of()
    assert frozen_set_hash(bytes(32), CURRENT, USERS, DECISIONS, WEIGHTS) == hash_of(), "the seed plays no part"
    wrapped = np.array([0x01FF, 0x0200], dtype=np.uint64)  # numerically 0x01FF < 0x0200; by bytes ff.. > 00..
    codes = decision_codes(["eligible", "eligible"])
    by_bytes = b"".join(struct.pack("<Q", int(p)) + struct.pack("<bd", 0, 1.0) for p in (0x0200, 0x01FF))
    assert frozen_set_hash(SEED, CURRENT, wrapped, codes, np.ones(2)) == hashlib.sha256(by_bytes).hexdigest()


def test_a_corrections_list_names_every_changed_weight_as_well_as_every_changed_decision() -> None:
    """Issue item 6: a recalculation during a correction changes weights without any decision; the public change
    list must show each (§8.5), under the pseudonym, never the Kakao id."""
    after_decisions, after_weights = DECISIONS.copy(), WEIGHTS.copy()
    after_weights[0] = 1.5  # recalculated: same decision
    after_decisions[2] = decision_codes(["blacklist"])[0]  # excluded: same weight
    changes = corrections(USERS, DECISIONS, WEIGHTS, after_decisions, after_weights)
    assert changes == [
        {"pseudonym": struct.pack("<Q", 1_000_001).hex(), "from": "eligible", "to": "eligible",
         "weight_from": "1.0", "weight_to": "1.5"},
        {"pseudonym": struct.pack("<Q", 1_000_003).hex(), "from": "eligible", "to": "blacklist",
         "weight_from": "3.0", "weight_to": "3.0"}]
    assert corrections(USERS, DECISIONS, WEIGHTS, DECISIONS, WEIGHTS) == [], "nothing changed, nothing listed"


def test_a_duplicates_rows_in_the_change_list_are_ordered_by_weight_as_a_number() -> None:
    """§8.5 sorts weights as numbers, as the verifier checks: "9.0" before "10.0", never by their text."""
    users = np.array([7, 7], dtype=np.uint64)  # a legacy duplicate: one pseudonym, two rows
    codes = decision_codes(["eligible", "eligible"])
    changes = corrections(users, codes, np.array([10.0, 9.0]), codes, np.array([11.0, 12.0]))
    assert [c["weight_from"] for c in changes] == ["9.0", "10.0"]
