"""New backup codes for one's own account (SPEC §7): ten, shown this once; every old one stops working.
Audited."""

from dataclasses import dataclass

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.tokens import Principal
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import hashed_all
from policy_service.domain.credentials import new_backup_codes


@dataclass(frozen=True)
class RegenerateBackupCodes:
    caller: Principal


async def regenerate_backup_codes(units: UnitsOfWork[None], command: RegenerateBackupCodes) -> list[str]:
    account, codes = command.caller.account, new_backup_codes()
    code_hashes = await hashed_all(codes)
    async with units.begin() as uow:
        await AccountStore(uow.session).replace_backup_codes(account, code_hashes)
        await uow.audit(actor=account, action="account.backup_codes_regenerated", target=f"account:{account}",
                        after={"codes": len(codes)})
    return codes
