"""Ops' policy backups over HTTP (seed §15): list the signed history files, take one now, download
one (for `lottery-ops policy backup --save` and a copy kept elsewhere). A restore is not here: it fills an
empty database before the service starts (`lottery-ops policy restore`, `policy-admin restore`)."""

from fastapi import APIRouter, Path, Response

from platform_shared.contracts.admin.policy import BackupFileOut, BackupTakenOut
from platform_shared.errors import InvalidStateError
from platform_shared.web.access import AdminId
from policy_service.application.take_backup import PolicyBackups

NOT_CONFIGURED = "this policy service keeps no backups: POLICY_BACKUP_DIRECTORY is not set"


def backups_router(backups: PolicyBackups | None) -> APIRouter:
    router = APIRouter(prefix="/policy/backups", tags=["policy"])

    def configured() -> PolicyBackups:
        if backups is None:
            raise InvalidStateError(NOT_CONFIGURED, field="file")
        return backups

    @router.get("")
    async def list_backups() -> list[BackupFileOut]:
        """Scheduled and on-demand backups, newest first."""
        return [BackupFileOut(file=name, bytes=size) for name, size in await configured().files()]

    @router.post("", status_code=201)
    async def take_backup(admin: AdminId) -> BackupTakenOut:
        """A signed backup of the whole policy history now (audited as `policy.backup`)."""
        path, versions = await configured().take_now(admin)
        return BackupTakenOut(file=path.name, versions=versions)

    @router.get("/{file}", response_class=Response)
    async def download_backup(file: str = Path(max_length=100)) -> Response:
        """The signed file as written: `policy-admin restore` checks it against this installation's keys."""
        return Response(await configured().content(file), media_type="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{file}"'})

    return router
