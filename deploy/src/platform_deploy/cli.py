"""`platform`: the launcher's command line (the README's run command calls `platform demo`)."""

import asyncio
import contextlib
import os
import secrets
import shlex
import signal
import time
from pathlib import Path

import pyotp
import typer

from platform_deploy.audit_check import verify_service_chain
from platform_deploy.email_demo import send_email_notice
from platform_deploy.entrant_scenario import play_entrant_draw
from platform_deploy.infra import SERVICES, provide_infrastructure
from platform_deploy.kafka import compose_server_properties, create_topics, ensure_kafka_jars, write_broker_files
from platform_deploy.kafka_security import OPS, BrokerSecrets
from platform_deploy.observability import observability
from platform_deploy.ops.profile import remove_profile, write_profile
from platform_deploy.scenario import ScenarioOutcome, play_draw, verify_public_bundle
from platform_deploy.services import Fleet, ServiceKeys
from platform_shared.auth.tokens import SigningKey, jwks_json
from platform_shared.messaging.kafka_client import KafkaAccess

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
def demo(
    keep_running: bool = typer.Option(False, "--keep-running", help="Leave everything up for an operator."),
    entrants: int = typer.Option(20, min=1),
    seats: int = typer.Option(3, min=1),
    waitlist: int = typer.Option(5, min=0),
    with_observability: bool = typer.Option(
        False, "--observability", help="Also Prometheus and Alertmanager (Debian packages, no Docker), with "
                                       "the project's rules and dashboard, scraping the services."),
) -> None:
    """Bring up Kafka, PostgreSQL and the four services; play draw → offers → notifications."""
    started = time.monotonic()
    with provide_infrastructure() as infra:
        typer.echo(f"infrastructure: {infra.mode} (Kafka {infra.kafka_bootstrap_servers})")
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32))
        watching = contextlib.ExitStack()
        try:
            fleet.start()
            for service in fleet.services.values():
                typer.echo(f"  {service.name:<9} {service.base_url}  (log {service.log_path})")
            if fleet.kakao is not None:
                typer.echo(f"  kakao     {fleet.kakao.base_url}  (stand-in OIDC issuer; log {fleet.kakao.log_path})")
            if fleet.beacon is not None:
                typer.echo(f"  beacon    {fleet.beacon.base_url}  (stand-in drand beacon; log {fleet.beacon.log_path})")
            typer.echo(f"  console   {fleet.console.base_url}  (the operators' web console; "
                       f"log {fleet.console.log_path})")
            outcome = play_draw(fleet, entrants=entrants, seats=seats, waitlist_size=waitlist)
            _print_outcome(outcome)
            verdict = verify_public_bundle(fleet, outcome.run["id"])
            typer.echo(f"\npublic bundle checked by tools/verify_draw.py: {verdict}")
            _print_entrant_draw(fleet, f"{outcome.campaign_id}-entrants")
            for mail in send_email_notice(fleet, infra):
                typer.echo(f"\ne-mail notice at the SMTP stand-in (to {', '.join(mail['to'])}):\n  {mail['subject']}\n"
                           + "\n".join(f"  {line}" for line in mail["body"].splitlines()))
            typer.echo(f"scenario done in {time.monotonic() - started:.1f}s")
            _print_operators(fleet)
            if keep_running:
                hand_over(fleet)
                if with_observability:
                    stack = watching.enter_context(observability(
                        {name: service.base_url for name, service in fleet.services.items()}, fleet.log_dir,
                        fleet.ops_incident_webhook_url))
                    typer.echo(f"  prometheus    {stack.prometheus}  (alerts {stack.prometheus}/alerts)\n"
                               f"  dashboard     {stack.dashboard}\n"
                               f"  alertmanager  {stack.alertmanager or 'not started: see the log above'}\n"
                               f"  #ops-incident {_ops_incident_reading(fleet)}")
                typer.echo("running; press Ctrl-C to stop everything")
                # Block the signals first: sigwait then receives them, and `finally` stops what we started.
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
                signal.sigwait({signal.SIGINT, signal.SIGTERM})
        finally:
            watching.close()
            remove_profile(addresses(fleet))
            fleet.stop()
    typer.echo("stopped Kafka, PostgreSQL and the services")


def _ops_incident_reading(fleet: Fleet) -> str:
    """Where an operator reads what Alertmanager posted to #ops-incident (seed §1)."""
    if fleet.messenger is None:
        return "실제 메신저 채널 / the real messenger's channel (OPS_INCIDENT_WEBHOOK_URL)"
    return f"{fleet.messenger.base_url}/_posts?channel=ops-incident  (게시 기록 / the stand-in's posts)"


