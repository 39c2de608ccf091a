"""`lottery-ops notice prepare | send | list`: a notice to a segment of users (seed §1 `INCIDENT_NOTICE`, §14) —
the entrants of a campaign, or everyone refused during a window — shown before it goes: how many people per
channel and the text they will read (the notifier's template, rendered by the notifier), then confirmed like
`draws run`. Quiet hours are the notifier's: a notice asked at night is held and goes out from 08:00 KST."""

from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops, OpsError, body
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import confirm, console, context, emit, fields, table
from platform_deploy.ops.words import Words
from platform_shared.client.endpoint import as_json
from platform_shared.client.notices import rendered_text
from platform_shared.contracts.admin.models import TokenIn
from platform_shared.contracts.admin.notices import NoticeIn, NoticePreparedOut

HELP = "Notices to a segment of users (seed §1, §14): prepare (count and text), send, list."
WORDS = Words({
    "will_send": ("the notice that will be queued", "발송 대기열에 넣을 공지"),
    "per_channel": ("{channel}: {count} person(s)", "{channel}: {count}명"),
    "text": ("what each person will read ({locale})", "받는 사람이 읽을 내용 ({locale})"),
    "no_template": ("the notifier has no {template} template: no text to show",
                    "알림 서비스에 {template} 템플릿이 없습니다: 보여 줄 내용이 없습니다"),
    "send": ("Send this notice to {recipients} person(s) by {channels}?",
             "이 공지를 {recipients}명에게 {channels}(으)로 보낼까요?"),
    "sent": ("notice {notice_id} queued: {per_channel} (quiet hours 22:00–08:00 KST hold it until 08:00)",
             "공지 {notice_id}을(를) 대기열에 넣었습니다: {per_channel} (야간 22:00–08:00 KST에는 08:00까지 보류)"),
    "param": ("--param takes name=value, not {given!r}", "--param은 이름=값 형식입니다: {given!r}"),
    "segment": ("name the segment: --campaign ID, or --refused-from and --refused-until",
                "대상을 정하세요: --campaign ID, 또는 --refused-from과 --refused-until"),
    "none": ("no notices", "공지 없음"),
}, help={
    HELP: "사용자 일부에게 보내는 공지(seed §1, §14): 준비(인원과 내용), 발송, 목록.",
    "Who the notice reaches per channel and the text they will read; sends nothing.":
        "공지가 채널마다 몇 명에게 가는지와 받는 사람이 읽을 내용; 아무것도 보내지 않습니다.",
    "Show the count per channel and the text, confirm (or --yes), queue it at the notifier.":
        "채널별 인원과 내용을 보여 주고, 확인(또는 --yes)한 뒤 알림 서비스 대기열에 넣습니다.",
    "The notices sent, newest first: who, when, what, to whom.":
        "보낸 공지, 최근 것부터: 누가, 언제, 무엇을, 누구에게.",
    "INCIDENT_NOTICE | DRAW_ROLLBACK_NOTICE": "INCIDENT_NOTICE | DRAW_ROLLBACK_NOTICE",
    "Every entrant of this campaign (with --refused-from: only refusals in it)":
        "이 캠페인의 모든 응모자(--refused-from과 함께: 이 캠페인의 거절만)",
    "Everyone refused from this time (ISO with offset, e.g. 2026-12-01T21:00+09:00)":
        "이 시각부터 거절된 모든 사람(오프셋이 있는 ISO 시각, 예: 2026-12-01T21:00+09:00)",
    "… until this time (not included)": "… 이 시각까지(이 시각은 포함하지 않음)",
    "Only refusals for this reason (adgate, intro, not_open, bad_signature, expired, …)":
        "이 사유의 거절만(adgate, intro, not_open, bad_signature, expired, …)",
    "A parameter of the template, name=value (repeat for each)": "템플릿의 항목, 이름=값(항목마다 반복)",
    "message (Kakao/SMS) or email; repeat for both (default: both)":
        "message(카카오/SMS) 또는 email; 둘 다이면 반복(기본: 둘 다)",
    "The incident this notice belongs to": "이 공지가 속한 장애",
    "The language people read it in: ko (default) or en": "받는 사람이 읽을 언어: ko(기본) 또는 en",
    "How many": "몇 건",
})
app = typer.Typer(no_args_is_help=True, help=HELP)
COLUMNS = ["id", "sent_at", "sent_by", "template", "recipients", "channels", "incident_id", "notice_key"]

Template = Annotated[str, typer.Option("--template", help="INCIDENT_NOTICE | DRAW_ROLLBACK_NOTICE")]
Campaign = Annotated[str | None, typer.Option(
    "--campaign", help="Every entrant of this campaign (with --refused-from: only refusals in it)")]
