"""Admin HTTP API of the policy service: the policy in force, its changes, history and rollback (seed §8)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from platform_shared.contracts.admin.models import INTEGER_MAX, ReasonIn, TokenIn
from platform_shared.contracts.admin.policy import (
    BannersOut,
    ChangeOut,
    ChangePreparedOut,
    ConfirmedOut,
    PolicyOut,
    PropagationOut,
    ProposalIn,
    SwitchedOffOut,
    VersionOut,
)
from platform_shared.web.access import AdminId
from platform_shared.web.use_cases import use_case
from policy_service.application.fleet_propagation import FleetPropagation
from policy_service.application.policy_changes import PolicyChanges
from policy_service.application.policy_in_force import PolicyService
from policy_service.application.policy_versions import Confirmed
from policy_service.domain.adgate import GLOBAL
from policy_service.domain.changes import FieldChange

Policies = Annotated[PolicyService, use_case(PolicyService)]
Changes = Annotated[PolicyChanges, use_case(PolicyChanges)]
Fleet = Annotated[FleetPropagation, use_case(FleetPropagation)]

router = APIRouter(prefix="/policy", tags=["policy"])


def _confirmed(confirmed: Confirmed) -> ConfirmedOut:
    version = PolicyOut.model_validate(confirmed.version, from_attributes=True)
    ended = [SwitchedOffOut(campaign_id=e.campaign_id, reason=e.reason,
                            impact_report="lottery: GET /adgate/exemptions" + (
                                "" if e.campaign_id == GLOBAL else f"?campaign_id={e.campaign_id}"))
             for e in confirmed.adgate_switched_off]
    return ConfirmedOut(**version.model_dump(), adgate_switched_off=ended)


def _field_changes(changes: list[FieldChange]) -> list[ChangeOut]:
    return [ChangeOut(path=c.path, before=c.before, after=c.after) for c in changes]


@router.get("")
async def current_policy(policies: Policies) -> PolicyOut:
    """The policy version in force."""
    return PolicyOut.model_validate(await policies.current(), from_attributes=True)


@router.get("/banners")
async def banners(policies: Policies, campaign_id: str | None = Query(default=None, max_length=100)) -> BannersOut:
    """Public: what entrant-facing pages show now (general banners, an AdGate bypass or exception's)."""
    return BannersOut(banners=await policies.banners(campaign_id))


@router.get("/propagation")
async def propagation_view(fleet: Fleet) -> PropagationOut:
    """Every process of every service side by side with the policy version it runs on: which lag behind
    the version in force, which went silent (seed §8.3, "cache integrity")."""
    return await fleet.view()


@router.post("/changes/prepare")
async def propose(body: ProposalIn, admin: AdminId, changes: Changes) -> ChangePreparedOut:
    """Step one: the field-by-field diff against the version in force, and the token that confirms it."""
    values = body.document.model_dump(mode="json") if body.document else None
    return ChangePreparedOut.model_validate(await changes.propose(
        admin, body.reason, body.impact_memo, values=values, patch=body.patch, scope=body.scope))


@router.post("/changes/confirm")
async def confirm(body: TokenIn, admin: AdminId, changes: Changes) -> ConfirmedOut:
    """Step two (fresh second factor): the new version, published to every service. Refused if another
    version came in since the proposal; the same token twice gives the same version. An AdGate exemption
    it switches off comes with where its impact report is (seed §5.4)."""
    return _confirmed(await changes.confirm(body.token, admin))


@router.get("/versions")
async def history(changes: Changes) -> list[VersionOut]:
    """Every version, oldest first: who, when, why, and what it changed."""
    return [VersionOut.model_validate({**PolicyOut.model_validate(v, from_attributes=True).model_dump(),
                                       "changes": _field_changes(d)}) for v, d in await changes.history()]


@router.get("/diff")
async def compare(changes: Changes, from_version: int = Query(alias="from", ge=1, le=INTEGER_MAX),
                  to_version: int = Query(alias="to", ge=1, le=INTEGER_MAX)) -> list[ChangeOut]:
    return _field_changes(await changes.compare(from_version, to_version))


@router.post("/versions/{version}/rollback/prepare")
async def prepare_rollback(version: Annotated[int, Path(ge=1, le=INTEGER_MAX)], body: ReasonIn,
                           admin: AdminId, changes: Changes) -> ChangePreparedOut:
    """Step one of going back: what returning to `version`'s content changes now."""
    return ChangePreparedOut.model_validate(await changes.prepare_rollback(version, admin, body.reason))


@router.post("/rollback/confirm")
async def confirm_rollback(body: TokenIn, admin: AdminId, changes: Changes) -> ConfirmedOut:
    """Step two (fresh second factor): a new version equal to the earlier one, recording which it restored."""
    return _confirmed(await changes.confirm(body.token, admin, rollback=True))
