"""The wiring every service repeats, in one place: engine, broker, outbox relay, reliable consumers,
and a FastAPI app whose lifespan starts and stops them. A service's bootstrap.py supplies only what
is its own (routers, consumers, start-up work). Nothing connects before `lifespan` runs."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar, cast

import httpx
from aiokafka import ConsumerRecord
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.specification import AsyncAPI
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from platform_shared.application.redrive import Redrives
from platform_shared.audit.anchors import Anchors
from platform_shared.auth.kakao import KakaoVerifier
from platform_shared.auth.record_signatures import BadSignature, PublishedKeys
from platform_shared.auth.revocations import Revocations
from platform_shared.auth.tokens import TokenVerifier
from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    AdminAccountChanged,
    AdminSessionEnded,
    AuditAnchored,
    PolicyChanged,
    ServiceStatus,
)
from platform_shared.contracts.kakao_health import KakaoLoginWindow
from platform_shared.contracts.policy import policy_defaults
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.kakao.health_report import KakaoHealthReporter
from platform_shared.kakao.issuer import KakaoIssuer
from platform_shared.kakao.login import KakaoLogin
from platform_shared.kakao.watch import IssuerWatch
from platform_shared.messaging.broker_stop import stop_within
from platform_shared.messaging.consumer import ConsumerSpec, RecordProcessor, signature_check, subscribe
from platform_shared.messaging.consumer_controls import ConsumerControls
from platform_shared.messaging.dead_letter_publisher import DeadLetterPublisher, dead_lettered_before
from platform_shared.messaging.outbox import OutboxRelay
from platform_shared.messaging.policy_cache import current_policy, store_policy
from platform_shared.observability.metrics import BusinessMetrics
from platform_shared.service.event_document import ChannelBook, event_document
from platform_shared.service.settings import ServiceSettings
from platform_shared.service.status import INSTANCE, StatusReporter
from platform_shared.time.clock import Clock, SystemClock, process_clock
from platform_shared.web.access import (
    AccessTable,
    access_dependency,
    install_access,
    install_request_ids,
    operator_check,
)
from platform_shared.web.audit_api import audit_router
from platform_shared.web.consumers_api import consumers_router
from platform_shared.web.dead_letters_api import dead_letters_router
from platform_shared.web.edge import EdgeLimits, install_body_limit
from platform_shared.web.errors import install_error_handlers
from platform_shared.web.health import health_router

E = TypeVar("E", bound=BaseModel)
log = logging.getLogger(__name__)


@dataclass
class ServiceRuntime:
    name: str
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: KafkaBroker
    relay: OutboxRelay
    controls: ConsumerControls
    """Ops' pause and resume of this service's consumer groups."""
    redrives: Redrives
    """Ops' dead-letter redrives, run by whichever replica leases one."""
    metrics: BusinessMetrics
    """The database-backed business gauges of `/metrics`; a service adds its own."""
    clock: Clock = field(default_factory=SystemClock)
    background: list[asyncio.Task[None]] = field(default_factory=list)
    revocations: Revocations = field(default_factory=Revocations)
    anchors: Anchors = field(default_factory=Anchors)
    published_keys: PublishedKeys = field(default_factory=lambda: PublishedKeys({}))
    """Every service's public key: a control record is applied only if its service signed it."""
    kakao: KakaoLogin | None = None
    """Entrants' Kakao login (SPEC §9); None when KAKAO_ISSUER is not set."""
    channels: ChannelBook = field(default_factory=ChannelBook)
    """The topics this service writes and reads, for its AsyncAPI document."""

    @classmethod
    def create(cls, name: str, settings: ServiceSettings, *, ordered_outbox: bool = False) -> "ServiceRuntime":
        """`ordered_outbox`: see `OutboxRelay` (a service whose compacted topics must keep write order)."""
        engine = create_engine(settings.database_url.get_secret_value())
        sessions = session_factory(engine, audit_key=settings.required_audit_key())
        broker = kafka_broker(name, settings)
        relay = OutboxRelay(sessions, broker, batch_size=settings.outbox_batch_size,
                            poll_seconds=settings.outbox_poll_seconds, ordered=ordered_outbox,
                            signer=settings.record_signer(name))
        clock = process_clock(settings.clock_offset_seconds, settings.clock_file)
        controls = ConsumerControls(sessions, clock, INSTANCE, settings.consumer_control_interval_seconds)
        redrives = Redrives(sessions, broker, clock, INSTANCE, settings.dead_letter_max_redrives)
        return cls(name, settings, engine, sessions, broker, relay, controls, redrives,
                   BusinessMetrics(sessions, controls, clock), clock, kakao=kakao_login(settings, clock),
                   published_keys=settings.published_keys())

    def consume(self, spec: ConsumerSpec) -> None:
        self.channels.consumes(spec.topic, spec.event_type, spec.group_id)
        processor = RecordProcessor(
            spec, self.sessions, DeadLetterPublisher(self.broker, self.sessions, self.clock),
            max_attempts=self.settings.consumer_max_attempts,
            retry_delay_seconds=self.settings.consumer_retry_delay_seconds,
            held=lambda: self.controls.holds(spec.group_id), check=signature_check(self.published_keys),
        )
        subscribe(self.broker, spec, processor, self.controls)

    def publishes(self, topic: str, event_type: type[BaseModel]) -> None:
        """Declare (for the AsyncAPI document) a topic this service writes through its outbox."""
        self.channels.sends(topic, event_type, f"{event_type.__name__}, published through the transactional outbox.")

    def asyncapi(self) -> dict[str, Any]:
        """FastStream's document (its endpoints stay out of it) with the channels this service declared."""
        return event_document(AsyncAPI(self.broker, title=f"{self.name} service", version="1").to_specification()
                              .to_jsonable(), self.channels)

    def consume_policy(self) -> None:
        """Cache every policy snapshot in this service's database."""
        self.consume(ConsumerSpec(topics.POLICY_CHANGED, f"{self.name}.policy", PolicyChanged, store_policy))

    def follow_admin_accounts(self) -> None:
        """A token voided anywhere (a 2FA reset, a logout) is refused here too."""
        self.follow(topics.ADMIN_ACCOUNTS, AdminAccountChanged, self.revocations.apply,
                     "Keeps each admin account's token revocation time.")
        self.follow(topics.ADMIN_SESSIONS, AdminSessionEnded, self.revocations.end_session,
                     "Keeps the logins ended by a logout: their tokens are refused.")

    def follow_audit_anchors(self) -> None:
        """Every anchored record of each audit chain, for `/audit/verify`."""
        self.follow(topics.AUDIT_ANCHORS, AuditAnchored, self.anchors.apply,
                     "Keeps every anchored record of each audit chain.")

    def follow(self, topic: str, event_type: type[E], apply: Callable[[E], None], description: str) -> None:
        """Every process reads the whole compacted topic into memory (no consumer group, so from the start
        at each start). Not through the inbox: applying a change twice is harmless. A record its service did
        not sign is not applied, and dead-lettered once (not again by each replica at each start)."""
        self.channels.receives(topic, event_type, description)
        subscriber = self.broker.subscriber(topic, auto_offset_reset="earliest", include_in_schema=False)
        group, check = f"{self.name}.{topic}", signature_check(self.published_keys)
        self.metrics.keeps_letters_of(topic)

        async def keep(message: KafkaMessage) -> None:
            record = cast(ConsumerRecord[Any, Any], message.raw_message)  # one record: not a batch subscriber
            try:
                check(record)
            except BadSignature as refused:
                log.warning("refused an unsigned or badly signed record on %s@%s", topic, record.offset)
                if not await dead_lettered_before(self.sessions, record, group):
                    await DeadLetterPublisher(self.broker, self.sessions, self.clock).publish(record, group, refused, 1)
                return
            apply(event_type.model_validate_json(message.body))

        subscriber(keep)

    async def kakao_outage_banner(self) -> str:
        """The policy's banner for a Kakao outage (seed §9.2); the default text if the database is down too."""
        try:
            async with self.sessions() as session:
                _, policy = await current_policy(session)
        except (SQLAlchemyError, OSError):
            policy = policy_defaults()
        return policy.kakao_outage_banner

    def build_app(
        self,
        routers: Sequence[APIRouter],
        access: AccessTable,
        on_start: Sequence[Callable[[], Awaitable[None]]] = (),
    ) -> FastAPI:
        """The service's app: shared routes + `routers`, every one of them classified in `access`."""
        kakao = self.kakao
        has_entrants = any(route.kind == "entrant" for route in access.values())
        entrant_edge = kakao is not None and has_entrants

        @contextlib.asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            self.background.extend(_kakao_edge_tasks(self, kakao) if entrant_edge and kakao is not None else [])
            await self.controls.load()  # a group paused before this replica started stays paused from its first poll
            await self.broker.start()
            self.background.append(asyncio.create_task(self.relay.run_forever(), name="outbox-relay"))
            self.background.append(asyncio.create_task(self.controls.run_forever(), name="consumer-controls"))
            self.background.append(asyncio.create_task(self.redrives.run_forever(), name="dead-letter-redrive"))
            reporter = StatusReporter(self.name, self.sessions, self.broker, self.clock,
                                      self.settings.status_interval_seconds)
            self.background.append(asyncio.create_task(reporter.run_forever(), name="status-report"))
            for start in on_start:
                await start()
            try:
                yield
            finally:
                for task in self.background:
                    task.cancel()
                await asyncio.gather(*self.background, return_exceptions=True)
                await stop_within(self.broker)
                with contextlib.suppress(SQLAlchemyError, OSError):
                    await self.controls.forget_replica()
                await self.engine.dispose()
                if kakao is not None:
                    await kakao.close()

        self.follow_admin_accounts()
        self.follow_audit_anchors()
        self.publishes(topics.AUDIT_ANCHORS, AuditAnchored)
        if has_entrants:  # seed §9.3: the policy service adds up every replica's failures
            self.publishes(topics.KAKAO_LOGIN_HEALTH, KakaoLoginWindow)
        self.channels.sends(topics.SERVICE_STATUS, ServiceStatus, "This process's heartbeat (status.py).")
        return _app(self, routers, access, lifespan)


