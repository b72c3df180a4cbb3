"""Issuing and verifying tokens with the gateway's key, without Flask."""
import base64
import json
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from crm_shared.problems import Unauthorized

from crm_gateway.identity.domain import User
from crm_gateway.keys import SigningKey
from crm_gateway.tokens import TokenIssuer, own_verifier
from crm_shared.auth import TokenVerifier

ISSUER, AUDIENCE = "crm-gateway", "crm"
JANA = User(id="3f0c7a52-0000-4000-8000-000000000001", username="jana", name="Jana Nováková",
            email="jana@example.com", role="manager", manager_id="3f0c7a52-0000-4000-8000-000000000002",
            created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))


def issuer(key: SigningKey, **kwargs: object) -> TokenIssuer:
    return TokenIssuer(key, issuer=ISSUER, audience=AUDIENCE, **kwargs)  # type: ignore[arg-type]


def test_an_issued_token_names_the_user_their_role_and_manager(signing_key: SigningKey) -> None:
    issued = issuer(signing_key, ttl_seconds=600).issue(JANA)
    principal = own_verifier(signing_key, issuer=ISSUER, audience=AUDIENCE).verify(issued.access_token)
    assert (principal.id, principal.name, principal.role) == (JANA.id, "Jana Nováková", "manager")
    assert (principal.username, principal.manager_id) == ("jana", JANA.manager_id)
    assert issued.expires_in == 600 and issued.token_type == "Bearer"


def test_an_issued_token_carries_its_key_id_and_every_claim(signing_key: SigningKey) -> None:
    token = issuer(signing_key).issue(JANA).access_token
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": signing_key.kid, "typ": "JWT"}
    claims = jwt.decode(token, options={"verify_signature": False})
    assert set(claims) == {"iss", "aud", "sub", "name", "role", "preferred_username", "manager_id",
                           "team", "iat", "exp", "jti"}
    assert claims["exp"] - claims["iat"] == 900


def test_a_managers_token_names_their_team_for_the_services(signing_key: SigningKey) -> None:
    issued = issuer(signing_key).issue(JANA, ("u-1", "u-2"))
    principal = own_verifier(signing_key, issuer=ISSUER, audience=AUDIENCE).verify(issued.access_token)
    assert principal.team == ("u-1", "u-2")


def test_two_tokens_have_different_ids(signing_key: SigningKey) -> None:
    tokens = [issuer(signing_key).issue(JANA).access_token for _ in range(2)]
    assert len({jwt.decode(t, options={"verify_signature": False})["jti"] for t in tokens}) == 2


def test_an_expired_token_is_refused(signing_key: SigningKey) -> None:
    long_ago = datetime.now(timezone.utc) - timedelta(hours=2)
    token = issuer(signing_key, clock=lambda: long_ago).issue(JANA).access_token
    with pytest.raises(Unauthorized, match="expired"):
        own_verifier(signing_key, issuer=ISSUER, audience=AUDIENCE).verify(token)


def test_a_token_signed_by_another_key_is_refused_even_with_our_key_id(signing_key: SigningKey) -> None:
    stranger = SigningKey(rsa.generate_private_key(public_exponent=65537, key_size=2048), kid=signing_key.kid)
    token = issuer(stranger).issue(JANA).access_token
    with pytest.raises(Unauthorized):
        own_verifier(signing_key, issuer=ISSUER, audience=AUDIENCE).verify(token)


def test_a_token_for_another_audience_is_refused(signing_key: SigningKey) -> None:
    token = TokenIssuer(signing_key, issuer=ISSUER, audience="elsewhere").issue(JANA).access_token
    with pytest.raises(Unauthorized):
        own_verifier(signing_key, issuer=ISSUER, audience=AUDIENCE).verify(token)


def _segment(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("kid", [["a", "b"], {"k": 1}, 7, None])
def test_a_token_with_a_strange_key_id_is_refused_not_crashed_on(signing_key: SigningKey, kid: object) -> None:
    token = ".".join([_segment({"alg": "RS256", "kid": kid}), _segment({"sub": "x"}), "c2ln"])
    with pytest.raises(Unauthorized):
        own_verifier(signing_key, issuer=ISSUER, audience=AUDIENCE).verify(token)


class CountingResolver:
    """Resolve to the gateway's key and count how often a signature had to be checked."""

    def __init__(self, key: SigningKey) -> None:
        self.key = key
        self.calls = 0

    def __call__(self, token: str) -> rsa.RSAPublicKey:
        self.calls += 1
        return self.key.public_key


def test_a_verified_token_is_remembered_until_it_expires(signing_key: SigningKey) -> None:
    now = [datetime.now(timezone.utc).timestamp()]
    resolver = CountingResolver(signing_key)
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, key_resolver=resolver, clock=lambda: now[0])
    token = issuer(signing_key, ttl_seconds=60).issue(JANA).access_token
    assert verifier.verify(token) == verifier.verify(token)
    assert resolver.calls == 1
    now[0] += 61
    verifier.verify(token)
    assert resolver.calls == 2


def test_the_token_memory_forgets_the_oldest_beyond_its_size(signing_key: SigningKey) -> None:
    resolver = CountingResolver(signing_key)
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, key_resolver=resolver, max_entries=2)
    tokens = [issuer(signing_key).issue(JANA).access_token for _ in range(3)]
    for token in [*tokens, tokens[2], tokens[0]]:
        verifier.verify(token)
    assert resolver.calls == 4


def test_a_refused_token_is_not_remembered(signing_key: SigningKey) -> None:
    resolver = CountingResolver(signing_key)
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, key_resolver=resolver)
    token = TokenIssuer(signing_key, issuer=ISSUER, audience="elsewhere").issue(JANA).access_token
    for _ in range(2):
        with pytest.raises(Unauthorized):
            verifier.verify(token)
    assert resolver.calls == 2
