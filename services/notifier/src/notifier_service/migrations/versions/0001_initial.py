"""Notifications, attempts, templates, sender state, cancelled runs.
The tables every service shares are the platform's own branch (platform_shared/db/platform_migrations).

Revision ID: 0001
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# $name placeholders; a missing parameter is a template error (permanent, never retried).
DEFAULT_TEMPLATES = {
    "WINNER_OFFER": "Congratulations! You won a seat in ${campaign_id}. Please answer by ${respond_by}.",
    "WAITLIST_PROMOTION": "A seat in ${campaign_id} is now yours to take. Please answer by ${respond_by}.",
    "DRAW_ROLLBACK_NOTICE": "Correction: the draw result for ${campaign_id} was withdrawn and will be redrawn. "
                            "We apologise for the confusion.",
    "INCIDENT_NOTICE": "Service notice: ${message}",
}


def now() -> sa.Column[datetime]:
    return sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        # SPEC §5: the dedupe key names one logical notification; it is stored (and sent) once.
        sa.Column("dedupe_key", sa.String(300), nullable=False, unique=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("template", sa.String(50), nullable=False),
        sa.Column("params", JSONB, nullable=False),
        sa.Column("campaign_id", sa.String(100)),
        sa.Column("run_id", sa.Uuid),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        now(),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_until", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_notifications_run_id", "notifications", ["run_id"])
    op.create_index("ix_notifications_due", "notifications", ["next_attempt_at", "received_at", "id"],
                    postgresql_where=sa.text("status IN ('queued', 'held', 'retrying', 'sending')"))
    op.create_table(
        "notification_attempts",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("notification_id", sa.BigInteger, sa.ForeignKey("notifications.id"), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("http_status", sa.Integer),
    )
    op.create_index("ix_notification_attempts_notification", "notification_attempts", ["notification_id"])
    templates = op.create_table(
        "templates",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.bulk_insert(templates, [{"name": name, "body": body} for name, body in DEFAULT_TEMPLATES.items()])
    sender_state = op.create_table(
        "sender_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("paused_until", sa.DateTime(timezone=True)),
        sa.Column("reason", sa.Text),
        sa.Column("changed_by", sa.String(100)),
        sa.Column("changed_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(sender_state, [{"id": 1, "paused": False}])
    op.create_table(
        "cancelled_runs",
        sa.Column("run_id", sa.Uuid, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("cancelled_runs", "sender_state", "templates", "notification_attempts", "notifications"):
        op.drop_table(table)