@app.command("token-keys")
def token_keys() -> None:
    """Print a fresh admin token key pair as .env lines for docker compose: the private key for the policy
    service only, the public JWKS for every service. Rotate by generating anew and restarting."""
    key = SigningKey.generate()
    pem = key.private_pem.strip().replace("\n", "\\n")
    typer.echo(f"POLICY_TOKEN_KEY_ID={key.key_id}")
    typer.echo(f'POLICY_TOKEN_SIGNING_KEY="{pem}"')
    typer.echo(f"ADMIN_TOKEN_JWKS='{jwks_json(key)}'")


@app.command("service-keys")
def service_keys() -> None:
    """Print fresh per-service keys as .env lines for docker compose: the audit key each service seals its
    audit records with (audit/chain.py; `audit-verify` needs it too), the key each signs its control records
    with, and EVENT_KEYS, the public halves every service checks them against (auth/record_signatures.py)."""
    keys = ServiceKeys.generate()
    for service in SERVICES:
        typer.echo("\n".join(f"{name}={value}" for name, value in keys.own_env(service).items()))
    typer.echo("\n".join(f"{name}='{value}'" for name, value in keys.shared_env().items()))


@app.command("audit-verify")
def audit_verify(
    service: str = typer.Argument(..., help="lottery, waitlist, notifier or policy"),
) -> None:
    """Verify a service's audit chain (reads <SERVICE>_DATABASE_URL and <SERVICE>_AUDIT_KEY, and the broker as
    KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, KAFKA_CA_FILE, KAFKA_USERNAME/PASSWORD): every hash,
    column, number and seal, and every anchored record. Exits 1, naming the first bad record, if anything
    was altered, forged or deleted."""
    url, key = (os.environ.get(f"{service.upper()}_{name}") for name in ("DATABASE_URL", "AUDIT_KEY"))
    if not url or not key:
        raise typer.BadParameter(f"set {service.upper()}_DATABASE_URL and {service.upper()}_AUDIT_KEY",
                                 param_hint="service")
    result = asyncio.run(verify_service_chain(url, _kafka_from_environment(), key.encode()))
    anchored = f"anchored up to record {result.anchored_id}" if result.anchored_id else "no anchor seen"
    if result.intact:
        typer.echo(f"{service}: audit chain intact: {result.records} records, {anchored}")
        return
    typer.echo(f"{service}: audit chain BROKEN at record {result.first_broken_id}: {result.problem}", err=True)
    raise typer.Exit(1)


@app.command("create-topics")
def create_topics_command() -> None:
    """Create every platform topic on a running broker, and on one with SASL every service principal's ACLs
    (docker-compose uses this). As the super user: KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL,
    KAFKA_CA_FILE, KAFKA_USERNAME, KAFKA_PASSWORD."""
    kafka = _kafka_from_environment()
    create_topics(kafka)
    typer.echo(f"topics{' and ACLs' if kafka.sasl else ''} ready on {kafka.bootstrap_servers}")


@app.command("kafka-secrets")
def kafka_secrets(
    directory: str = typer.Argument("deploy/docker/kafka-secrets", help="Where the broker's files go."),
) -> None:
    """For docker compose: a new CA, the broker's certificate, server.properties and every principal's SCRAM
    password in DIRECTORY (mounted into the broker; keep it private, it is git-ignored), and the passwords as
    .env lines (KAFKA_PASSWORD for ops, <SERVICE>_KAFKA_PASSWORD for each service)."""
    secrets_ = BrokerSecrets.generate(Path(directory))
    write_broker_files(secrets_, compose_server_properties(secrets_), world_readable=True)
    typer.echo(f"KAFKA_PASSWORD={secrets_.passwords[OPS]}")
    for service in SERVICES:
        typer.echo(f"{service.upper()}_KAFKA_PASSWORD={secrets_.passwords[service]}")


@app.command()
def fetch() -> None:
    """Download the Kafka jars into the cache (done automatically on first use)."""
    typer.echo(ensure_kafka_jars())


def _kafka_from_environment() -> KafkaAccess:
    kafka = KafkaAccess.from_environment(dict(os.environ))
    if kafka is None:
        raise typer.BadParameter("set KAFKA_BOOTSTRAP_SERVERS (and for a secured broker KAFKA_SECURITY_PROTOCOL, "
                                 "KAFKA_CA_FILE, KAFKA_USERNAME, KAFKA_PASSWORD)")
    return kafka


