"""A fleet: the four services and the console as OS processes with their environment (keys, clocks, the
stand-ins they call), started and stopped together (`ServiceProcess` is one of them, service_process.py)."""

import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from platform_deploy.infra import SERVICES, Infrastructure
from platform_deploy.operators import Operator, create_account, set_console_operator
from platform_deploy.service_process import ServiceProcess as ServiceProcess  # where the fleet's users import it
from platform_deploy.stand_ins import (
    FAKE_KAKAO_APP_KEY as FAKE_KAKAO_APP_KEY,
)
from platform_deploy.stand_ins import (
    beacon_stand_in,
    fake_kakao_process,
    fake_messenger_process,
    fake_smtp_process,
    fake_sponsor_process,
)
from platform_deploy.stand_ins import (
    fake_vendor_process as fake_vendor_process,
)
from platform_shared.auth.record_signatures import new_signing_key
from platform_shared.auth.tokens import SigningKey, jwks_json
from platform_shared.time.clock import MovableClock, OffsetClock

OPERATORS = {"admin": "admin", "pm": "pm", "analyst": "data", "partner": "partner_ops"}
"""The runbook's people (account name → role), created at start as an operator would create them."""

def console_process(log_dir: Path, service_urls: Mapping[str, str], clock_offset: timedelta,
                    session_key: str, clock_env: Mapping[str, str] | None = None) -> ServiceProcess:
    """The console with the deployment's session key, on the fleet's clock. Its cookies stay Secure: browsers
    take Secure cookies from http://127.0.0.1."""
    env = {"CONSOLE_SESSION_KEY": session_key,
           "CONSOLE_CLOCK_OFFSET_SECONDS": str(clock_offset.total_seconds()),
           **{f"CONSOLE_{name.upper()}_URL": url for name, url in service_urls.items()}, **(clock_env or {})}
    return ServiceProcess("console", env, log_dir)


@dataclass(frozen=True)
class ServiceKeys:
    """Each service's own secrets: the key it seals its audit records with (audit/chain.py), held by its
    process alone, and the key it signs its control records with, whose public half every service gets
    (EVENT_KEYS; auth/record_signatures.py)."""

    audit: dict[str, str]
    signing: dict[str, tuple[str, str]]
    """service → (private, public), each in base64"""

    @classmethod
    def generate(cls) -> "ServiceKeys":
        return cls({name: secrets.token_hex(32) for name in SERVICES}, {name: new_signing_key() for name in SERVICES})

    def shared_env(self) -> dict[str, str]:
        return {"EVENT_KEYS": json.dumps({name: public for name, (_, public) in self.signing.items()})}

    def own_env(self, name: str) -> dict[str, str]:
        prefix = name.upper()
        return {f"{prefix}_AUDIT_KEY": self.audit[name], f"{prefix}_EVENT_SIGNING_KEY": self.signing[name][0]}


def fleet_clock(log_dir: Path, offset: timedelta, movable: bool) -> tuple[OffsetClock | MovableClock, Path | None]:
    """The fleet's one time: a fixed offset, or (movable) the offset in a file every process of the fleet reads,
    which `Fleet.move_clock_to` rewrites; the file, when there is one."""
    if not movable:
        return OffsetClock(offset), None
    clock_file = log_dir / "clock-offset"
    clock_file.write_text(repr(offset.total_seconds()))
    return MovableClock(clock_file), clock_file


