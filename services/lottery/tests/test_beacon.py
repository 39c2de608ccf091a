"""The beacon's rules (docs/draw-algorithm.md §8.3–§8.4): which round a close commits to and when it is due,
what verifies as the chain's round, and the key seed it gives. A real League of Entropy quicknet round is the
known answer: the production defaults verify it."""

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from lottery_service.domain.beacon import BeaconChain, BeaconInvalid, BeaconRound, key_seed, verify_round
from lottery_service.settings import QUICKNET_CHAIN_HASH, QUICKNET_PUBLIC_KEY, LotterySettings
from platform_shared.errors import InvalidStateError

QUICKNET = BeaconChain("https://api.drand.sh", QUICKNET_CHAIN_HASH, QUICKNET_PUBLIC_KEY, 3, 1692803367)
ROUND = 657413
"""A published quicknet round and its signature (drand-verify's README: `verify_quicknet(657413, …)`)."""
SIGNATURE = ("b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be"
             "41076862b98fad56e91a6b85b89cd97b")
RANDOMNESS = "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587"
GENESIS = datetime.fromtimestamp(1692803367, UTC)


def test_the_round_published_at_an_instant_counts_from_genesis_and_changes_exactly_on_the_boundary() -> None:
    assert QUICKNET.latest_round(GENESIS) == 1
    assert QUICKNET.latest_round(GENESIS + timedelta(seconds=3) - timedelta(microseconds=1)) == 1
    assert QUICKNET.latest_round(GENESIS + timedelta(seconds=3)) == 2, "round 2 is published at genesis + 3 s"
    boundary = QUICKNET.round_time(ROUND)
    assert QUICKNET.latest_round(boundary) == ROUND
    assert QUICKNET.latest_round(boundary - timedelta(microseconds=1)) == ROUND - 1


def test_round_times_are_utc_instants_one_period_apart() -> None:
    assert QUICKNET.round_time(1) == GENESIS and QUICKNET.round_time(1).tzinfo is UTC
    assert QUICKNET.round_time(ROUND) - QUICKNET.round_time(ROUND - 1) == timedelta(seconds=3)
    assert QUICKNET.round_time(ROUND) == datetime(2023, 9, 15, 11, 0, 3, tzinfo=UTC)  # 1692803367 + 657412 × 3
    for round in (0, -1, 2**64, True):
        with pytest.raises(ValueError):
            QUICKNET.round_time(round)


def test_a_close_commits_to_the_round_two_after_the_one_published_at_its_instant() -> None:
    """R = latest(T) + 2: due at least one period after the close, whatever the instant within a period."""
    for offset in (0.0, 0.000001, 1.5, 2.999999):
        closed_at = QUICKNET.round_time(ROUND) + timedelta(seconds=offset)
        committed = QUICKNET.committed_round(closed_at)
        assert committed == ROUND + 2
        assert QUICKNET.round_time(committed) - closed_at >= timedelta(seconds=QUICKNET.period)


def test_a_smaller_margin_still_commits_to_a_round_not_published_at_the_close() -> None:
    """The stand-in's fleet commits to latest(T) + 1; zero (this instant's round, already out) is refused."""
    chain = replace(QUICKNET, rounds_after_close=1)
    closed_at = QUICKNET.round_time(ROUND) + timedelta(seconds=2.999999)
    assert chain.committed_round(closed_at) == ROUND + 1 and chain.round_time(ROUND + 1) > closed_at
    with pytest.raises(ValueError, match="after the close"):
        replace(QUICKNET, rounds_after_close=0)


def test_an_instant_before_genesis_has_no_round_and_is_refused() -> None:
    with pytest.raises(InvalidStateError, match="first round"):
        QUICKNET.latest_round(GENESIS - timedelta(microseconds=1))
    with pytest.raises(InvalidStateError):
        QUICKNET.committed_round(datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="timezone"):
        QUICKNET.latest_round(datetime(2026, 1, 1))


def test_the_commitment_names_the_chain_without_its_url() -> None:
    assert QUICKNET.as_committed() == {"chain_hash": QUICKNET_CHAIN_HASH, "genesis_time": 1692803367, "period": 3,
                                       "public_key": QUICKNET_PUBLIC_KEY, "scheme": "bls-unchained-g1-rfc9380"}


