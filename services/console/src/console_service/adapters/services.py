"""The four services' admin APIs as one signed-in operator calls them: their own token on every request, the
page's language as `Accept-Language` (so the services' refusals come back in it)."""

import httpx

from platform_shared.client.lottery import LotteryClient
from platform_shared.client.notifier import NotifierClient
from platform_shared.client.platform import ServiceClient
from platform_shared.client.policy import PolicyClient
from platform_shared.client.transport import AdminHttp, BearerToken
from platform_shared.client.waitlist import WaitlistClient
from platform_shared.i18n import Locale

SERVICE_NAMES = ("lottery", "waitlist", "notifier", "policy")


class OperatorServices:
    """`pool`: the console's one client, whose connections every request's calls reuse (a new client per call
    costs more than the call: its TLS context is built each time)."""

    def __init__(self, urls: dict[str, str], access_token: str | None, language: Locale,
                 timeout: float = 30.0, pool: httpx.Client | None = None) -> None:
        def http(service: str) -> AdminHttp:
            auth = BearerToken(access_token) if access_token else None
            return AdminHttp(urls[service], auth, timeout=timeout, language=language, pool=pool)

        self.policy = PolicyClient(http("policy"))
        self.lottery = LotteryClient(http("lottery"))
        self.waitlist = WaitlistClient(http("waitlist"))
        self.notifier = NotifierClient(http("notifier"))

    def service(self, name: str) -> ServiceClient:
        """Any service, for the routes every service serves (consumers, dead letters, audit)."""
        if name not in SERVICE_NAMES:
            raise ValueError(f"no service named {name!r}")
        client: ServiceClient = getattr(self, name)
        return client
