"""Offer messages carry their answer link (SPEC §9): `${answer_link}` in the default WINNER_OFFER
and WAITLIST_PROMOTION templates, rendered by the sender at send time and stored nowhere.

Only a template still as shipped is changed: one an operator fixed (`PUT /templates/{name}`, audited) stays
theirs, and they add the link the same audited way.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CHANGES = {  # name: (as shipped in 0001, with the link)
    "WINNER_OFFER": ("Congratulations! You won a seat in ${campaign_id}. Please answer by ${respond_by}.",
                     "Congratulations! You won a seat in ${campaign_id}. Please answer by ${respond_by}: "
                     "${answer_link}"),
    "WAITLIST_PROMOTION": ("A seat in ${campaign_id} is now yours to take. Please answer by ${respond_by}.",
                           "A seat in ${campaign_id} is now yours to take. Please answer by ${respond_by}: "
                           "${answer_link}"),
}


def _replace(name: str, old: str, new: str) -> None:
    op.execute(sa.text("UPDATE templates SET body = :new, updated_at = now() WHERE name = :name AND body = :old")
               .bindparams(name=name, old=old, new=new))


def upgrade() -> None:
    for name, (shipped, linked) in CHANGES.items():
        _replace(name, shipped, linked)


def downgrade() -> None:
    for name, (shipped, linked) in CHANGES.items():
        _replace(name, linked, shipped)