def test_the_production_defaults_are_quicknet_and_verify_a_real_quicknet_round(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"LOTTERY_DATABASE_URL": "postgresql+asyncpg://x/lottery", "LOTTERY_AUDIT_KEY": "k" * 32,
                        "LOTTERY_DRAW_SERVER_SECRET": "s" * 16, "LOTTERY_ADGATE_SECRET": "a" * 16}.items():
        monkeypatch.setenv(name, value)
    for name in ("URL", "CHAIN_HASH", "PUBLIC_KEY", "PERIOD_SECONDS", "GENESIS_TIME"):
        monkeypatch.delenv(f"LOTTERY_BEACON_{name}", raising=False)
    settings = LotterySettings()
    assert settings.beacon_chain() == QUICKNET
    verified = verify_round(settings.beacon_chain(), ROUND, SIGNATURE, RANDOMNESS)
    assert verified == BeaconRound(ROUND, RANDOMNESS, SIGNATURE)
    assert verified.as_record() == {"round": ROUND, "randomness": RANDOMNESS, "signature": SIGNATURE}
    assert verify_round(QUICKNET, ROUND, SIGNATURE).randomness == RANDOMNESS, "the randomness is optional"


def test_a_signature_for_another_round_does_not_verify_and_the_error_names_the_round() -> None:
    with pytest.raises(BeaconInvalid, match=f"round {ROUND + 1} does not verify") as refused:
        verify_round(QUICKNET, ROUND + 1, SIGNATURE, hashlib.sha256(bytes.fromhex(SIGNATURE)).hexdigest())
    assert refused.value.round == ROUND + 1 and refused.value.status_code == 502


def test_a_tampered_signature_does_not_verify() -> None:
    flipped = SIGNATURE[:40] + ("0" if SIGNATURE[40] != "0" else "1") + SIGNATURE[41:]
    for tampered in (flipped, "00" * 48, SIGNATURE[:-2], SIGNATURE.upper(), "zz" * 48, ""):
        with pytest.raises(BeaconInvalid, match=f"round {ROUND}"):
            verify_round(QUICKNET, ROUND, tampered)


def test_an_answered_randomness_that_is_not_the_signatures_hash_is_refused() -> None:
    with pytest.raises(BeaconInvalid, match="randomness"):
        verify_round(QUICKNET, ROUND, SIGNATURE, "0" * 64)


def test_another_chains_key_does_not_verify_and_an_undecodable_key_is_refused_not_a_crash() -> None:
    other = BeaconChain(QUICKNET.url, QUICKNET_CHAIN_HASH, "a" + QUICKNET_PUBLIC_KEY[1:], 3, 1692803367)
    with pytest.raises(BeaconInvalid):
        verify_round(other, ROUND, SIGNATURE)
    undecodable = BeaconChain(QUICKNET.url, QUICKNET_CHAIN_HASH, "cd" * 96, 3, 1692803367)
    with pytest.raises(BeaconInvalid, match="public key cannot be decoded"):
        verify_round(undecodable, ROUND, SIGNATURE)


def test_a_chain_is_checked_when_configured() -> None:
    for broken in ({"chain_hash": "X" * 64}, {"public_key": QUICKNET_PUBLIC_KEY[:-2]}, {"period": 0},
                   {"scheme": "pedersen-bls-chained"}):
        fields = {"url": QUICKNET.url, "chain_hash": QUICKNET_CHAIN_HASH, "public_key": QUICKNET_PUBLIC_KEY,
                  "period": 3, "genesis_time": 1692803367, **broken}
        with pytest.raises(ValueError):
            BeaconChain(**fields)  # type: ignore[arg-type]


def test_the_key_seed_is_sha256_of_the_seed_and_the_randomness_bytes() -> None:
    seed = bytes(range(32))
    assert key_seed(seed, RANDOMNESS) == hashlib.sha256(seed + bytes.fromhex(RANDOMNESS)).digest()
    assert key_seed(seed, RANDOMNESS) != key_seed(seed, "0" * 64)
    with pytest.raises(ValueError):
        key_seed(seed[:31], RANDOMNESS)
    with pytest.raises(ValueError):
        key_seed(seed, RANDOMNESS[:-2])
