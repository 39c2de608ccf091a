"""A stand-in for a drand randomness beacon (docs/draw-algorithm.md §8.4): a real HTTP server on loopback that
speaks drand's HTTP API for one chain of scheme `bls-unchained-g1-rfc9380` (League of Entropy's "quicknet"
scheme), so the lottery verifies its rounds exactly as it verifies the real beacon's. Tests and `make demo` use
it; production uses the real beacon (LOTTERY_BEACON_URL and the chain's hash and key).

    python -m platform_deploy.fake_beacon --port 18095 [--clock-offset-seconds S | --clock-file F]
        [--key-seed SEED] [--period 1] [--genesis 2026-01-01T00:00:00+00:00]
    python -m platform_deploy.fake_beacon --print-env http://beacon:8000     # the lottery's LOTTERY_BEACON_* lines

- `GET /chains`, `GET /{chain}/info` (public_key, period, genesis_time, hash, schemeID, beacon_id),
  `GET /{chain}/public/{round}` and `/public/latest` (round, randomness, signature). A round after this
  server's clock is answered 425 Too Early, as drand's relays do.
- Round r's signature: sk·hash_to_G1(SHA-256(r as 8 bytes big-endian)) with the RFC 9380 suite
  `BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_`, 48 bytes compressed; randomness = SHA-256(signature). The
  secret key is int(SHA-256(key seed)) mod the curve order: a fixed default seed, so restarts agree, and a
  key everyone can compute — this chain is for tests only, never for a real draw.
- The chain hash is the stand-in's own: H(canonical JSON of its info without "hash") (§8.1's canonical form).
  drand hashes its group file instead; nothing checks that the hash is derived, only that it is the same.
- Failure on demand: `POST /_control/down` (every beacon route answers 503; `{"mode": "hang"}`: holds each
  request without an answer until `up` or `hang_seconds`), `POST /_control/bad-signature` (answers a wrong
  signature, with its matching randomness), `POST /_control/up`, `GET /_control/state`.
Times follow `--clock-offset-seconds` or `--clock-file` (the fleet's movable clock), so rounds are due when the
services' clocks say."""

import argparse
import asyncio
import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import uvicorn
from fastapi import FastAPI
from fastapi import Path as InPath
from fastapi.responses import JSONResponse
from py_ecc.bls.g2_primitives import G1_to_pubkey, G2_to_signature
from py_ecc.bls.hash_to_curve import hash_to_G1
from py_ecc.optimized_bls12_381.optimized_curve import G2, curve_order, multiply
from pydantic import BaseModel, Field

from platform_shared.time.clock import Clock, SystemClock, process_clock

SCHEME = "bls-unchained-g1-rfc9380"
DST = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
DEFAULT_KEY_SEED = "lottery-platform stand-in beacon (public: tests only)"
DEFAULT_PERIOD = 1
DEFAULT_GENESIS = datetime(2026, 1, 1, tzinfo=UTC)
Mode = Literal["up", "down", "hang", "bad-signature"]