def _app(runtime: ServiceRuntime, routers: Sequence[APIRouter], access: AccessTable,
         lifespan: Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]) -> FastAPI:
    """The app with the shared routes, `routers`, and the edge: identity, limits, request ids, errors."""
    settings, verifier = runtime.settings, TokenVerifier(runtime.settings.admin_token_jwks, runtime.clock)
    app = FastAPI(title=f"{runtime.name} service", lifespan=lifespan,
                  dependencies=[access_dependency(
                      access, verifier, runtime.revocations, runtime.clock, runtime.kakao,
                      EdgeLimits(settings.edge_rate_per_address, settings.edge_rate_per_entrant))])
    app.state.runtime = runtime
    install_error_handlers(app, runtime.kakao_outage_banner)
    sessions = runtime.sessions
    app.include_router(health_router(runtime.name, sessions, runtime.broker, runtime.asyncapi, runtime.metrics))
    install_request_ids(app)
    app.include_router(audit_router(sessions, runtime.anchors))
    app.include_router(dead_letters_router(sessions, runtime.redrives))
    app.include_router(consumers_router(sessions, runtime.controls, runtime.clock))
    for router in routers:
        app.include_router(router)
    install_access(app, access)
    operator = operator_check(verifier, runtime.revocations)
    install_body_limit(app, dict(access), edge_bytes=settings.edge_max_body_bytes,
                       admin_bytes=settings.admin_max_body_bytes, operator=operator)
    return app