def _print_outcome(outcome: ScenarioOutcome) -> None:
    prepared, run = outcome.prepared, outcome.run
    typer.echo(f"\ndraw {outcome.campaign_id}: prepared {prepared['eligible']} eligible entries, "
               f"seats {prepared['seats']}, waitlist {prepared['waitlist_size']}, drawAt {prepared['draw_at_kst']}, "
               f"policy v{prepared['policy_version']}, entry set {prepared['entry_set_hash'][:16]}…")
    typer.echo(f"executed with the token: run {run['id']} (commitment {run['commitment'][:16]}…)")
    for result in run["results"]:
        typer.echo(f"  #{result['rank']:<3} user {result['kakao_user_id']}  {result['outcome']:<8} "
                   f"weight {result['weight']:<5} key {result['key']:.6f}")
    typer.echo(f"\nwaitlist service: {len(outcome.offers)} offers")
    for offer in outcome.offers:
        typer.echo(f"  rank {offer['rank']} user {offer['user_id']} {offer['status']} until {offer['respond_by']}")
    typer.echo(f"\nnotifier: {len(outcome.notifications)} notifications (held ones wait for 08:00 KST)")
    for note in outcome.notifications:
        when = f"sent {note['sent_at']}" if note["sent_at"] else f"next attempt {note['next_attempt_at']}"
        typer.echo(f"  {note['template']:<13} → user {note['user_id']}  [{note['status']}] {when}")


def _print_entrant_draw(fleet: Fleet, campaign_id: str) -> None:
    outcome = play_entrant_draw(fleet, campaign_id)
    if outcome is None:
        typer.echo("\nKakao: a real issuer is configured (KAKAO_ISSUER); entrants log in there")
        return
    typer.echo(f"\nentrants of {campaign_id}: each logged in with Kakao (stand-in issuer), read the intro, visited "
               "the sponsor (stand-in landing) and entered on the server's weight")
    for entry in outcome.entries:
        typer.echo(f"  user {entry['kakao_user_id']}  weight {entry['weight']} (policy v{entry['policy_version']}), "
                   f"intro {entry['intro_seen']}, sponsor visit {entry['adgate_verified']}")
    winners = [r["kakao_user_id"] for r in outcome.run["results"] if r["outcome"] == "winner"]
    typer.echo(f"drawn: winners {winners}")
    if outcome.message is None or outcome.accepted is None:
        typer.echo("their messages wait for 08:00 KST (quiet hours); the links inside answer the offers then")
        return
    typer.echo(f"a winner's phone: {outcome.message!r}")
    typer.echo(f"they followed the link and accepted: offer {outcome.accepted['id']} is {outcome.accepted['status']}")


def _print_operators(fleet: Fleet) -> None:
    """The demo's accounts, as `policy-admin create` enrolled them: log in at the policy service with the
    password and a code from an authenticator app holding the TOTP secret."""
    typer.echo(f"operators (the console: {fleet.console.base_url}/signin; the API: POST "
               f"{fleet['policy'].base_url}/auth/login):")
    for operator in fleet.operators.values():
        c = operator.credentials
        now = pyotp.TOTP(c.totp_secret).now()
        typer.echo(f"  {c.name:<8} role {c.role:<12} password {c.password}  TOTP secret {c.totp_secret}  "
                   f"(code now: {now}, good for this 30 s step)")


def addresses(fleet: Fleet) -> dict[str, str]:
    return {name: service.base_url for name, service in fleet.services.items()}


def hand_over(fleet: Fleet, account: str = "admin") -> str:
    """Tell `lottery-ops` where the services are (its profile file, read by default) and print one line that
    signs in: the password and a code computed from the demo account's TOTP secret. Returns that line."""
    written = write_profile(addresses(fleet), "`platform demo --keep-running` (removed when it stops)")
    credentials = fleet.operator(account).credentials
    code = f"import pyotp; print(pyotp.TOTP({credentials.totp_secret!r}).now())"
    line = (f"uv run lottery-ops login --account {shlex.quote(credentials.name)} --password "
            f"{shlex.quote(credentials.password)} --code \"$(uv run python -c {shlex.quote(code)})\"")
    typer.echo(f"\nlottery-ops finds the services in {written}; sign in (a code is good once: if refused, wait for "
               f"the next 30 s step):\n  {line}")
    return line


if __name__ == "__main__":
    app()
