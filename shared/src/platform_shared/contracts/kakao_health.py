"""What each Kakao edge replica saw of the issuer in one time window (seed §9.3 "인증 실패 로그/시간대 보고"):
its refused logins and tokens by reason, and whether the issuer answered. The policy service sums the windows of
every replica into the outage report and its banners. Counts and reason codes only: never a token, a code or a
Kakao id."""

from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from platform_shared.contracts.events import Event

FailureReason = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
"""A fixed short code (`issuer_unavailable`, `expired`, `signature`, …): the metric label, never free text."""


class KakaoLoginWindow(Event):
    """One replica's window as it stands: sent again (a higher `revision`) while the window keeps changing, so a
    consumer keeps the highest revision of each (service, instance, window_start) and a redelivery adds nothing."""

    event_type: Literal["kakao_login_window"] = "kakao_login_window"
    service: str = Field(min_length=1, max_length=50)
    instance: str = Field(min_length=1, max_length=100)
    window_start: AwareDatetime
    window_end: AwareDatetime
    revision: int = Field(ge=1)
    failures: dict[FailureReason, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    issuer_down: bool = False
    """The issuer failed to answer at least once in the window."""
    issuer_up: bool | None = None
    """Whether the issuer answered the replica's last request by this report; None: not asked yet."""
    recovered_at: AwareDatetime | None = None
    """When, in the window, the issuer last answered again after failing (this replica's end of the outage)."""

    @model_validator(mode="after")
    def _window_in_order(self) -> Self:
        if self.window_end <= self.window_start:
            raise ValueError("window_end must be after window_start")
        return self

    def partition_key(self) -> bytes:
        """A replica's windows keep their order (its recovery is read after its failures)."""
        return f"{self.service}/{self.instance}".encode()
