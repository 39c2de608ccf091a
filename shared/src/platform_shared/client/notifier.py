"""The notifier's operator routes (seed §6): the queue, the dashboard, the sender's pause, templates, resend, and
the contact book e-mail notices go to (seed §1)."""

from typing import Any

from platform_shared.client.endpoint import Endpoint
from platform_shared.client.platform import ServiceClient
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.notifier import (
    ContactsImportedOut,
    ContactsIn,
    ContactsSummaryOut,
    DashboardOut,
    NotificationOut,
    NotificationTextOut,
    PauseIn,
    ResendIn,
    ResendPreparedOut,
    ResentOut,
    SenderStateOut,
    TemplateIn,
    TemplateOut,
    TemplatePreviewIn,
    TemplatePreviewOut,
)

NOTIFICATIONS: Endpoint[list[NotificationOut]] = Endpoint(
    "GET", "/notifications", list[NotificationOut], query=("run_id", "status", "template", "limit"))
NOTIFICATION_TEXTS: Endpoint[list[NotificationTextOut]] = Endpoint(
    "GET", "/notifications/texts", list[NotificationTextOut], query=("run_id", "status", "template", "limit"))
DASHBOARD: Endpoint[DashboardOut] = Endpoint("GET", "/dashboard", DashboardOut)
SENDING: Endpoint[SenderStateOut] = Endpoint("GET", "/sending", SenderStateOut)
PAUSE_SENDING: Endpoint[SenderStateOut] = Endpoint("POST", "/sending/pause", SenderStateOut, PauseIn)
RESUME_SENDING: Endpoint[SenderStateOut] = Endpoint("POST", "/sending/resume", SenderStateOut, ReasonIn)
TEMPLATES: Endpoint[list[TemplateOut]] = Endpoint("GET", "/templates", list[TemplateOut])
UPDATE_TEMPLATE: Endpoint[TemplateOut] = Endpoint("PUT", "/templates/{name}", TemplateOut, TemplateIn,
                                                  query=("locale",))
PREVIEW_TEMPLATE: Endpoint[TemplatePreviewOut] = Endpoint(
    "POST", "/templates/{name}/preview", TemplatePreviewOut, TemplatePreviewIn)
PREPARE_RESEND: Endpoint[ResendPreparedOut] = Endpoint(
    "POST", "/notifications/resend/prepare", ResendPreparedOut, ResendIn)
CONFIRM_RESEND: Endpoint[ResentOut] = Endpoint("POST", "/notifications/resend/confirm", ResentOut, TokenIn)
IMPORT_CONTACTS: Endpoint[ContactsImportedOut] = Endpoint("PUT", "/contacts", ContactsImportedOut, ContactsIn)
REMOVE_CONTACT: Endpoint[None] = Endpoint("DELETE", "/contacts/{user_id}", None, ReasonIn)
CONTACTS_SUMMARY: Endpoint[ContactsSummaryOut] = Endpoint("GET", "/contacts/summary", ContactsSummaryOut)


class NotifierClient(ServiceClient):
    def notifications(self, run_id: Any = None, status: str | None = None, limit: int | None = None,
                      template: str | None = None) -> list[NotificationOut]:
        return self.http.call(NOTIFICATIONS, query={"run_id": run_id, "status": status, "template": template,
                                                    "limit": limit})

    def notification_texts(self, run_id: Any = None, status: str | None = None, limit: int | None = None,
                           template: str | None = None) -> list[NotificationTextOut]:
        """The notifications with what each says (operators only)."""
        return self.http.call(NOTIFICATION_TEXTS, query={"run_id": run_id, "status": status, "template": template,
                                                         "limit": limit})

    def dashboard(self) -> DashboardOut:
        return self.http.call(DASHBOARD)

    def sending(self) -> SenderStateOut:
        return self.http.call(SENDING)

    def pause_sending(self, body: PauseIn) -> SenderStateOut:
        return self.http.call(PAUSE_SENDING, body)

    def resume_sending(self, body: ReasonIn) -> SenderStateOut:
        return self.http.call(RESUME_SENDING, body)

    def templates(self) -> list[TemplateOut]:
        return self.http.call(TEMPLATES)

    def update_template(self, name: str, body: TemplateIn, locale: str | None = None) -> TemplateOut:
        return self.http.call(UPDATE_TEMPLATE, body, query={"locale": locale}, name=name)

    def preview_template(self, name: str, body: TemplatePreviewIn) -> TemplatePreviewOut:
        """The body as its messages would read, or Refused with the field error (nothing is stored)."""
        return self.http.call(PREVIEW_TEMPLATE, body, name=name)

    def prepare_resend(self, body: ResendIn) -> ResendPreparedOut:
        return self.http.call(PREPARE_RESEND, body)

    def confirm_resend(self, body: TokenIn) -> ResentOut:
        return self.http.call(CONFIRM_RESEND, body)

    def import_contacts(self, body: ContactsIn) -> ContactsImportedOut:
        """All rows or none: a bad one is refused by `contacts.<i>.<field>`, its value never repeated."""
        return self.http.call(IMPORT_CONTACTS, body)

    def remove_contact(self, user_id: str, body: ReasonIn) -> None:
        self.http.call(REMOVE_CONTACT, body, user_id=user_id)

    def contacts_summary(self) -> ContactsSummaryOut:
        return self.http.call(CONTACTS_SUMMARY)
