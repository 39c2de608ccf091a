"""The contact book's operator routes (seed §1: notices by e-mail): import, remove, counts. An address goes in
and never comes out: no route answers one, and a refused row is named by index and field only."""

from typing import Annotated

from fastapi import APIRouter, status

from notifier_service.application.contacts import KeepContacts
from platform_shared.contracts.admin.models import ReasonIn
from platform_shared.contracts.admin.notifier import ContactsImportedOut, ContactsIn, ContactsSummaryOut
from platform_shared.contracts.events import UserId
from platform_shared.web.access import AdminId
from platform_shared.web.use_cases import use_case

Contacts = Annotated[KeepContacts, use_case(KeepContacts)]

router = APIRouter(tags=["contacts"])


@router.put("/contacts")
async def import_contacts(body: ContactsIn, admin: AdminId, contacts: Contacts) -> ContactsImportedOut:
    """Add or replace addresses, audited: every row checked first (`contacts.<i>.email`), then all or none."""
    rows = [(row.user_id, row.email) for row in body.contacts]
    return ContactsImportedOut.model_validate(await contacts.import_contacts(rows, body.source, admin, body.reason))


@router.delete("/contacts/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_contact(user_id: UserId, body: ReasonIn, admin: AdminId, contacts: Contacts) -> None:
    """Forget a user's address, audited: their e-mail notices become undeliverable."""
    await contacts.remove(user_id, admin, body.reason)


@router.get("/contacts/summary")
async def contacts_summary(contacts: Contacts) -> ContactsSummaryOut:
    """How many addresses, by source, and when the book last changed: counts only."""
    return ContactsSummaryOut.model_validate(await contacts.summary())
