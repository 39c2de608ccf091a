"""`lottery-ops auth 2fa-reset`: a lost device (seed §10). The holder asks with their password; a PM other
than the holder approves with a fresh second factor; the holder then enrols a new authenticator, once."""

import os
from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops, OpsError, body, http, translated
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import at_terminal, console, context, emit, fields, table
from platform_deploy.ops.words import Words
from platform_shared.client.endpoint import as_json
from platform_shared.client.policy import PolicyClient
from platform_shared.contracts.admin.identity import EnrolIn, ResetRequestIn
from platform_shared.contracts.admin.models import ReasonIn

HELP = "Your own login: a lost device's 2FA reset (seed §10)."
RESET_HELP = "A lost device: ask (the holder), approve (another PM), enrol (the holder, once)."
WORDS = Words({
    "password": ("Password", "비밀번호"),
    "no_password": ("no terminal to ask for the password on: set OPS_PASSWORD (never put it on the command line)",
                    "비밀번호를 물어볼 터미널이 없습니다: OPS_PASSWORD를 설정하세요(명령줄에는 절대 쓰지 마세요)"),
    "asked": ("reset asked: request {request_id}; a PM other than you approves it "
              "(`lottery-ops auth 2fa-reset approve {request_id} --reason …`)",
              "재설정을 요청했습니다: 요청 {request_id}; 본인이 아닌 다른 PM이 승인합니다 "
              "(`lottery-ops auth 2fa-reset approve {request_id} --reason …`)"),
    "enrolled": ("add this to your authenticator app (shown once): {provisioning_uri}",
                 "인증 앱에 추가하세요(한 번만 표시): {provisioning_uri}"),
    "codes": ("backup codes (shown once, keep them offline): {codes}",
              "백업 코드(한 번만 표시, 오프라인에 보관하세요): {codes}"),
    "reset": ("2FA reset", "2단계 인증 재설정"),
}, help={
    HELP: "내 로그인: 기기를 잃어버렸을 때의 2단계 인증 재설정(seed §10).",
    RESET_HELP: "기기 분실: 요청(본인), 승인(다른 PM), 등록(본인, 한 번).",
    "The holder asks for a reset with their password (no login needed).":
        "본인이 비밀번호로 재설정을 요청합니다(로그인 필요 없음).",
    "Your account (the holder's)": "내 계정(본인)",
    "What happened to the device": "기기에 무슨 일이 있었는지",
    "Resets asked and not yet done.": "요청되었고 아직 끝나지 않은 재설정.",
    "A PM other than the holder approves: the old secret, backup codes and every login of the account stop\n"
    "working.": "본인이 아닌 PM이 승인합니다: 이전 비밀 키, 백업 코드와 그 계정의 모든 로그인이 더는 쓰이지 "
                "않습니다.",
    "How you checked it is them": "본인임을 어떻게 확인했는지",
    "The holder takes the new TOTP secret and backup codes, once, with their password.":
        "본인이 비밀번호로 새 TOTP 비밀 키와 백업 코드를 한 번 받습니다.",
})
app = typer.Typer(no_args_is_help=True, help=HELP)
resets = typer.Typer(no_args_is_help=True, help=RESET_HELP)
app.add_typer(resets, name="2fa-reset")
Account = Annotated[str, typer.Option(help="Your account (the holder's)")]


def _password() -> str:
    """The holder's password: OPS_PASSWORD, else asked without echo; never an option (shell history)."""
    given = os.environ.get("OPS_PASSWORD")
    if given:
        return given
    if not at_terminal():
        raise OpsError(WORDS["no_password"])
    answer: str = typer.prompt(WORDS["password"], hide_input=True)
    return answer


def _anonymous() -> PolicyClient:
    """The holder has lost their second factor, so has no session: these routes take the password."""
    return PolicyClient(http("policy"))


@resets.command("ask")
def ask(account: Account, reason: Annotated[str, typer.Option(help="What happened to the device")]) -> None:
    """The holder asks for a reset with their password (no login needed)."""
    asking = body(ResetRequestIn, account=account, password=_password(), reason=reason)
    answer = as_json(translated("policy", lambda: _anonymous().request_reset(asking)))
    emit(answer, lambda data: console.print(WORDS["asked"].format(request_id=data["request_id"])))


@resets.command("list")
def open_requests() -> None:
    """Resets asked and not yet done."""
    emit(as_json(Ops(context().totp).policy.resets()),
         lambda rows: table(rows, ["id", "account", "status", "reason", "requested_at", "approved_by"]))


@resets.command("approve")
@takes_totp
def approve(request_id: str, reason: Annotated[str, typer.Option(help="How you checked it is them")]) -> None:
    """A PM other than the holder approves: the old secret, backup codes and every login of the account stop
    working."""
    approved = Ops(context().totp).policy.approve_reset(request_id, body(ReasonIn, reason=reason))
    emit(as_json(approved), lambda data: fields(data, title=WORDS["reset"]))


@resets.command("enrol")
def enrol(request_id: str, account: Account) -> None:
    """The holder takes the new TOTP secret and backup codes, once, with their password."""
    enrolling = body(EnrolIn, account=account, password=_password())
    enrolment = as_json(translated("policy", lambda: _anonymous().enrol(request_id, enrolling)))

    def show(data: dict[str, Any]) -> None:
        console.print(WORDS["enrolled"].format(provisioning_uri=data["provisioning_uri"]))
        console.print(WORDS["codes"].format(codes=", ".join(data["backup_codes"])))

    emit(enrolment, show)
