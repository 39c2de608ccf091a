"""Korean first (seed: `timezone: Asia/Seoul`; runbook §14, §14.2): every template in Korean, the English text
kept alongside. A template is one body per (name, locale); a notification carries the locale it is written in
(Korean unless its request asked for English). The shipped texts name the campaign by its display name and show
times in KST (rendered at send time: notifier_service/domain/wording.py); the correction notice says why, what
was done and what the person may do (§14.2), and a kept seat has its own text (SEAT_CONFIRMED).

The rows there before are English: they stay, as the English ones. An English row still as shipped (0001/0002)
takes the new English text; one an operator fixed stays theirs.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

KOREAN = {
    "WINNER_OFFER": "[당첨 안내] 축하합니다! ${campaign_name}에 당첨되셨습니다. "
                    "${respond_by}까지 참여 여부를 알려 주세요: ${answer_link}",
    "WAITLIST_PROMOTION": "[대기자 당첨 안내] ${campaign_name}의 좌석이 회원님께 돌아왔습니다. "
                          "${respond_by}까지 참여 여부를 알려 주세요: ${answer_link}",
    "SEAT_CONFIRMED": "[중요] 추첨 결과 정정 안내\n"
                      "${campaign_name}의 추첨 결과가 정정되었습니다(정정 사유: ${reason}). "
                      "다시 추첨한 결과, 회원님의 당첨은 그대로 유지됩니다. "
                      "정정으로 이전 응답은 무효가 되었으니 "
                      "${respond_by}까지 참여 여부를 다시 알려 주세요: ${answer_link}",
    "DRAW_ROLLBACK_NOTICE": "[중요] 추첨 결과 정정 안내\n"
                            "${campaign_name}의 추첨 결과를 정정합니다.\n"
                            "정정 사유: ${reason}\n"
                            "되돌리기 조치: ${rolled_back_at}에 이전 추첨 결과를 무효화하고 "
                            "같은 조건으로 다시 추첨했습니다. "
                            "다시 추첨한 결과, 안내해 드렸던 당첨은 유지되지 않습니다.\n"
                            "이용자 권리: 이번 정정에 대해 문의하거나 이의를 제기하실 수 있으며, "
                            "공개된 추첨 검증 자료로 결과를 직접 확인하실 수 있습니다. "
                            "혼란을 드려 죄송합니다.",
    "INCIDENT_NOTICE": "[안내] ${message}",
}
ENGLISH = {
    "WINNER_OFFER": "Congratulations! You won a seat in ${campaign_name}. Please answer by ${respond_by}: "
                    "${answer_link}",
    "WAITLIST_PROMOTION": "A seat in ${campaign_name} is now yours to take. Please answer by ${respond_by}: "
                          "${answer_link}",
    "SEAT_CONFIRMED": "[Important] Draw result correction\nThe draw result for ${campaign_name} was corrected "
                      "(reason: ${reason}). In the new draw your seat stands. Answers given before the correction "
                      "were voided with it: please answer again by ${respond_by}: ${answer_link}",
    "DRAW_ROLLBACK_NOTICE": "[Important] Draw result correction\nThe draw result for ${campaign_name} has been "
                            "corrected.\nReason: ${reason}\n"
                            "What we did: on ${rolled_back_at} the earlier result was withdrawn and the draw was run "
                            "again on the same terms. In the new result, the seat we told you about is not yours.\n"
                            "Your rights: you may ask about this correction or object to it, and you can check the "
                            "result yourself with the draw's published verification data. We apologise for the "
                            "confusion.",
    "INCIDENT_NOTICE": "Service notice: ${message}",
}
SHIPPED_ENGLISH = {  # as 0001/0002 left them
    "WINNER_OFFER": "Congratulations! You won a seat in ${campaign_id}. Please answer by ${respond_by}: "
                    "${answer_link}",
    "WAITLIST_PROMOTION": "A seat in ${campaign_id} is now yours to take. Please answer by ${respond_by}: "
                          "${answer_link}",
    "DRAW_ROLLBACK_NOTICE": "Correction: the draw result for ${campaign_id} was withdrawn and will be redrawn. "
                            "We apologise for the confusion.",
}


def upgrade() -> None:
    op.add_column("notifications", sa.Column("locale", sa.String(5), nullable=False, server_default="ko"))
    op.add_column("templates", sa.Column("locale", sa.String(5), nullable=False, server_default="ko"))
    op.execute("UPDATE templates SET locale = 'en'")
    op.execute("ALTER TABLE templates DROP CONSTRAINT templates_pkey")
    op.create_primary_key("templates_pkey", "templates", ["name", "locale"])
    for name, shipped in SHIPPED_ENGLISH.items():
        op.execute(sa.text("UPDATE templates SET body = :new, updated_at = now() "
                           "WHERE name = :name AND locale = 'en' AND body = :old")
                   .bindparams(name=name, old=shipped, new=ENGLISH[name]))
    rows = [{"name": name, "locale": locale, "body": body}
            for locale, texts in (("ko", KOREAN), ("en", ENGLISH)) for name, body in texts.items()]
    for row in rows:  # an English row there before (shipped or fixed) stays
        op.execute(sa.text("INSERT INTO templates (name, locale, body) VALUES (:name, :locale, :body) "
                           "ON CONFLICT DO NOTHING").bindparams(**row))


def downgrade() -> None:
    op.execute("DELETE FROM templates WHERE locale <> 'en' OR name = 'SEAT_CONFIRMED'")
    for name, shipped in SHIPPED_ENGLISH.items():
        op.execute(sa.text("UPDATE templates SET body = :old WHERE name = :name AND body = :new")
                   .bindparams(name=name, old=shipped, new=ENGLISH[name]))
    op.execute("ALTER TABLE templates DROP CONSTRAINT templates_pkey")
    op.create_primary_key("templates_pkey", "templates", ["name"])
    op.drop_column("templates", "locale")
    op.drop_column("notifications", "locale")
