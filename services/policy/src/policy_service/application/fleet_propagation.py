"""Has the fleet taken the policy in force? (seed §8.3, "cache integrity") Every process of every service
side by side with the policy version it last reported: which lag behind, which went silent."""

from datetime import timedelta

from platform_shared.contracts.admin.policy import InstanceState, PropagationOut
from platform_shared.time.clock import Clock
from policy_service.application.policy_in_force import PolicyService
from policy_service.domain.propagation import LatestReports, all_current, propagation

FLEET = ("policy", "lottery", "waitlist", "notifier")


class FleetPropagation:
    def __init__(self, policies: PolicyService, reports: LatestReports, clock: Clock,
                 report_interval: timedelta) -> None:
        self._policies, self._reports, self._clock, self._interval = policies, reports, clock, report_interval

    async def view(self) -> PropagationOut:
        current = (await self._policies.current()).version
        states = propagation(self._reports.all(), current, self._clock.now(), self._interval)
        return PropagationOut(current_version=current, instances=[InstanceState.model_validate(s) for s in states],
                              all_current=all_current(states, FLEET))
