"""The policy in force as the lottery's use cases read it: the cached snapshot of the latest `policy_changed`
(platform_shared/messaging/policy_cache.py), in the caller's transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.contracts.policy import PolicyDocument
from platform_shared.messaging.policy_cache import current_policy


class SqlPolicyInForce:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def current(self) -> tuple[int, PolicyDocument]:
        return await current_policy(self._session)
