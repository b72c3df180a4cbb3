"""The verifier asks a session check about each token's user, trusts the answer briefly, and says only "invalid"."""
from __future__ import annotations

import time

import jwt
import pytest

from crm_shared.auth import INVALID_TOKEN
from crm_shared.errors import ServiceUnavailable, Unauthorized
from crm_shared.testing.sessions import FakeSessions
from crm_shared.testing.tokens import TokenIssuer

USER = "aaaaaaaa-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def issuer() -> TokenIssuer:
    return TokenIssuer()


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def verifier_with(issuer: TokenIssuer, sessions: FakeSessions, clock: Clock):  # type: ignore[no-untyped-def]
    verifier = issuer.verifier(session_check=sessions)
    verifier.clock = clock
    return verifier


def test_a_token_of_an_active_user_is_accepted_and_checked_once_within_the_interval(issuer: TokenIssuer) -> None:
    sessions, clock = FakeSessions(), Clock()
    verifier = verifier_with(issuer, sessions, clock)
    token = issuer.token("user", user_id=USER)
    for _ in range(5):
        assert verifier.verify(token).id == USER
        clock.now += 0.3
    assert sessions.calls == 1


def test_a_deactivated_users_token_is_refused_once_the_remembered_answer_is_two_seconds_old(
    issuer: TokenIssuer,
) -> None:
    sessions, clock = FakeSessions(), Clock()
    verifier = verifier_with(issuer, sessions, clock)
    token = issuer.token("user", user_id=USER)
    verifier.verify(token)
    sessions.deactivate(USER)
    clock.now += 1.9
    assert verifier.verify(token).id == USER
    clock.now += 0.2
    with pytest.raises(Unauthorized) as refused:
        verifier.verify(token)
    assert refused.value.detail == INVALID_TOKEN


def test_a_refusal_is_remembered_too_so_a_flood_of_one_token_costs_one_check(issuer: TokenIssuer) -> None:
    sessions, clock = FakeSessions(refused={USER}), Clock()
    verifier = verifier_with(issuer, sessions, clock)
    token = issuer.token("user", user_id=USER)
    for _ in range(10):
        with pytest.raises(Unauthorized):
            verifier.verify(token)
    assert sessions.calls == 1


def test_an_unreachable_session_check_is_a_503_and_is_asked_again_next_time(issuer: TokenIssuer) -> None:
    sessions, clock = FakeSessions(unreachable=True), Clock()
    verifier = verifier_with(issuer, sessions, clock)
    token = issuer.token("user", user_id=USER)
    with pytest.raises(ServiceUnavailable):
        verifier.verify(token)
    sessions.unreachable = False
    assert verifier.verify(token).id == USER
    assert sessions.calls == 2


def test_a_badly_signed_token_never_reaches_the_session_check(issuer: TokenIssuer) -> None:
    sessions, clock = FakeSessions(), Clock()
    verifier = verifier_with(issuer, sessions, clock)
    with pytest.raises(Unauthorized):
        verifier.verify(TokenIssuer().token("admin"))
    assert sessions.calls == 0


@pytest.mark.parametrize("case", ["expired", "wrong audience", "garbage", "no role"])
def test_every_refused_token_says_invalid_or_expired_and_nothing_of_the_library(
    issuer: TokenIssuer, case: str
) -> None:
    tokens = {
        "expired": issuer.token("user", ttl=-10),
        "wrong audience": issuer.token("user", aud="elsewhere"),
        "garbage": "not.a.token",
        "no role": issuer.token("owner"),
    }
    with pytest.raises(Unauthorized) as refused:
        issuer.verifier().verify(tokens[case])
    assert refused.value.detail == INVALID_TOKEN


def test_verify_signature_checks_the_token_alone_without_asking_about_the_user(issuer: TokenIssuer) -> None:
    sessions = FakeSessions(refused={USER})
    verifier = issuer.verifier(session_check=sessions)
    assert verifier.verify_signature(issuer.token("user", user_id=USER)).id == USER
    assert sessions.calls == 0
    with pytest.raises(Unauthorized):
        verifier.verify_signature(jwt.encode({"sub": USER}, "a-shared-secret-of-thirty-two-bytes!", algorithm="HS256"))
