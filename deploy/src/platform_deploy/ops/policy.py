"""`lottery-ops policy`: the control plane (seed §8): show, history, diff, propagation, propose → confirm,
roll back → confirm; backups and the restore of the history (seed §15)."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops, Refused, body
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import confirm, console, context, emit, fields, table
from platform_deploy.ops.words import Words
from platform_shared.client.endpoint import as_json
from platform_shared.client.policy import BACKUP_FILE
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.policy import ProposalIn

HELP = "The policy (seed §8): show, history, diff, propose, roll back; back up, restore (§15)."
WORDS = Words({
    "in_force": ("policy in force", "시행 중인 정책"),
    "propagation": ("propagation", "전파 상태"),
    "will_publish": ("the change that will be published", "게시될 변경"),
    "exception_memo": ("AdGate exception for {campaign}", "{campaign}의 AdGate 예외"),
    "exception": ("Let entries into {campaign} without a sponsor visit from {valid_from} to {valid_until}?",
                  "{valid_from}부터 {valid_until}까지 {campaign}에 후원사 방문 없이 응모를 받을까요?"),
    "no_exception": ("no AdGate exception for {campaign!r} in the policy in force",
                     "시행 중인 정책에 {campaign!r}의 AdGate 예외가 없습니다"),
    "end_exception": ("End the AdGate exception of {campaign}?", "{campaign}의 AdGate 예외를 끝낼까요?"),
    "bypass": ("Turn the global AdGate bypass {state}?", "전체 AdGate 우회를 {state}(으)로 바꿀까요?"),
    "not_a_patch": ("{patch}: not a readable JSON merge patch ({error})",
                    "{patch}: 읽을 수 있는 JSON 병합 패치가 아닙니다({error})"),
    "publish": ("Publish this policy change?", "이 정책 변경을 게시할까요?"),
    "back_to": ("back to version {version}", "버전 {version}(으)로 되돌리기"),
    "roll_back": ("Roll the policy back to version {version}?", "정책을 버전 {version}(으)로 되돌릴까요?"),
    "backup": ("policy backup", "정책 백업"),
    "restore": ("Restore the policy history from {file} into the empty database at POLICY_DATABASE_URL?",
                "{file}의 정책 이력을 POLICY_DATABASE_URL의 빈 데이터베이스로 복원할까요?"),
    "restore_failed": ("policy-admin restore failed", "policy-admin restore 실패"),
}, help={
    HELP: "정책(seed §8): 보기, 이력, 비교, 제안, 되돌리기; 백업, 복원(§15).",
    "The policy in force.": "시행 중인 정책.",
    "Every version, newest last, with who made it and why.": "모든 버전(최신이 마지막)과 만든 사람, 사유.",
    "What changed between two versions.": "두 버전 사이에 바뀐 것.",
    "Which version every service runs (seed §8.3).": "각 서비스가 따르는 버전(seed §8.3).",
    "Why (kept in the audit log and the policy history)": "사유(감사 로그와 정책 이력에 남음)",
    "AdGate emergency stop for one campaign (seed §5): entries go in without a sponsor visit, marked.":
        "한 캠페인의 AdGate 긴급 중지(seed §5): 후원사 방문 없이 응모를 받고 표시합니다.",
    "First day (YYYY-MM-DD, KST)": "첫날(YYYY-MM-DD, KST)",
    "Last day (YYYY-MM-DD, KST)": "마지막 날(YYYY-MM-DD, KST)",
    "What entrant pages show meanwhile": "그동안 응모 화면에 보일 안내",
    "End a campaign's AdGate exceptions; the confirmation names the impact report.":
        "캠페인의 AdGate 예외를 끝냅니다; 확인 화면에 영향 보고서가 나옵니다.",
    "The global AdGate bypass (seed §5), on or off.": "전체 AdGate 우회(seed §5) 켜기 또는 끄기.",
    "on | off": "on | off",
    "What entrant pages show while it is on": "켜져 있는 동안 응모 화면에 보일 안내",
    "The AdGate impact report: entries admitted under each exemption, per campaign (the lottery's).":
        "AdGate 영향 보고서: 예외마다 받아들인 응모, 캠페인별(추첨 서비스).",
    "One campaign": "캠페인 하나",
    "Show the change's diff, confirm (or --yes), publish it.":
        "변경의 차이를 보여 주고, 확인(또는 --yes)하고, 게시합니다.",
    "A JSON merge patch (RFC 7386) of the policy": "정책의 JSON 병합 패치(RFC 7386)",
    "What it is expected to do": "기대하는 효과",
    "Only for these campaigns": "이 캠페인들에만",
    "Publish an earlier version again, as a new version (confirm, or --yes).":
        "이전 버전을 새 버전으로 다시 게시합니다(확인 또는 --yes).",
    "The signed backups of the policy history the policy service keeps (seed §15), newest first.":
        "정책 서비스가 보관하는 서명된 정책 이력 백업(seed §15), 최신 순.",
    "Take a signed backup of the whole policy history now (audited); optionally keep a copy here.":
        "지금 전체 정책 이력의 서명된 백업을 만듭니다(감사 기록); 원하면 여기에 사본을 받습니다.",
    "Also download the file to this path": "이 경로로도 파일을 받기",
    "Disaster recovery (seed §15): fill an EMPTY policy database from a backup, before the policy service\n"
    "first starts on it. Runs `policy-admin restore` on this host, with its environment (POLICY_DATABASE_URL,\n"
    "ADMIN_TOKEN_JWKS); a corrupt, foreign or unreadable file, or a database with a history, is refused.":
        "재해 복구(seed §15): 정책 서비스가 처음 시작하기 전에 비어 있는 정책 데이터베이스를 백업으로 채웁니다. "
        "이 호스트에서 그 환경(POLICY_DATABASE_URL, ADMIN_TOKEN_JWKS)으로 `policy-admin restore`를 실행합니다; "
        "손상되었거나, 다른 설치의 것이거나, 읽을 수 없는 파일, 또는 이력이 있는 데이터베이스는 거절합니다.",
    "A backup file this installation signed": "이 설치가 서명한 백업 파일",
    "Who restores (for the audit log)": "복원하는 사람(감사 로그용)",
})
app = typer.Typer(no_args_is_help=True, help=HELP)
Reason = Annotated[str, typer.Option(help="Why (kept in the audit log and the policy history)")]


def _ops() -> Ops:
    return Ops(context().totp)


@app.command()
def show() -> None:
    """The policy in force."""
    emit(as_json(_ops().policy.policy()), lambda data: fields(data, title=WORDS["in_force"]))


@app.command()
def history() -> None:
    """Every version, newest last, with who made it and why."""
    emit(as_json(_ops().policy.versions()),
         lambda rows: table(rows, ["version", "created_at", "created_by", "reason", "scope"]))


@app.command()
def diff(from_version: int, to_version: int) -> None:
    """What changed between two versions."""
    emit(as_json(_ops().policy.diff(from_version, to_version)),
         lambda rows: table(rows, ["path", "before", "after"]))


@app.command()
def propagation() -> None:
    """Which version every service runs (seed §8.3)."""
    emit(as_json(_ops().policy.propagation()), lambda data: fields(data, title=WORDS["propagation"]))


def _publish(ops: Ops, proposal: dict[str, Any], question: str) -> None:
    """Propose, show the diff, confirm (or --yes), publish."""
    prepared = ops.policy.propose(body(ProposalIn, **proposal))
    if not context().as_json:
        fields(as_json(prepared), title=WORDS["will_publish"])
    confirm(question)
    emit(as_json(ops.policy.confirm_change(TokenIn(token=prepared.token))), fields)


@app.command("adgate-exception")
@takes_totp
def adgate_exception(campaign: str, reason: Reason,
                     valid_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD, KST)")],
                     valid_until: Annotated[str, typer.Option("--until", help="Last day (YYYY-MM-DD, KST)")],
                     banner: Annotated[str, typer.Option(help="What entrant pages show meanwhile")] = "") -> None:
    """AdGate emergency stop for one campaign (seed §5): entries go in without a sponsor visit, marked."""
    ops = _ops()
    current = as_json(ops.policy.policy())["document"].get("adgate_exceptions", [])
    added = {"campaign_id": campaign, "reason": reason, "valid_from": valid_from, "valid_until": valid_until,
             "banner_text": banner}
    _publish(ops, {"reason": reason, "impact_memo": WORDS["exception_memo"].format(campaign=campaign),
                   "patch": {"adgate_exceptions": [*current, added]}},
             WORDS["exception"].format(campaign=campaign, valid_from=valid_from, valid_until=valid_until))


@app.command("adgate-exception-end")
@takes_totp
def end_adgate_exception(campaign: str, reason: Reason) -> None:
    """End a campaign's AdGate exceptions; the confirmation names the impact report."""
    ops = _ops()
    current = as_json(ops.policy.policy())["document"].get("adgate_exceptions", [])
    kept = [e for e in current if e["campaign_id"] != campaign]
    if len(kept) == len(current):
        raise Refused(WORDS["no_exception"].format(campaign=campaign))
    _publish(ops, {"reason": reason, "patch": {"adgate_exceptions": kept}},
             WORDS["end_exception"].format(campaign=campaign))


