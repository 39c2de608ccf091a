"""E-mail notices (seed §1 `INCIDENT_NOTICE`, runbook §14.1): each notification goes by its channel (the rows
there before by the messaging vendor), a contact book holds the addresses e-mail goes to, and INCIDENT_NOTICE
says what §14.1 asks — the title with the notice's KST time, then 영향 기능, 기간, 조치, 재시도 안내 — in Korean
and its English twin. A row still as 0007 shipped it takes the new text; one an operator fixed stays theirs
(the notifier then refuses to save it again until it says all of that: domain/notice_rules.py).

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INCIDENT_NOTICE = {
    "ko": "[안내] 시스템 점검/장애 안내 (${notice_time})\n"
          "서비스 이용에 불편을 드려 죄송합니다.\n"
          "영향 기능: ${affected}\n"
          "기간: ${period}\n"
          "조치: ${action}\n"
          "재시도 안내: ${retry}",
    "en": "[Notice] Service maintenance/incident (${notice_time})\n"
          "We are sorry for the inconvenience.\n"
          "Affected: ${affected}\n"
          "Period: ${period}\n"
          "What we did: ${action}\n"
          "Retry: ${retry}",
}
SHIPPED = {"ko": "[안내] ${message}", "en": "Service notice: ${message}"}  # as 0007 left them


def upgrade() -> None:
    op.add_column("notifications", sa.Column("channel", sa.String(10), nullable=False, server_default="message"))
    op.create_table(
        "contacts",
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_contacts"),
    )
    for locale, body in INCIDENT_NOTICE.items():
        op.execute(sa.text("UPDATE templates SET body = :new, updated_at = now() "
                           "WHERE name = 'INCIDENT_NOTICE' AND locale = :locale AND body = :old")
                   .bindparams(locale=locale, old=SHIPPED[locale], new=body))


def downgrade() -> None:
    for locale, body in INCIDENT_NOTICE.items():
        op.execute(sa.text("UPDATE templates SET body = :old "
                           "WHERE name = 'INCIDENT_NOTICE' AND locale = :locale AND body = :new")
                   .bindparams(locale=locale, old=SHIPPED[locale], new=body))
    op.drop_table("contacts")
    op.drop_column("notifications", "channel")
