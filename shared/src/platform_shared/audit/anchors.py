"""Every anchored record of each audit chain, as read from the `audit_anchors` topic (audit/chain.py).

An anchor names a record by its number (`seq`) and hash and is keyed by chain and number, so compaction keeps
them all: a chain trimmed of its newest records and then written on is caught, because the anchors of the
deleted numbers still name other hashes. Relays may publish a chain's anchors out of order; each number's
anchor is kept as first seen (a later, different one for the same number is itself a sign of rewriting, and
the first is what left the database first). Anchors from before records were numbered carry no `seq`: of
those, the newest by record id is kept and checked by id, as it was then."""

from dataclasses import dataclass, field

from platform_shared.contracts.events import AuditAnchored


@dataclass
class ChainAnchors:
    """One chain's anchors: number → (record id, hash), and the newest unnumbered one."""

    numbered: dict[int, tuple[int, str]] = field(default_factory=dict)
    unnumbered: AuditAnchored | None = None

    def apply(self, anchor: AuditAnchored) -> None:
        if anchor.seq is not None:
            self.numbered.setdefault(anchor.seq, (anchor.record_id, anchor.hash))
        elif self.unnumbered is None or anchor.record_id > self.unnumbered.record_id:
            self.unnumbered = anchor

    @property
    def newest_id(self) -> int | None:
        ids = [record_id for record_id, _ in self.numbered.values()]
        ids += [self.unnumbered.record_id] if self.unnumbered else []
        return max(ids, default=None)

    def mismatch(self, seq: int, record_id: int, record_hash: str) -> str | None:
        """Why the chain's record `seq` (row `record_id`) contradicts what was anchored, if it does."""
        anchored = self.numbered.get(seq)
        if anchored is not None and anchored[1] != record_hash:
            return f"its hash differs from the one anchored for record number {seq} (the chain was rewritten)"
        old = self.unnumbered
        if old is not None and old.record_id == record_id and old.hash != record_hash:
            return "its hash differs from the anchored one (the chain was rewritten)"
        return None

    def beyond(self, last_seq: int, last_id: int) -> str | None:
        """What was anchored past the chain's end (number `last_seq`, row `last_id`): deleted records."""
        numbers = [seq for seq in self.numbered if seq > last_seq]
        if numbers:
            return f"record number {max(numbers)} was anchored, the chain ends at {last_seq}"
        if self.unnumbered is not None and self.unnumbered.record_id > last_id:
            return f"record {self.unnumbered.record_id} was anchored"
        return None


class Anchors:
    def __init__(self) -> None:
        self._chains: dict[str, ChainAnchors] = {}

    def apply(self, anchor: AuditAnchored) -> None:
        self._chains.setdefault(anchor.chain, ChainAnchors()).apply(anchor)

    def of(self, chain: str) -> ChainAnchors:
        return self._chains.get(chain) or ChainAnchors()
