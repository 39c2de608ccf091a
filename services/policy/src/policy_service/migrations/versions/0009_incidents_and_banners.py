"""Incidents (seed §13), their timelines, stored banners (seed §1 "공지 배너") and `#ops-incident` posts.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _incident_fk(table: str, cascade: bool = True) -> sa.ForeignKey:
    return sa.ForeignKey("incidents.id", ondelete="CASCADE" if cascade else None,
                         name=f"fk_{table}_incident_id_incidents")


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("sev", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("campaigns", JSONB, nullable=False),
        sa.Column("features", JSONB, nullable=False),
        sa.Column("opened_by", sa.String(100), nullable=False),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("mitigated_at", TZ),
        sa.Column("resolved_at", TZ),
        sa.Column("first_response_at", TZ),
    )
    op.create_index("ix_incidents_status", "incidents", ["status"])
    op.create_table(
        "incident_timeline",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.BigInteger, _incident_fk("incident_timeline"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("evidence", JSONB, nullable=False),
    )
    op.create_index("ix_incident_timeline_incident_id", "incident_timeline", ["incident_id"])
    op.create_table(
        "banners",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("text_en", sa.String(200)),
        sa.Column("campaign_id", sa.String(100)),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("ends_at", TZ),
        sa.Column("set_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("incident_id", sa.BigInteger, _incident_fk("banners", cascade=False)),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("ended_at", TZ),
        sa.Column("ended_by", sa.String(100)),
    )
    op.create_index("ix_banners_incident_id", "banners", ["incident_id"])
    op.create_index("ix_banners_live", "banners", ["ended_at", "starts_at"])
    op.create_table(
        "incident_posts",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.BigInteger, _incident_fk("incident_posts"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("body", JSONB, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("next_attempt_at", TZ),
        sa.Column("sent_at", TZ),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_incident_posts_incident_id", "incident_posts", ["incident_id"])
    op.create_index("ix_incident_posts_due", "incident_posts", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("incident_posts")
    op.drop_table("banners")
    op.drop_table("incident_timeline")
    op.drop_table("incidents")
