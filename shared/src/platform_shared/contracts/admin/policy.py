"""What the policy service's control-plane routes take and answer (seed §8, §15): the policy in force, its
changes, history, rollback and propagation, and the history's backups."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from platform_shared.contracts.admin.models import ConfirmationToken, IsoMoment, Reason, ResponseModel, StrictModel
from platform_shared.contracts.policy import CampaignId, PolicyDocument


class ChangeOut(ResponseModel):
    path: str
    """Dotted path of the field, e.g. `quiet_hours.start`."""
    # Any: a field's value is whatever the policy document holds at that path (a number, a time, a list of
    # banners, a whole section), so its type is the document's, not this answer's.
    before: Any
    after: Any


class ChangePreparedOut(ResponseModel):
    """Step one of a change or a rollback (seed §8): the field-by-field diff against the version in force."""

    proposed_against: int
    """The version in force when prepared: confirming after another version came in is refused."""
    changes: list[ChangeOut]
    reason: str
    impact_memo: str
    scope: list[str] | None
    """The campaigns a partial change is for; null for the whole platform."""
    restored_from: int | None
    """For a rollback, the version whose content it returns to."""
    token: ConfirmationToken
    expires_at: IsoMoment


class BannersOut(ResponseModel):
    banners: list[str]


class PolicyOut(BaseModel):
    version: int
    document: PolicyDocument
    created_by: str
    reason: str
    created_at: datetime
    impact_memo: str
    proposed_against: int | None
    restored_from: int | None
    scope: list[str] | None
    """The campaigns a partial change was made for; null for the whole platform."""


class SwitchedOffOut(BaseModel):
    campaign_id: str
    """A campaign, or `*` for the global bypass."""
    reason: str
    impact_report: str
    """Where the lottery lists the entries admitted under it (JSON; `.csv` alongside)."""


class ConfirmedOut(PolicyOut):
    adgate_switched_off: list[SwitchedOffOut]


class VersionOut(PolicyOut):
    changes: list[ChangeOut]
    """What this version changed from the one before it."""


class ProposalIn(StrictModel):
    reason: Reason
    impact_memo: str = Field(default="", max_length=2000, description="What the change is expected to do")
    document: PolicyDocument | None = Field(default=None, description="The whole new policy")
    patch: dict[str, Any] | None = Field(default=None, description="Or: a JSON merge patch (RFC 7386)")
    scope: list[CampaignId] | None = Field(
        default=None, min_length=1, max_length=100,
        description="A partial change (seed §8.1): the campaigns the patch applies to; leave out for all")


class InstanceState(BaseModel):
    """One process of a service and the policy version it last reported (policy_service/domain/propagation)."""

    model_config = ConfigDict(from_attributes=True)

    service: str
    instance: str
    policy_version: int
    reported_at: datetime
    lagging: bool
    silent: bool


class PropagationOut(BaseModel):
    current_version: int
    all_current: bool
    """Every service has a live process, and no live process lags (silent ones are shown, flagged)."""
    instances: list[InstanceState]


class BackupFileOut(BaseModel):
    file: str
    bytes: int


class BackupTakenOut(BaseModel):
    file: str
    versions: int