@dataclass(frozen=True)
class StandInChain:
    secret_key: int = field(repr=False)
    period: int
    genesis_time: int
    public_key: str
    beacon_id: str = "lottery-stand-in"

    @classmethod
    def from_seed(cls, key_seed: str = DEFAULT_KEY_SEED, period: int = DEFAULT_PERIOD,
                  genesis: datetime = DEFAULT_GENESIS) -> "StandInChain":
        if period < 1:
            raise ValueError("the period is a whole number of seconds, at least 1")
        secret = int.from_bytes(hashlib.sha256(key_seed.encode()).digest(), "big") % curve_order
        return cls(secret, period, int(genesis.timestamp()), _public_key(secret))

    @property
    def info(self) -> dict[str, Any]:
        """drand's `/info`, with this chain's own hash."""
        unhashed = {"public_key": self.public_key, "period": self.period, "genesis_time": self.genesis_time,
                    "schemeID": SCHEME, "beacon_id": self.beacon_id}
        canonical = json.dumps(unhashed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return {**unhashed, "hash": hashlib.sha256(canonical.encode()).hexdigest()}

    @property
    def chain_hash(self) -> str:
        return str(self.info["hash"])

    def latest_round(self, now: datetime) -> int:
        """The round published at `now` (0 before genesis): floor((T − genesis) / period) + 1."""
        since = now.timestamp() - self.genesis_time
        return 0 if since < 0 else int(since // self.period) + 1

    def beacon(self, round: int) -> dict[str, Any]:
        signature = _signature(self.secret_key, round)
        return {"round": round, "randomness": hashlib.sha256(bytes.fromhex(signature)).hexdigest(),
                "signature": signature}

    def lottery_env(self, url: str) -> dict[str, str]:
        """The lottery's settings that make it use this chain at `url`."""
        return {"LOTTERY_BEACON_URL": url, "LOTTERY_BEACON_CHAIN_HASH": self.chain_hash,
                "LOTTERY_BEACON_PUBLIC_KEY": self.public_key, "LOTTERY_BEACON_PERIOD_SECONDS": str(self.period),
                "LOTTERY_BEACON_GENESIS_TIME": str(self.genesis_time),
                # The stand-in reads the fleet's own clock: no margin for skew, so a draw waits one period at most.
                "LOTTERY_BEACON_ROUNDS_AFTER_CLOSE": "1"}


@lru_cache(maxsize=8)
def _public_key(secret: int) -> str:
    return bytes(G2_to_signature(multiply(G2, secret))).hex()


@lru_cache(maxsize=4096)
def _signature(secret: int, round: int) -> str:
    """16 ms a round: each is signed once, when first asked."""
    # py_ecc annotates the hash function as a hash object, but calls it as the constructor it is.
    point = hash_to_G1(hashlib.sha256(round.to_bytes(8, "big")).digest(), DST, hashlib.sha256)  # type: ignore[arg-type]
    return bytes(G1_to_pubkey(multiply(point, secret))).hex()


class DownIn(BaseModel):
    mode: Literal["error", "hang"] = "error"
    hang_seconds: float = Field(default=60.0, ge=0, le=600, description="hold a request at most this long")


@dataclass
class Behaviour:
    mode: Mode = "up"
    hang_seconds: float = 60.0
    released: asyncio.Event = field(default_factory=asyncio.Event)
    requests: int = 0


def create_app(chain: StandInChain, clock: Clock | None = None) -> FastAPI:
    app = FastAPI(title="stand-in drand beacon")
    clock = clock or SystemClock()
    behaviour = Behaviour()

    async def trouble() -> JSONResponse | None:
        """What the current failure answers instead, or None when the beacon works."""
        behaviour.requests += 1
        if behaviour.mode == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(behaviour.released.wait(), behaviour.hang_seconds)
            return JSONResponse({"error": "the beacon did not answer"}, status_code=504)
        if behaviour.mode == "down":
            return JSONResponse({"error": "beacon unavailable"}, status_code=503)
        return None

    def known(chain_hash: str) -> JSONResponse | None:
        return None if chain_hash == chain.chain_hash else \
            JSONResponse({"error": f"unknown chain {chain_hash[:80]}"}, status_code=404)

    @app.get("/chains")
    async def chains() -> Any:
        return await trouble() or [chain.chain_hash]

    @app.get("/{chain_hash}/info")
    async def info(chain_hash: str) -> Any:
        return await trouble() or known(chain_hash) or chain.info

    @app.get("/{chain_hash}/public/latest")
    async def latest(chain_hash: str) -> Any:
        return await trouble() or known(chain_hash) or answer(chain.latest_round(clock.now()))

    @app.get("/{chain_hash}/public/{round}")
    async def public(chain_hash: str, round: Annotated[int, InPath(ge=0, lt=2**63)]) -> Any:
        return await trouble() or known(chain_hash) or answer(round or chain.latest_round(clock.now()))

    def answer(round: int) -> Any:
        if round < 1 or round > chain.latest_round(clock.now()):
            return JSONResponse({"error": "Too Early", "round": round}, status_code=425)
        if behaviour.mode == "bad-signature":  # another round's signature: well formed, the wrong one
            wrong = chain.beacon(round + 1)
            return {**wrong, "round": round}
        return chain.beacon(round)

    @app.post("/_control/down")
    async def down(body: DownIn | None = None) -> dict[str, Any]:
        body = body or DownIn()
        behaviour.mode, behaviour.hang_seconds = ("hang" if body.mode == "hang" else "down"), body.hang_seconds
        behaviour.released.clear()
        return await state()

    @app.post("/_control/up")
    async def up() -> dict[str, Any]:
        behaviour.mode = "up"
        behaviour.released.set()
        return await state()

    @app.post("/_control/bad-signature")
    async def bad_signature() -> dict[str, Any]:
        behaviour.mode = "bad-signature"
        behaviour.released.set()
        return await state()

    @app.get("/_control/state")
    async def state() -> dict[str, Any]:
        now = clock.now()
        return {"mode": behaviour.mode, "requests": behaviour.requests, "chain_hash": chain.chain_hash,
                "now": now.isoformat(), "latest_round": chain.latest_round(now)}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in a container")
    parser.add_argument("--clock-offset-seconds", type=float, default=0.0)
    parser.add_argument("--clock-file", type=Path, help="follow a fleet's movable clock (wins over the offset)")
    parser.add_argument("--key-seed", default=DEFAULT_KEY_SEED)
    parser.add_argument("--period", type=int, default=DEFAULT_PERIOD, help="seconds between rounds")
    parser.add_argument("--genesis", type=datetime.fromisoformat, default=DEFAULT_GENESIS,
                        help="when round 1 is published (ISO 8601 with its offset)")
    parser.add_argument("--print-env", metavar="URL", help="print the lottery's LOTTERY_BEACON_* lines for this "
                                                           "stand-in served at URL, and exit")
    args = parser.parse_args()
    if args.genesis.tzinfo is None:
        parser.error("--genesis needs its offset (e.g. +00:00 or +09:00)")
    chain = StandInChain.from_seed(args.key_seed, args.period, args.genesis)
    if args.print_env:
        print("\n".join(f"{key}={value}" for key, value in chain.lottery_env(args.print_env.rstrip("/")).items()))
        return
    if args.port is None:
        parser.error("--port is required to serve")
    clock = process_clock(args.clock_offset_seconds, args.clock_file)
    uvicorn.run(create_app(chain, clock), host=args.host, port=args.port, log_level="warning",
                timeout_graceful_shutdown=2)


if __name__ == "__main__":
    main()
