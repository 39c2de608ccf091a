"""`lottery-ops incident` and `lottery-ops banner` (seed §1, §13): the SEV table, open an incident, note, move its
status, its first response (shown, asked, confirmed — SEV3's reads the notifier's dashboard here and sends its
figures), and the banners in force, set and ended."""

from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops, body
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import confirm, console, context, emit, fields, table
from platform_deploy.ops.words import Words, language
from platform_shared.client.endpoint import as_json
from platform_shared.contracts.admin.incidents import (
    BannerEndIn,
    BannerIn,
    FirstResponseIn,
    IncidentIn,
    NoteIn,
    StatusIn,
)
from platform_shared.contracts.admin.models import TokenIn

HELP = "Incidents (seed §13): the SEV table, open, note, status, the first response."
BANNER_HELP = "Banners (seed §1): in force now, every stored one, set, end."
WORDS = Words({
    "level": ("SEV{sev} {name} — {definition} (e.g. {examples}); first response: {response}",
              "SEV{sev} {name} — {definition} (예: {examples}); 초기 대응: {response}"),
    "will_respond": ("the first response that will happen", "실행될 초기 대응"),
    "respond": ("Apply the first response of incident {id}?", "사건 {id}의 초기 대응을 실행할까요?"),
    "none": ("nothing", "없음"),
    "timeline": ("timeline", "타임라인"),
    "posts": ("#ops-incident posts", "#ops-incident 게시"),
    "banners": ("banners", "배너"),
}, help={
    HELP: "장애(seed §13): SEV 표, 열기, 메모, 상태, 초기 대응.",
    BANNER_HELP: "배너(seed §1): 지금 게시 중인 것, 저장된 전부, 게시, 종료.",
    "The SEV table of seed §13, each level's checklist in order.": "seed §13의 SEV 표와 각 단계의 점검 목록.",
    "Incidents, newest first.": "장애 목록, 최신 순.",
    "open | mitigated | resolved": "open | mitigated | resolved",
    "Which page (from 0)": "건너뛸 개수(0부터)",
    "Rows per page": "한 쪽의 줄 수",
    "One incident: its timeline, banners and #ops-incident posts (sent, pending, failed).":
        "장애 하나: 타임라인, 배너, #ops-incident 게시(보냄, 대기, 실패).",
    "Open an incident with its SEV (1, 2, 3); #ops-incident gets the post with the checklist.":
        "SEV(1, 2, 3)로 장애를 엽니다; #ops-incident에 점검 목록과 함께 게시됩니다.",
    "1 full outage, 2 major degradation, 3 partial errors/delays": "1 전면 중단, 2 주요 기능 저하, 3 일부 오류/지연",
    "What is known so far": "지금까지 알려진 내용",
    "An affected campaign (repeat the option)": "영향받는 캠페인(옵션 반복 가능)",
    "An affected feature: login, entry, adgate, draw, waitlist, notifications, console, intro, other":
        "영향받는 기능: login, entry, adgate, draw, waitlist, notifications, console, intro, other",
    "Add a note to the timeline (and #ops-incident).": "타임라인(과 #ops-incident)에 메모를 남깁니다.",
    "Mitigated or resolved (final); resolving ends the incident's banners.":
        "완화됨 또는 해결됨(최종); 해결하면 장애의 배너가 끝납니다.",
    "mitigated | resolved": "mitigated | resolved",
    "Why (kept in the audit log)": "사유(감사 로그에 남음)",
    "The SEV's first response: shown, confirmed (or --yes), done (seed §13).":
        "SEV의 초기 대응: 보여 주고, 확인(또는 --yes)한 뒤 실행합니다(seed §13).",
    "SEV1/2: the banner's text (default: the level's)": "SEV1/2: 배너 문구(기본: 등급의 문구)",
    "SEV1/2: the banner in English": "SEV1/2: 영어 배너 문구",
    "SEV1: also the global AdGate bypass (seed §5.2)": "SEV1: AdGate 전역 우회도 켬(seed §5.2)",
    "SEV2: the exception's first KST day (YYYY-MM-DD)": "SEV2: 예외 첫날(KST, YYYY-MM-DD)",
    "SEV2: the exception's last KST day (YYYY-MM-DD)": "SEV2: 예외 마지막 날(KST, YYYY-MM-DD)",
    "Every banner in force now (what entrant pages show).": "지금 게시 중인 모든 배너(응모 화면에 보이는 것).",
    "One campaign's (and those for all)": "한 캠페인의 배너(와 전체 배너)",
    "Every stored banner, scheduled and ended included.": "저장된 모든 배너(예약, 종료 포함).",
    "Set a banner (Korean text; English alongside), now or from --starts-at, until --ends-at or ended.":
        "배너를 게시합니다(한국어 문구, 영어 병기), 지금 또는 --starts-at부터, --ends-at까지 또는 종료할 때까지.",
    "In English": "영어 문구",
    "Only this campaign's pages": "이 캠페인의 화면에만",
    "ISO time with offset, e.g. 2026-12-08T10:00+09:00 (default now)":
        "오프셋이 있는 ISO 시각, 예: 2026-12-08T10:00+09:00(기본: 지금)",
    "ISO time with offset (default: until ended)": "오프셋이 있는 ISO 시각(기본: 종료할 때까지)",
    "The incident it belongs to (ended when it is resolved)": "속한 장애(해결되면 함께 종료)",
    "End a banner now.": "배너를 지금 끝냅니다.",
})
incident = typer.Typer(no_args_is_help=True, help=HELP)
banner = typer.Typer(no_args_is_help=True, help=BANNER_HELP)
Reason = Annotated[str, typer.Option(help="Why (kept in the audit log)")]
FEATURE_HELP = "An affected feature: login, entry, adgate, draw, waitlist, notifications, console, intro, other"
INCIDENT_COLUMNS = ["id", "sev", "status", "title", "campaigns", "features", "opened_by", "opened_at", "resolved_at"]
BANNER_COLUMNS = ["id", "kind", "text", "campaign_id", "starts_at", "ends_at", "set_by", "reason", "ended_at"]


