"""`lottery-ops`: the operator's one command for the runbook (seed §3-§8) across the four services.

Log in once per shell session (password + TOTP; the access token is kept in OPS_SESSION_FILE, by default under
$XDG_RUNTIME_DIR, mode 0600, never the password). Sensitive actions step up with a TOTP code (the command's
`--totp`, or asked at a terminal). Two-step actions show what will happen and ask at a terminal; `--yes`
answers for scripts. `--json` prints what the services answered (times as ISO); on screen times are in KST, to
the minute. The words are Korean unless `--lang en` or OPS_LANG=en. Exit codes: 0 done, 1 a check failed, 2
usage (or a question with no terminal to ask on), 3 refused (nothing changed), 4 service unreachable or
failing, 5 not logged in. Services: the profile file `make demo ARGS=--keep-running` writes
($XDG_CONFIG_HOME/lottery-ops/profile.toml, or OPS_PROFILE), each overridden by OPS_POLICY_URL,
OPS_LOTTERY_URL, OPS_WAITLIST_URL, OPS_NOTIFIER_URL (default: the ports of docker-compose.yml)."""

from enum import StrEnum
from typing import Annotated

import typer

from platform_deploy.ops import auth, corrections, draws, incidents, kakao, levers, notices, policy, user_notices
from platform_deploy.ops.client import Ops, Session, login, session_file
from platform_deploy.ops.options import TOTP_HELP, TOTP_KO
from platform_deploy.ops.output import Context, NoTerminal, at_terminal, console, context, emit, fields, set_context
from platform_deploy.ops.words import OpsGroup, Words
from platform_shared.client.endpoint import as_json

LANG_HELP = "The language of the words: ko (default) or en; OPS_LANG sets it too"


class Language(StrEnum):
    ko = "ko"
    en = "en"


WORDS = Words({
    "logged_in": ("logged in as {account}", "{account} 계정으로 로그인했습니다"),
    "logged_out": ("logged out", "로그아웃했습니다"),
    "missing": ("no terminal to ask on: give {option}", "물어볼 터미널이 없습니다: {option} 옵션을 주세요"),
    "account": ("Account", "계정"),
    "password": ("Password", "비밀번호"),
    "code": ("TOTP code", "TOTP 코드"),
}, help={
    __doc__: "`lottery-ops`: 네 서비스에 걸친 런북(seed §3-§8)을 운영자가 실행하는 하나의 명령입니다.\n\n"
             "셸 세션마다 한 번 로그인합니다(비밀번호 + TOTP; 액세스 토큰은 OPS_SESSION_FILE에 보관되며 기본 위치는 "
             "$XDG_RUNTIME_DIR, 권한 0600, 비밀번호는 보관하지 않습니다). 민감한 작업은 TOTP 코드로 재인증합니다"
             "(명령의 `--totp`, 또는 터미널에서 질문). 두 단계 작업은 무엇이 일어날지 보여 주고 터미널에서 묻습니다; "
             "스크립트는 `--yes`로 답합니다. `--json`은 서비스의 응답을 그대로 출력합니다(시각은 ISO 형식). "
             "화면의 시각은 KST(분 단위)로 표시합니다. 말은 한국어가 기본이며 `--lang en` 또는 OPS_LANG=en이면 "
             "영어입니다. 종료 코드: 0 완료, 1 점검 실패, 2 사용법 오류(또는 물어볼 터미널 없음), 3 거절됨(변경 "
             "없음), 4 서비스 응답 없음 또는 장애, 5 로그인 안 됨. 서비스 주소: `make demo ARGS=--keep-running`이 "
             "쓰는 프로필 파일($XDG_CONFIG_HOME/lottery-ops/profile.toml, 또는 OPS_PROFILE), 각각 OPS_POLICY_URL, "
             "OPS_LOTTERY_URL, OPS_WAITLIST_URL, OPS_NOTIFIER_URL로 덮어쓸 수 있습니다(기본값: docker-compose.yml의 "
             "포트).",
    "Print the services' answers as JSON": "서비스의 응답을 JSON으로 출력",
    "Confirm two-step actions without asking": "두 단계 작업을 묻지 않고 확인",
    TOTP_HELP + " (also after the command)": TOTP_KO + " (명령 뒤에도 쓸 수 있음)",
    LANG_HELP: "말의 언어: ko(기본) 또는 en; OPS_LANG으로도 정할 수 있음",
    "Password and TOTP code at the policy service; the token is kept for this session.":
        "정책 서비스에 비밀번호와 TOTP 코드로 로그인합니다; 토큰은 이 세션 동안 보관됩니다.",
    "Asked at a terminal if left out": "빠지면 터미널에서 묻습니다",
    "Asked (hidden) at a terminal if left out": "빠지면 터미널에서 (가려서) 묻습니다",
    "The authenticator's code": "인증 앱의 코드",
    "End the session here and at the policy service.": "여기와 정책 서비스에서 세션을 끝냅니다.",
    "Who is logged in here, with their role.": "여기 로그인한 계정과 역할.",
})
assert notices.WORDS  # its commands join `notifications` on import

