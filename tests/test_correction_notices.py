"""A rollback and its re-run through the waitlist's real handlers on the in-memory stores (runbook §3.5, §14.2):
nothing is said at the rollback; once the re-run is in, whoever was told of a seat hears their net change, the
rest hear of a new win as usual. The fleet version is tests/test_rollback_truth.py."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from platform_shared.contracts.events import (
    DrawCompleted,
    DrawRolledBack,
    NotificationDelivered,
    NotificationRequested,
    NotificationUndeliverable,
    RankedEntrant,
    RolledBackRun,
)
from platform_shared.time.clock import FixedClock
from tests.memory_waitlist import MemoryRunStore, MemoryTransaction, WaitlistState
from waitlist_service.entrypoints.kafka.intake import DrawIntake

NOW = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)


def results(run_id: UUID, ranked: list[str], seats: int, part: int = 1, parts: int = 1,
            previous: RolledBackRun | None = None) -> DrawCompleted:
    people = [RankedEntrant(rank=rank, user_id=user) for rank, user in enumerate(ranked, start=1)]
    return DrawCompleted(occurred_at=NOW, run_id=run_id, campaign_id="winter", campaign_name="겨울 콘서트", seats=seats,
                         waitlist_size=len(ranked) - seats, policy_version=1, part=part, part_count=parts,
                         winners=tuple(p for p in people if p.rank <= seats),
                         waitlist=tuple(p for p in people if p.rank > seats), re_draws=previous)


async def test_after_the_re_run_each_person_told_of_a_seat_hears_their_net_change_and_only_then() -> None:
    state, clock = WaitlistState(), FixedClock(NOW)
    intake, session = DrawIntake(clock, MemoryRunStore), MemoryTransaction(state)
    first, second = uuid4(), uuid4()
    await intake.record_draw(results(first, ["a", "b", "c", "d"], seats=3), session)
    for user in ("a", "b"):
        await intake.extend_deadline(NotificationDelivered(
            occurred_at=NOW, run_id=first, dedupe_key=f"offer:{first}:{user}", user_id=user,
            template="WINNER_OFFER", delivered_at=NOW), session)
    # c's message never reached them: the vendor refused it (its answer window starts all the same).
    await intake.start_window_undelivered(NotificationUndeliverable(
        occurred_at=NOW, run_id=first, dedupe_key=f"offer:{first}:c", user_id="c", template="WINNER_OFFER",
        failed_at=NOW), session)
    announced = len(state.announced)

    rollback = DrawRolledBack(occurred_at=NOW + timedelta(minutes=5), run_id=first, campaign_id="winter",
                              reason="좌석 수 오기")
    await intake.void_run(rollback, session)
    assert len(state.announced) == announced, "nothing is said before the outcome is known"
    # An offer in flight at the rollback went out: d was never offered a seat, so this changes nothing.
    await intake.extend_deadline(NotificationDelivered(
        occurred_at=NOW, run_id=first, dedupe_key=f"offer:{first}:d", user_id="d", template="WINNER_OFFER",
        delivered_at=NOW), session)

    clock.advance(timedelta(minutes=10))
    await intake.record_draw(results(second, ["a", "d", "c", "b"], seats=2, previous=rolled_back(rollback)), session)

    told = {e.user_id: e for _, e in state.announced[announced:] if isinstance(e, NotificationRequested)}
    assert {user: notice.template for user, notice in told.items()} == {
        "a": "SEAT_CONFIRMED",  # told, and still seated
        "d": "WINNER_OFFER",  # newly won
        "b": "DRAW_ROLLBACK_NOTICE",  # told, and no longer seated
    }, "c was never told of the first seat and holds none now: nothing to say"
    assert {notice.run_id for notice in told.values()} == {second}, "every notice carries its run id"
    assert told["b"].params["reason"] == told["a"].params["reason"] == "좌석 수 오기"
    assert told["b"].params["rolled_back_at"] == (NOW + timedelta(minutes=5)).isoformat()
    assert {notice.params["campaign_name"] for notice in told.values()} == {"겨울 콘서트"}


async def test_a_re_run_in_parts_tells_those_who_lost_their_seat_once_the_last_part_is_in() -> None:
    state, clock = WaitlistState(), FixedClock(NOW)
    intake, session = DrawIntake(clock, MemoryRunStore), MemoryTransaction(state)
    first, second = uuid4(), uuid4()
    await intake.record_draw(results(first, ["a", "b"], seats=2), session)
    for user in ("a", "b"):
        await intake.extend_deadline(NotificationDelivered(
            occurred_at=NOW, run_id=first, dedupe_key=f"offer:{first}:{user}", user_id=user,
            template="WINNER_OFFER", delivered_at=NOW), session)
    # The re-run's results overtake the rollback (another topic): they say what was rolled back.
    rollback = DrawRolledBack(occurred_at=NOW, run_id=first, campaign_id="winter", reason="필터 오류")
    announced = len(state.announced)

    # Two parts: "b" is on the waitlist in the second; until it is in, nobody can tell whether b lost.
    ranked = ["a", "x", "b"]
    whole = results(second, ranked, seats=2, previous=rolled_back(rollback))
    await intake.record_draw(whole.model_copy(update={"part_count": 2, "waitlist": ()}), session)
    after_first_part = [e.template for _, e in state.announced[announced:] if isinstance(e, NotificationRequested)]
    await intake.record_draw(whole.model_copy(update={"part": 2, "part_count": 2, "winners": (),
                                                      "event_id": uuid4()}), session)
    after_all = [(e.user_id, e.template) for _, e in state.announced[announced:]
                 if isinstance(e, NotificationRequested)]

    assert sorted(after_first_part) == ["SEAT_CONFIRMED", "WINNER_OFFER"]
    assert sorted(after_all) == [("a", "SEAT_CONFIRMED"), ("b", "DRAW_ROLLBACK_NOTICE"), ("x", "WINNER_OFFER")]
    assert {o.status for o in state.offers if o.run_id == first} == {"void"}, "voided by the re-run's results"
    await intake.void_run(rollback, session)  # the rollback arrives at last: nothing more to say
    assert len([e for _, e in state.announced[announced:] if isinstance(e, NotificationRequested)]) == 3


def rolled_back(event: DrawRolledBack) -> RolledBackRun:
    return RolledBackRun(run_id=event.run_id, reason=event.reason, rolled_back_at=event.occurred_at)
