"""Ops' pause of a consumer group (SPEC §2, seed §6): which groups a request names, and whether a
group's desired state holds it now. Pure: no Kafka, no database, no clock of its own."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from platform_shared.errors import InvalidInputError


@dataclass(frozen=True)
class DesiredState:
    """What ops asked for one consumer group, as stored."""

    paused: bool
    until: datetime | None
    reason: str
    actor: str
    changed_at: datetime

    def holds(self, now: datetime) -> bool:
        """Paused, and not past its `until`: a pause with an end lifts itself, on every replica alike."""
        return self.paused and (self.until is None or now < self.until)


def chosen_groups(consumers: Mapping[str, str], *, groups: Sequence[str] | None, topic: str | None) -> list[str]:
    """The groups a pause or resume names, from this service's `consumers` (group → topic): the groups
    listed, or every group consuming `topic`, or, with neither, all of them (the whole service)."""
    if groups is not None and topic is not None:
        raise InvalidInputError("name either consumer groups or a topic, not both", field="groups")
    if groups is not None:
        unknown = [group for group in groups if group not in consumers]
        if unknown:
            raise InvalidInputError(f"no consumer group {unknown[0]!r} here; this service consumes with "
                                    f"{', '.join(sorted(consumers))}", field="groups")
        return sorted(set(groups))
    if topic is not None:
        chosen = sorted(group for group, consumed in consumers.items() if consumed == topic)
        if not chosen:
            raise InvalidInputError(f"this service does not consume topic {topic!r}", field="topic")
        return chosen
    return sorted(consumers)


def refuse_past_until(until: datetime | None, now: datetime) -> None:
    if until is not None and until <= now:
        raise InvalidInputError(f"`until` ({until.isoformat()}) is not in the future", field="until")