app = typer.Typer(cls=OpsGroup, no_args_is_help=True, add_completion=False, help=__doc__, rich_markup_mode=None)
corrections.attach(draws.app)
app.add_typer(draws.app, name="draws")
app.add_typer(policy.app, name="policy")
app.add_typer(levers.consumers, name="consumers")
app.add_typer(levers.dead_letters, name="dead-letters")
app.add_typer(levers.notifications, name="notifications")
app.add_typer(user_notices.app, name="notice")
app.add_typer(levers.waitlist, name="waitlist")
app.add_typer(levers.audit, name="audit")
app.add_typer(incidents.incident, name="incident")
app.add_typer(incidents.banner, name="banner")
app.add_typer(auth.app, name="auth")
app.add_typer(kakao.app, name="kakao")


@app.callback()
def root(as_json: Annotated[bool, typer.Option("--json", help="Print the services' answers as JSON")] = False,
         yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm two-step actions without asking")] = False,
         totp: Annotated[str | None, typer.Option(help=TOTP_HELP + " (also after the command)")] = None,
         lang: Annotated[Language | None, typer.Option(help=LANG_HELP)] = None,
         ) -> None:
    # The language was taken from the arguments before parsing (OpsGroup); here it is only checked.
    set_context(Context(as_json, yes, totp))


@app.command("login")
def log_in(account: Annotated[str | None, typer.Option(help="Asked at a terminal if left out")] = None,
           password: Annotated[str | None, typer.Option(help="Asked (hidden) at a terminal if left out",
                                                        envvar="OPS_PASSWORD")] = None,
           code: Annotated[str | None, typer.Option("--code", help="The authenticator's code")] = None) -> None:
    """Password and TOTP code at the policy service; the token is kept for this session."""
    session = login(_given(account, "--account", WORDS["account"]),
                    _given(password, "--password", WORDS["password"], hide=True), _given(code, "--code", WORDS["code"]))
    emit({"account": session.account, "session_file": str(session_file())},
         lambda d: console.print(WORDS["logged_in"].format(account=d["account"])))


def _given(value: str | None, option: str, question: str, hide: bool = False) -> str:
    """An option's value, else asked at a terminal; with no terminal, say which option to give."""
    if value is not None:
        return value
    if not at_terminal():
        raise NoTerminal(WORDS["missing"].format(option=option))
    answer: str = typer.prompt(question, hide_input=hide)
    return answer


@app.command("logout")
def log_out() -> None:
    """End the session here and at the policy service."""
    try:
        Ops(context().totp, interactive=False).policy.logout()
    finally:
        session_file().unlink(missing_ok=True)
    emit({"logged_out": True}, lambda _: console.print(WORDS["logged_out"]))


@app.command()
def whoami() -> None:
    """Who is logged in here, with their role."""
    emit(as_json(Ops().policy.me()), lambda data: fields(data, title=Session.load().account))