@app.command("adgate-bypass")
@takes_totp
def adgate_bypass(state: Annotated[str, typer.Argument(help="on | off")], reason: Reason,
                  banner: Annotated[str, typer.Option(help="What entrant pages show while it is on")] = "") -> None:
    """The global AdGate bypass (seed §5), on or off."""
    if state not in ("on", "off"):
        raise typer.BadParameter("on or off", param_hint="STATE")
    patch: dict[str, Any] = {"adgate_global_bypass": state == "on"}
    if banner:
        patch["adgate_global_bypass_banner"] = banner
    _publish(_ops(), {"reason": reason, "patch": patch}, WORDS["bypass"].format(state=state))


@app.command()
def impact(campaign: Annotated[str | None, typer.Option(help="One campaign")] = None) -> None:
    """The AdGate impact report: entries admitted under each exemption, per campaign (the lottery's)."""
    emit(as_json(_ops().lottery.adgate_exemptions(campaign)),
         lambda rows: table(rows if isinstance(rows, list) else [rows],
                            ["campaign_id", "exemption", "entries", "first_entry_at", "last_entry_at"]))


@app.command()
@takes_totp
def propose(patch: Annotated[Path, typer.Argument(help="A JSON merge patch (RFC 7386) of the policy")],
            reason: Reason, memo: Annotated[str, typer.Option("--impact", help="What it is expected to do")] = "",
            campaign: Annotated[list[str] | None, typer.Option(help="Only for these campaigns")] = None) -> None:
    """Show the change's diff, confirm (or --yes), publish it."""
    try:
        merge_patch: dict[str, Any] = json.loads(patch.read_text())
    except (OSError, ValueError) as error:
        raise Refused(WORDS["not_a_patch"].format(patch=patch, error=error)) from error
    _publish(_ops(), {"reason": reason, "impact_memo": memo, "patch": merge_patch, "scope": campaign},
             WORDS["publish"])