def _ops() -> Ops:
    return Ops(context().totp)


@incident.command("levels")
def levels() -> None:
    """The SEV table of seed §13, each level's checklist in order."""
    en = language() == "en"

    def show(rows: list[dict[str, Any]]) -> None:
        for level in rows:
            suffix = "_en" if en else ""
            console.print(WORDS["level"].format(
                sev=level["sev"], name=level[f"name{suffix}"], definition=level[f"definition{suffix}"],
                examples=", ".join(level[f"examples{suffix}"]), response=level[f"first_response_name{suffix}"]))
            for step in level["checklist"]:
                console.print(f"  ☐ {step['en' if en else 'ko']}")

    emit(as_json(_ops().policy.incident_levels()), show)


@incident.command("list")
def list_incidents(status: Annotated[str | None, typer.Option(help="open | mitigated | resolved")] = None,
                   offset: Annotated[int, typer.Option(min=0, help="Which page (from 0)")] = 0,
                   limit: Annotated[int, typer.Option(min=1, max=200, help="Rows per page")] = 50) -> None:
    """Incidents, newest first."""
    page = as_json(_ops().policy.incidents(status, offset, limit))
    emit(page, lambda data: table(data["rows"], INCIDENT_COLUMNS))


@incident.command("show")
def show(incident_id: int) -> None:
    """One incident: its timeline, banners and #ops-incident posts (sent, pending, failed)."""
    def shown(data: dict[str, Any]) -> None:
        fields({k: v for k, v in data.items() if k not in ("timeline", "banners", "posts")}, title=data["title"])
        table(data["timeline"], ["at", "kind", "actor", "text"], title=WORDS["timeline"])
        if data["banners"]:
            table(data["banners"], BANNER_COLUMNS, title=WORDS["banners"])
        table(data["posts"], ["id", "kind", "status", "attempts", "sent_at", "last_error"], title=WORDS["posts"])

    emit(as_json(_ops().policy.incident(incident_id)), shown)


@incident.command("open")
def open_incident(
        title: str,
        sev: Annotated[int, typer.Option(help="1 full outage, 2 major degradation, 3 partial errors/delays")],
        summary: Annotated[str, typer.Option(help="What is known so far")] = "",
        campaign: Annotated[list[str] | None, typer.Option(help="An affected campaign (repeat the option)")] = None,
        feature: Annotated[list[str] | None, typer.Option(help=FEATURE_HELP)] = None,
) -> None:
    """Open an incident with its SEV (1, 2, 3); #ops-incident gets the post with the checklist."""
    opened = _ops().policy.open_incident(body(IncidentIn, sev=sev, title=title, summary=summary,
                                              campaigns=campaign or [], features=feature or []))
    emit(as_json(opened), fields)


@incident.command("note")
def note(incident_id: int, text: str) -> None:
    """Add a note to the timeline (and #ops-incident)."""
    emit(as_json(_ops().policy.note_incident(incident_id, body(NoteIn, text=text))), fields)