RefusedFrom = Annotated[str | None, typer.Option(
    help="Everyone refused from this time (ISO with offset, e.g. 2026-12-01T21:00+09:00)")]
RefusedUntil = Annotated[str | None, typer.Option(help="… until this time (not included)")]
RefusedReason = Annotated[str | None, typer.Option(
    help="Only refusals for this reason (adgate, intro, not_open, bad_signature, expired, …)")]
Params = Annotated[list[str] | None, typer.Option("--param", help="A parameter of the template, name=value "
                                                                   "(repeat for each)")]
Channels = Annotated[list[str] | None, typer.Option(
    "--channel", help="message (Kakao/SMS) or email; repeat for both (default: both)")]
Incident = Annotated[str | None, typer.Option("--incident", help="The incident this notice belongs to")]
Locale = Annotated[str | None, typer.Option(help="The language people read it in: ko (default) or en")]


def notice_of(template: str, campaign: str | None, refused_from: str | None, refused_until: str | None,
              refused_reason: str | None, params: list[str] | None, channels: list[str] | None,
              incident: str | None, locale: str | None) -> NoticeIn:
    """The request from the options, refused here by field as the service would refuse it."""
    given: dict[str, str] = {}
    for pair in params or []:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise OpsError(WORDS["param"].format(given=pair))
        given[name.strip()] = value
    if refused_from is not None or refused_until is not None:
        segment: dict[str, Any] = {"kind": "refused", "from": refused_from, "until": refused_until,
                                   "campaign_id": campaign, "reason": refused_reason}
    elif campaign is not None:
        segment = {"kind": "campaign", "campaign_id": campaign}
    else:
        raise OpsError(WORDS["segment"])
    return body(NoticeIn, template=template, segment=segment, params=given,
                channels=channels or ["message", "email"], incident_id=incident, locale=locale)


def _show_prepared(prepared: NoticePreparedOut, text: str | None) -> None:
    shown = as_json(prepared)
    fields(shown, ["template", "segment", "params", "incident_id", "recipients", "sample", "notice_key",
                   "expires_at"], title=WORDS["will_send"])
    for channel, count in prepared.per_channel.items():
        console.print(WORDS["per_channel"].format(channel=channel, count=count))
    if text is None:
        console.print(WORDS["no_template"].format(template=prepared.template))
    else:
        console.rule(WORDS["text"].format(locale=prepared.locale or "ko"))
        console.print(text, markup=False, highlight=False)
        console.rule()


def _prepare(ops: Ops, notice: NoticeIn) -> tuple[NoticePreparedOut, str | None]:
    return ops.lottery.prepare_notice(notice), rendered_text(ops.notifier, notice)


@app.command()
def prepare(template: Template, campaign: Campaign = None, refused_from: RefusedFrom = None,
            refused_until: RefusedUntil = None, refused_reason: RefusedReason = None, param: Params = None,
            channel: Channels = None, incident: Incident = None, locale: Locale = None) -> None:
    """Who the notice reaches per channel and the text they will read; sends nothing."""
    ops = Ops(context().totp)
    prepared, text = _prepare(ops, notice_of(template, campaign, refused_from, refused_until, refused_reason,
                                             param, channel, incident, locale))
    emit({**as_json(prepared), "text": text}, lambda _: _show_prepared(prepared, text))


@app.command()
@takes_totp
def send(template: Template, campaign: Campaign = None, refused_from: RefusedFrom = None,
         refused_until: RefusedUntil = None, refused_reason: RefusedReason = None, param: Params = None,
         channel: Channels = None, incident: Incident = None, locale: Locale = None) -> None:
    """Show the count per channel and the text, confirm (or --yes), queue it at the notifier."""
    ops = Ops(context().totp)
    prepared, text = _prepare(ops, notice_of(template, campaign, refused_from, refused_until, refused_reason,
                                             param, channel, incident, locale))
    if not context().as_json:
        _show_prepared(prepared, text)
    confirm(WORDS["send"].format(recipients=prepared.recipients, channels=", ".join(prepared.channels)))
    sent = as_json(ops.lottery.confirm_notice(TokenIn(token=prepared.token)))
    emit({**sent, "text": text}, lambda data: console.print(WORDS["sent"].format(
        notice_id=data["notice_id"],
        per_channel=", ".join(f"{channel} {count}" for channel, count in data["per_channel"].items()))))


@app.command("list")
def list_notices(limit: Annotated[int, typer.Option(min=1, max=1000, help="How many")] = 50) -> None:
    """The notices sent, newest first: who, when, what, to whom."""
    rows = as_json(Ops(context().totp).lottery.notices(limit=limit))
    emit(rows, lambda shown: table(shown, COLUMNS) if shown else console.print(WORDS["none"]))

