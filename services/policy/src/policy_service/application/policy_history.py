"""Reading the policy's history (seed §8): every version with what it changed, and the diff of any two."""

from platform_shared.application.unit_of_work import Units
from platform_shared.errors import NotFoundError
from policy_service.adapters.models import PolicyVersion
from policy_service.application.policy_versions import document_of
from policy_service.application.ports import VersionStore
from policy_service.domain.changes import FieldChange, diff


async def history(units: Units[VersionStore]) -> list[tuple[PolicyVersion, list[FieldChange]]]:
    """Every version, oldest first, with what it changed from its predecessor."""
    async with units.begin() as uow:
        versions = await uow.stores.all()
    documents = [document_of(v) for v in versions]
    return [(v, diff(documents[i - 1], documents[i]) if i else []) for i, v in enumerate(versions)]


async def compare(units: Units[VersionStore], from_version: int, to_version: int) -> list[FieldChange]:
    async with units.begin() as uow:
        older, newer = await uow.stores.get(from_version), await uow.stores.get(to_version)
    for wanted, found, parameter in ((from_version, older, "from"), (to_version, newer, "to")):
        if found is None:
            raise NotFoundError(f"no policy version {wanted}", field=parameter)
    assert older is not None and newer is not None
    return diff(document_of(older), document_of(newer))
