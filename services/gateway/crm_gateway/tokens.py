"""Issuing access tokens, and checking them with the gateway's own key, in-process."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from crm_shared.auth import SessionCheck, TokenVerifier
from crm_shared.types import utcnow

from crm_gateway.identity.domain import User
from crm_gateway.keys import ALGORITHM, SigningKey

DEFAULT_TTL_SECONDS = 900


@dataclass(frozen=True)
class IssuedToken:
    """A signed access token and how many seconds it stays valid."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"


class TokenIssuer:
    """Sign RS256 access tokens whose claims every service's TokenVerifier accepts."""

    def __init__(self, key: SigningKey, *, issuer: str, audience: str, ttl_seconds: int = DEFAULT_TTL_SECONDS,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.key = key
        self.issuer = issuer
        self.audience = audience
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    def issue(self, user: User, team: tuple[str, ...] = ()) -> IssuedToken:
        """Return a signed token naming `user`, their role, their manager and their direct reports."""
        now = self.clock()
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": user.id,
            "name": user.name,
            "role": user.role,
            "preferred_username": user.username,
            "manager_id": user.manager_id,
            # fixed at login: a change of the team shows in the next token
            "team": list(team),
            "iat": now,
            "exp": now + timedelta(seconds=self.ttl_seconds),
            "jti": str(uuid.uuid4()),
        }
        token = jwt.encode(claims, self.key.private_key, algorithm=ALGORITHM, headers={"kid": self.key.kid})
        return IssuedToken(access_token=token, expires_in=self.ttl_seconds)


def own_key_resolver(*keys: SigningKey) -> Callable[[str], rsa.RSAPublicKey]:
    """Return a TokenVerifier key resolver that knows only the gateway's own keys, by kid."""
    public = {key.kid: key.public_key for key in keys}

    def resolve(token: str) -> rsa.RSAPublicKey:
        kid: Any = jwt.get_unverified_header(token).get("kid")
        if not isinstance(kid, str) or kid not in public:
            raise jwt.InvalidKeyError("The token was not signed by a key of this gateway.")
        return public[kid]

    return resolve


def own_verifier(key: SigningKey, *, issuer: str, audience: str,
                 session_check: SessionCheck | None = None) -> TokenVerifier:
    """Return a verifier of the gateway's tokens that never fetches the JWKS over HTTP."""
    return TokenVerifier(issuer=issuer, audience=audience, key_resolver=own_key_resolver(key),
                         session_check=session_check)