def _kakao_edge_tasks(runtime: ServiceRuntime, kakao: KakaoLogin) -> list[asyncio.Task[None]]:
    """The issuer's keys in hand before the first entrant arrives; this replica's login windows reported for the
    fleet's outage report (seed §9.3)."""
    reports = KakaoHealthReporter(runtime.name, INSTANCE, kakao.watch.windows, sessions=runtime.sessions,
                                  relay=runtime.relay, clock=runtime.clock,
                                  interval_seconds=runtime.settings.kakao_report_seconds, probe=kakao.probe)
    return [asyncio.create_task(kakao.warm(), name="kakao-keys"),
            asyncio.create_task(reports.run_forever(), name="kakao-report")]


def kafka_broker(name: str, settings: ServiceSettings) -> KafkaBroker:
    """As this service's own principal (messaging/kafka_client.py). acks=all + idempotence: a relayed row is marked
    published only once the broker has it durably, and retries of in-flight sends cannot reorder or duplicate a
    partition's messages."""
    return KafkaBroker(**settings.kafka_access().broker_kwargs(), client_id=name, acks="all", enable_idempotence=True)


def kakao_login(settings: ServiceSettings, clock: Clock) -> KakaoLogin | None:
    """None when KAKAO_ISSUER is not set: entrant routes then answer 503 (not configured)."""
    if not settings.kakao_issuer:
        return None
    watch = IssuerWatch(clock, timedelta(seconds=settings.kakao_window_seconds))
    issuer = KakaoIssuer(settings.kakao_issuer, httpx.AsyncClient(timeout=settings.kakao_timeout_seconds), watch)
    verifier = KakaoVerifier(issuer=settings.kakao_issuer, audience=settings.kakao_app_key, keys=issuer, clock=clock,
                             min_refresh_interval=timedelta(seconds=settings.kakao_jwks_min_refresh_seconds))
    secret = settings.kakao_client_secret.get_secret_value() if settings.kakao_client_secret else None
    return KakaoLogin(verifier, issuer, watch, app_key=settings.kakao_app_key, client_secret=secret)
