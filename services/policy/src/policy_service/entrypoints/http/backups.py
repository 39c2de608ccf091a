"""Ops' policy backups over HTTP (seed §15): list the signed history files, take one now, download
one (for `lottery-ops policy backup --save` and a copy kept elsewhere). A restore is not here: it fills an
empty database before the service starts (`lottery-ops policy restore`, `policy-admin restore`)."""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Path, Request, Response

from platform_shared.contracts.admin.policy import BackupFileOut, BackupTakenOut
from platform_shared.errors import InvalidStateError
from platform_shared.web.access import AdminId
from policy_service.application import take_backup as on_demand
from policy_service.application.backup_files import backup_content, backup_files
from policy_service.application.policy_backups import PolicyBackups

NOT_CONFIGURED = "this policy service keeps no backups: POLICY_BACKUP_DIRECTORY is not set"


def provide(app: FastAPI, backups: PolicyBackups | None) -> None:
    """The backups `router` works on (None: the service keeps none), given by the composition root."""
    app.state.policy_backups = backups


def _backups(request: Request) -> PolicyBackups:
    backups: PolicyBackups | None = request.app.state.policy_backups
    if backups is None:
        raise InvalidStateError(NOT_CONFIGURED, field="file")
    return backups


Backups = Annotated[PolicyBackups, Depends(_backups)]

router = APIRouter(prefix="/policy/backups", tags=["policy"])


@router.get("")
async def list_backups(backups: Backups) -> list[BackupFileOut]:
    """Scheduled and on-demand backups, newest first."""
    return [BackupFileOut(file=name, bytes=size) for name, size in await backup_files(backups)]


@router.post("", status_code=201)
async def take_backup(admin: AdminId, backups: Backups) -> BackupTakenOut:
    """A signed backup of the whole policy history now (audited as `policy.backup`)."""
    taken = await on_demand.take_backup(backups, on_demand.TakeBackup(admin))
    return BackupTakenOut(file=taken.path.name, versions=taken.versions)


@router.get("/{file}", response_class=Response)
async def download_backup(backups: Backups, file: str = Path(max_length=100)) -> Response:
    """The signed file as written: `policy-admin restore` checks it against this installation's keys."""
    return Response(await backup_content(backups, file), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{file}"'})