@app.command()
@takes_totp
def rollback(version: int, reason: Reason) -> None:
    """Publish an earlier version again, as a new version (confirm, or --yes)."""
    ops = _ops()
    prepared = ops.policy.prepare_rollback(version, body(ReasonIn, reason=reason))
    if not context().as_json:
        fields(as_json(prepared), title=WORDS["back_to"].format(version=version))
    confirm(WORDS["roll_back"].format(version=version))
    emit(as_json(ops.policy.confirm_rollback(TokenIn(token=prepared.token))), fields)


@app.command()
def backups() -> None:
    """The signed backups of the policy history the policy service keeps (seed §15), newest first."""
    emit(as_json(_ops().policy.backups()), lambda rows: table(rows, ["file", "bytes"]))


@app.command()
@takes_totp
def backup(save: Annotated[Path | None, typer.Option(help="Also download the file to this path")] = None) -> None:
    """Take a signed backup of the whole policy history now (audited); optionally keep a copy here."""
    ops = _ops()
    taken = as_json(ops.policy.take_backup())
    if save is not None:
        with ops.policy.http.stream(BACKUP_FILE, file=taken["file"]) as response:
            save.write_bytes(response.read())
        taken = {**taken, "saved_to": str(save)}
    emit(taken, lambda data: fields(data, title=WORDS["backup"]))


@app.command()
def restore(file: Annotated[Path, typer.Argument(help="A backup file this installation signed")],
            by: Annotated[str, typer.Option(help="Who restores (for the audit log)")]) -> None:
    """Disaster recovery (seed §15): fill an EMPTY policy database from a backup, before the policy service
    first starts on it. Runs `policy-admin restore` on this host, with its environment (POLICY_DATABASE_URL,
    ADMIN_TOKEN_JWKS); a corrupt, foreign or unreadable file, or a database with a history, is refused."""
    confirm(WORDS["restore"].format(file=file))
    done = subprocess.run([sys.executable, "-m", "policy_service.entrypoints.cli.accounts_cli", "restore", str(file),
                           "--by", by], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Refused((done.stderr.strip().splitlines() or [WORDS["restore_failed"]])[-1])
    emit({"restored": done.stdout.strip()}, lambda data: console.print(data["restored"]))