@incident.command("status")
def status(incident_id: int, state: Annotated[str, typer.Argument(help="mitigated | resolved")],
           reason: Reason) -> None:
    """Mitigated or resolved (final); resolving ends the incident's banners."""
    emit(as_json(_ops().policy.incident_status(incident_id, body(StatusIn, status=state, note=reason))), fields)


@incident.command("respond")
@takes_totp
def respond(incident_id: int, reason: Reason,
            banner_text: Annotated[str | None, typer.Option(help="SEV1/2: the banner's text (default: the level's)")
                                   ] = None,
            banner_text_en: Annotated[str | None, typer.Option(help="SEV1/2: the banner in English")] = None,
            detour: Annotated[bool, typer.Option(help="SEV1: also the global AdGate bypass (seed §5.2)")] = False,
            valid_from: Annotated[str | None, typer.Option(help="SEV2: the exception's first KST day (YYYY-MM-DD)")
                                  ] = None,
            valid_until: Annotated[str | None, typer.Option(help="SEV2: the exception's last KST day (YYYY-MM-DD)")
                                   ] = None) -> None:
    """The SEV's first response: shown, confirmed (or --yes), done (seed §13)."""
    ops = _ops()
    found = as_json(ops.policy.incident(incident_id))
    figures = None
    if found["sev"] == 3:  # seed §6.1: the queue's figures, read here from the notifier (never by the policy)
        dashboard = as_json(ops.notifier.dashboard())
        figures = {key: dashboard[key] for key in ("counts", "held_for_quiet_hours", "release_backlog",
                                                   "top_failure_reasons", "enqueue_success_rate") if key in dashboard}
        figures["sending_paused"] = dashboard.get("sending", {}).get("paused")
    prepared = ops.policy.prepare_first_response(incident_id, body(
        FirstResponseIn, reason=reason, banner_text=banner_text, banner_text_en=banner_text_en, detour=detour,
        valid_from=valid_from, valid_until=valid_until, queue_check=figures))
    if not context().as_json:
        shown = as_json(prepared)
        for action in shown["actions"]:
            console.print(f"• {action}")
        fields({k: v for k, v in shown.items() if k in ("policy_changes", "proposed_against", "expires_at")},
               title=WORDS["will_respond"])
    confirm(WORDS["respond"].format(id=incident_id))
    emit(as_json(ops.policy.confirm_first_response(incident_id, TokenIn(token=prepared.token))), fields)


@banner.command("list")
def banners_in_force(campaign: Annotated[str | None, typer.Option(help="One campaign's (and those for all)")]
                     = None) -> None:
    """Every banner in force now (what entrant pages show)."""
    emit(as_json(_ops().policy.banners_in_force(campaign))["banners"],
         lambda rows: table(rows, ["kind", "text", "campaign_id", "starts_at", "ends_at", "set_by", "reason",
                                   "source"]) if rows else console.print(WORDS["none"]))


@banner.command("all")
def every_banner(offset: Annotated[int, typer.Option(min=0, help="Which page (from 0)")] = 0,
                 limit: Annotated[int, typer.Option(min=1, max=200, help="Rows per page")] = 50) -> None:
    """Every stored banner, scheduled and ended included."""
    emit(as_json(_ops().policy.all_banners(offset, limit)), lambda page: table(page["rows"], BANNER_COLUMNS))


@banner.command("set")
@takes_totp
def set_banner(text: str, reason: Reason,
               text_en: Annotated[str | None, typer.Option(help="In English")] = None,
               campaign: Annotated[str | None, typer.Option(help="Only this campaign's pages")] = None,
               starts_at: Annotated[str | None, typer.Option(
                   help="ISO time with offset, e.g. 2026-12-08T10:00+09:00 (default now)")] = None,
               ends_at: Annotated[str | None, typer.Option(help="ISO time with offset (default: until ended)")] = None,
               incident_id: Annotated[int | None, typer.Option(
                   "--incident", help="The incident it belongs to (ended when it is resolved)")] = None) -> None:
    """Set a banner (Korean text; English alongside), now or from --starts-at, until --ends-at or ended."""
    emit(as_json(_ops().policy.set_banner(body(BannerIn, text=text, text_en=text_en, campaign_id=campaign,
                                               starts_at=starts_at, ends_at=ends_at,
                                               reason=reason, incident_id=incident_id))), fields)


@banner.command("end")
@takes_totp
def end_banner(banner_id: int, reason: Reason) -> None:
    """End a banner now."""
    emit(as_json(_ops().policy.end_banner(banner_id, body(BannerEndIn, reason=reason))), fields)
