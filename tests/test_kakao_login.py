"""Kakao login against the stand-in issuer, in one process (unit tier; tests/test_kakao_fleet.py does the same
with real processes): the code flow, single-use codes, the nonce, and an outage of each endpoint, counted and
visible to ops, healed without a restart (seed §9)."""

from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client import REGISTRY

from platform_shared.auth.entrants import Entrant, IssuerUnavailableError
from platform_shared.auth.kakao import TokenRefusedError
from platform_shared.kakao.issuer import KakaoIssuer
from platform_shared.kakao.watch import IssuerWatch
from platform_shared.time.clock import SystemClock
from tests.kakao_harness import ISSUER, REDIRECT_URI, KakaoWorld, kakao_world


@pytest.fixture
async def world() -> AsyncIterator[KakaoWorld]:
    async with kakao_world() as world:
        yield world


def failures_metric(reason: str) -> float:
    return REGISTRY.get_sample_value("kakao_login_failures_total", {"reason": reason}) or 0.0


async def test_the_code_flow_gives_a_verified_id_token_once(world: KakaoWorld) -> None:
    code = await world.authorize(31337, nonce="nonce-abc-123")
    result = await world.kakao.login(code=code, redirect_uri=REDIRECT_URI, nonce="nonce-abc-123")
    assert result.kakao_user_id == 31337
    assert await world.kakao.entrant(result.id_token) == Entrant(31337)

    with pytest.raises(TokenRefusedError) as reused:
        await world.kakao.login(code=code, redirect_uri=REDIRECT_URI, nonce="nonce-abc-123")
    assert reused.value.reason == "code_refused"
    assert world.kakao.watch.failures["code_refused"] == 1
    assert world.kakao.watch.up is True, "a refused code is an answer, not an outage"


async def test_a_login_whose_token_carries_another_nonce_is_refused(world: KakaoWorld) -> None:
    code = await world.authorize(7, nonce="the-nonce-kakao-saw")
    before = failures_metric("nonce")
    with pytest.raises(TokenRefusedError) as refused:
        await world.kakao.login(code=code, redirect_uri=REDIRECT_URI, nonce="a-nonce-of-another-login")
    assert refused.value.reason == "nonce"
    assert failures_metric("nonce") == before + 1


async def test_a_failing_token_endpoint_is_an_outage_counted_and_healed(world: KakaoWorld) -> None:
    await world.behave(fail_token=True)
    code = await world.authorize(8, nonce="nonce-during-outage")
    before = failures_metric("issuer_unavailable")
    with pytest.raises(IssuerUnavailableError) as unavailable:
        await world.kakao.login(code=code, redirect_uri=REDIRECT_URI, nonce="nonce-during-outage")
    assert unavailable.value.status_code == 503
    watch = world.kakao.watch
    assert watch.up is False and watch.outage_since is not None and "token endpoint" in str(watch.last_problem)
    assert failures_metric("issuer_unavailable") == before + 1
    assert REGISTRY.get_sample_value("kakao_issuer_up") == 0

    await world.reset()
    result = await world.kakao.login(code=code, redirect_uri=REDIRECT_URI, nonce="nonce-during-outage")
    assert result.kakao_user_id == 8, "the code was not spent by the failed exchange"
    window = watch.last_outage
    assert watch.current_outage() is None and window is not None and window.ended is not None
    assert REGISTRY.get_sample_value("kakao_issuer_up") == 1


async def test_failing_keys_refuse_only_tokens_of_unseen_keys(world: KakaoWorld) -> None:
    cached = await world.mint(11)
    assert await world.kakao.entrant(cached) == Entrant(11)
    await world.behave(fail_jwks=True)
    await world.rotate()
    fresh = await world.mint(12)

    assert await world.kakao.entrant(cached) == Entrant(11)
    with pytest.raises(IssuerUnavailableError):
        await world.kakao.entrant(fresh)
    assert world.kakao.watch.failures["issuer_unavailable"] == 1

    await world.reset()
    assert await world.kakao.entrant(fresh) == Entrant(12)


async def test_a_failing_discovery_document_is_an_outage_until_it_answers(world: KakaoWorld) -> None:
    await world.behave(fail_discovery=True)
    token = await world.mint(13)
    with pytest.raises(IssuerUnavailableError, match="discovery"):
        await world.kakao.entrant(token)
    await world.reset()
    assert await world.kakao.entrant(token) == Entrant(13)


async def test_tokens_are_verified_from_cached_keys_without_asking_the_issuer(world: KakaoWorld) -> None:
    tokens = [await world.mint(100 + n) for n in range(20)]
    for token in tokens:
        await world.kakao.entrant(token)
    asked = (await world.issuer.get("/_stats")).json()
    assert asked == {"discovery": 1, "jwks": 1}


@pytest.mark.parametrize(("answer", "problem"), [
    (httpx.ReadTimeout("slow"), "ReadTimeout"),
    (httpx.ConnectError("refused"), "ConnectError"),
    (httpx.Response(429, json={"error": "slow down"}), "HTTP 429"),
    (httpx.Response(502, text="bad gateway"), "HTTP 502"),
    (httpx.Response(404, json={"error": "no such page"}), "HTTP 404"),
    (httpx.Response(200, text="<html>maintenance</html>"), "not JSON"),
])
async def test_every_way_the_keys_fail_to_arrive_is_an_outage(answer: httpx.Response | Exception,
                                                               problem: str) -> None:
    """A slow issuer times out (KAKAO_TIMEOUT_SECONDS) like a dead one; a maintenance page is no key set."""
    def issuer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/keys",
                                             "token_endpoint": f"{ISSUER}/token"})
        if isinstance(answer, Exception):
            raise answer
        return answer

    watch = IssuerWatch(SystemClock())
    keys = KakaoIssuer(ISSUER, httpx.AsyncClient(transport=httpx.MockTransport(issuer)), watch)
    with pytest.raises(IssuerUnavailableError, match="JWKS"):
        await keys.signing_keys()
    assert watch.up is False and problem in str(watch.last_problem)


async def test_a_discovery_document_naming_another_issuer_is_not_trusted() -> None:
    def impostor(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"issuer": "https://evil.example", "jwks_uri": "https://evil.example/keys",
                                         "token_endpoint": "https://evil.example/token"})

    keys = KakaoIssuer(ISSUER, httpx.AsyncClient(transport=httpx.MockTransport(impostor)), IssuerWatch(SystemClock()))
    with pytest.raises(IssuerUnavailableError, match="discovery"):
        await keys.signing_keys()


async def test_a_replica_that_saw_the_issuer_fail_asks_it_again_and_reports_its_recovery(world: KakaoWorld) -> None:
    """Seed §9.3: the fleet's outage ends when every replica that saw it has seen the issuer answer; a replica
    with no entrant left to try would never see it, so its report round asks again (`probe`)."""
    await world.kakao.probe()
    assert (await world.issuer.get("/_stats")).json() == {}, "an issuer not known to fail is not asked"
    await world.behave(fail_jwks=True)
    await world.rotate()
    with pytest.raises(IssuerUnavailableError):
        await world.kakao.entrant(await world.mint(21))
    await world.kakao.probe()
    watch = world.kakao.watch
    assert watch.current_outage() is not None, "still failing"

    await world.reset()
    await world.kakao.probe()
    assert watch.current_outage() is None and watch.up is True
    windows = world.kakao.watch.windows.pending()  # one, or two if a minute turned meanwhile
    assert windows[0].issuer_down and windows[-1].issuer_up is True and windows[-1].recovered_at is not None
    assert sum(w.failures.get("issuer_unavailable", 0) for w in windows) == 1
