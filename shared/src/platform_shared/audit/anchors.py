"""The newest anchored record of each audit chain, as read from the compacted `audit_anchors` topic.
Relays may publish a chain's anchors out of order, so the highest record id wins."""

from platform_shared.contracts.events import AuditAnchored


class Anchors:
    def __init__(self) -> None:
        self._newest: dict[str, AuditAnchored] = {}

    def apply(self, anchor: AuditAnchored) -> None:
        known = self._newest.get(anchor.chain)
        if known is None or anchor.record_id > known.record_id:
            self._newest[anchor.chain] = anchor

    def of(self, chain: str) -> AuditAnchored | None:
        return self._newest.get(chain)