class Fleet:
    """All four services against one infrastructure, the fake messaging vendor unless NOTIFIER_VENDOR_URL names
    a real one, the SMTP stand-in unless NOTIFIER_SMTP_HOST does, and the Kakao stand-in unless KAKAO_ISSUER
    does (with KAKAO_APP_KEY), the drand stand-in unless LOTTERY_BEACON_URL names a real beacon. `clock_offset`
    moves every service's clock by the same amount (and every replica started from a service's `base_env`, and
    the Kakao and beacon stand-ins'), so the whole fleet reads one time.

    Admin identity as a deployment has it: a fresh token signing key (the private half only for the
    policy service, the public JWKS for all), and the operators' accounts created with `policy-admin`.
    Offers' answer links are signed with a fresh secret only the waitlist and the notifier get, and point
    at this fleet's waitlist."""

    def __init__(self, infra: Infrastructure, *, draw_server_secret: str, log_dir: Path | None = None,
                 clock_offset: timedelta = timedelta(0), extra_env: Mapping[str, str] | None = None,
                 movable_clock: bool = False) -> None:
        """`movable_clock`: the services, the console, the beacon stand-in and `self.clock` read their offset from
        one file instead, which `move_clock_to` rewrites (a drill across quiet hours); the other stand-ins keep
        `clock_offset`."""
        self.log_dir = log_dir or Path(tempfile.mkdtemp(prefix="lottery-services-"))
        self.infrastructure = infra
        self.vendor = None if "NOTIFIER_VENDOR_URL" in os.environ else fake_vendor_process(self.log_dir)
        self.kakao = None if "KAKAO_ISSUER" in os.environ else fake_kakao_process(self.log_dir, clock_offset)
        self.messenger = None if "OPS_INCIDENT_WEBHOOK_URL" in os.environ else fake_messenger_process(self.log_dir)
        """`#ops-incident` (seed §1): the stand-in unless OPS_INCIDENT_WEBHOOK_URL names the real webhook."""
        self.smtp: ServiceProcess | None
        self.smtp, smtp_env = fake_smtp_process(self.log_dir) if "NOTIFIER_SMTP_HOST" not in os.environ else (None, {})
        """The mail server for e-mail notices (seed §1): the stand-in unless NOTIFIER_SMTP_HOST names the real one."""
        self.clock, clock_file = fleet_clock(self.log_dir, clock_offset, movable_clock)
        clock_env = {"CLOCK_FILE": str(clock_file)} if clock_file is not None else {}
        self.beacon, beacon_env = beacon_stand_in(self.log_dir, clock_offset, clock_file)
        """The draws' drand stand-in (docs/draw-algorithm.md §8.4; `control_beacon` fails it on demand), or None."""
        self.signing_key = signing_key = SigningKey.generate()
        env = {
            "ADMIN_TOKEN_JWKS": jwks_json(signing_key),
            **({"NOTIFIER_VENDOR_URL": self.vendor.base_url} if self.vendor else {}),
            **({"KAKAO_ISSUER": self.kakao.base_url, "KAKAO_APP_KEY": FAKE_KAKAO_APP_KEY} if self.kakao else {}),
            **{f"{name.upper()}_DATABASE_URL": url for name, url in infra.runtime_urls.items()},
            **{f"{name.upper()}_MIGRATION_DATABASE_URL": url for name, url in infra.database_urls.items()},
            **(extra_env or {}),
        }
        keys = ServiceKeys.generate()
        self.audit_keys = keys.audit
        env |= keys.shared_env()
        # Each service is its own Kafka principal: the ACLs let it write and read only its topics (kafka_acls.py).
        own = {name: {f"{name.upper()}_CLOCK_OFFSET_SECONDS": str(clock_offset.total_seconds()), **keys.own_env(name),
                      **{f"{name.upper()}_{key}": value for key, value in clock_env.items()},
                      **infra.kafka_principals[name].environment(f"{name.upper()}_")}
               for name in SERVICES}
        own["lottery"]["LOTTERY_DRAW_SERVER_SECRET"] = draw_server_secret  # only the lottery gets the secret
        # The lottery and the sponsor landing share the AdGate secret (seed §5); the landing is a stand-in.
        self.adgate_secret = secrets.token_hex(32)
        own["lottery"]["LOTTERY_ADGATE_SECRET"] = self.adgate_secret
        own["lottery"] |= beacon_env
        self.sponsor = fake_sponsor_process(self.log_dir, self.adgate_secret, clock_offset)
        own["policy"] |= {"POLICY_TOKEN_SIGNING_KEY": signing_key.private_pem,  # only policy signs tokens
                          "POLICY_TOKEN_KEY_ID": signing_key.key_id,
                          "POLICY_BACKUP_DIRECTORY": str(self.log_dir / "policy-backups")}  # seed §15
        own["policy"]["POLICY_OPS_INCIDENT_WEBHOOK_URL"] = self.ops_incident_webhook_url
        self.draw_server_secret = draw_server_secret
        self.offer_link_secret = secrets.token_hex(32)
        own["notifier"] |= smtp_env
        for name in ("waitlist", "notifier"):  # only they sign and check answer links
            own[name]["OFFER_LINK_SECRET"] = self.offer_link_secret
        waitlist = ServiceProcess("waitlist", {**env, **own["waitlist"]}, self.log_dir)
        own["notifier"]["NOTIFIER_OFFER_LINK_BASE"] = f"{waitlist.base_url}/offers"  # where messages link to
        self.services = {name: waitlist if name == "waitlist" else ServiceProcess(name, {**env, **own[name]},
                                                                                  self.log_dir)
                         for name in SERVICES}
        self.operators: dict[str, Operator] = {}
        urls = {name: service.base_url for name, service in self.services.items()}
        self.console_session_key = secrets.token_hex(32)
        """Seals the console's session cookies; the tests hold it as they hold `signing_key`, to present the
        console a session whose second factor is older than the step-up window (fresh key: a restart signs
        everyone out)."""
        self.console = console_process(self.log_dir, urls, clock_offset, self.console_session_key,
                                       {f"CONSOLE_{key}": value for key, value in clock_env.items()})
        """The operators' web console over the four services (services/console): one process, no database."""

    def __getitem__(self, name: str) -> ServiceProcess:
        return self.services[name]

    @property
    def ops_incident_webhook_url(self) -> str:
        """Where posts to `#ops-incident` go: the real webhook when configured, else the stand-in's."""
        if self.messenger is None:
            return os.environ["OPS_INCIDENT_WEBHOOK_URL"]
        return f"{self.messenger.base_url}/hooks/ops-incident"

    def move_clock_to(self, instant: datetime) -> None:
        """Move every service's clock, the console's and `self.clock` to `instant` (a fleet with a movable clock)."""
        if not isinstance(self.clock, MovableClock):
            raise RuntimeError("this fleet's clock is fixed: start it with movable_clock=True")
        self.clock.move_to(instant)

    def operator(self, name: str = "admin") -> Operator:
        return self.operators[name]

    def entrant_token(self, kakao_user_id: int, nonce: str | None = None) -> str:
        """A Kakao ID token for `kakao_user_id`, signed by the stand-in's current key (tests and benchmarks;
        a real issuer mints tokens only for a real login)."""
        if self.kakao is None:
            raise RuntimeError("KAKAO_ISSUER names a real issuer: log in through it (GET /oauth/authorize, then "
                               "POST /auth/kakao/login)")
        body = {"sub": str(kakao_user_id), **({"nonce": nonce} if nonce is not None else {})}
        response = httpx.post(f"{self.kakao.base_url}/_mint", json=body, timeout=10)
        response.raise_for_status()
        return str(response.json()["id_token"])

    def start(self) -> None:
        """Whatever waits on nothing starts at once, so on two cores the stand-ins booting, the operators' accounts
        being created and the services importing overlap instead of queueing. Only the policy service waits for
        the accounts (their command migrates its database), and every service for the stand-ins it calls."""
        helpers = self._helpers()
        for helper in helpers:
            helper.start(wait=False)
        with ThreadPoolExecutor(1) as pool:
            operators = pool.submit(self._create_operators)
            for helper in helpers:
                helper.wait_healthy()
            # Consumers read every topic from the earliest offset, so start order is free; the console only
            # forwards requests, so it need not wait for the services either.
            first = [service for name, service in self.services.items() if name != "policy"] + [self.console]
            for process in first:
                process.start(wait=False)
            operators.result()
        self.services["policy"].start(wait=False)
        for process in [*first, self.services["policy"]]:
            process.wait_healthy()

    def _create_operators(self) -> None:
        """Before the policy service starts: the command migrates the policy database itself."""
        policy = self.services["policy"]
        first, *others = OPERATORS.items()
        created = [create_account(policy.base_env, *first)]
        with ThreadPoolExecutor(len(others)) as pool:
            created += pool.map(lambda account: create_account(policy.base_env, *account), others)
        self.operators = {c.name: Operator(policy.base_url, c, self.clock) for c in created}
        set_console_operator(self.operators["admin"])

    def _helpers(self) -> list[ServiceProcess]:
        return [helper for helper in (self.vendor, self.sponsor, self.kakao, self.messenger, self.smtp, self.beacon)
                if helper is not None]

    def stop(self) -> None:
        """Each process gets SIGTERM and its own grace at once: one by one, each service's goodbye to Kafka
        (leaving its consumer groups) would queue behind the one before."""
        processes = [self.console, *self.services.values(), *self._helpers()]
        with ThreadPoolExecutor(len(processes)) as pool:
            list(pool.map(ServiceProcess.stop, processes))
