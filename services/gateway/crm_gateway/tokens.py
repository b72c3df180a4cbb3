"""Issuing access tokens, and checking them with the gateway's own key, in-process."""
from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.utils import base64url_decode

from crm_shared.auth import Principal, TokenVerifier
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


class CachingTokenVerifier(TokenVerifier):
    """A TokenVerifier that remembers the tokens it accepted until they expire.

    Every proxied call carries the same token for up to its whole lifetime; checking an
    RS256 signature again each time would cost the gateway more than the rest of the hop.
    Only tokens that passed full verification are remembered, so nothing can be planted.
    """

    def __init__(self, *, max_entries: int = 10_000, clock: Callable[[], float] = time.time,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_entries = max_entries
        self.clock = clock
        self._accepted: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> Principal:
        """Return the principal of a valid token, from memory when it was verified before."""
        remembered = self._accepted.get(token)
        if remembered is not None and remembered[1] > self.clock():
            return remembered[0]
        principal = super().verify(token)
        self._remember(token, principal)
        return principal

    def _remember(self, token: str, principal: Principal) -> None:
        expires_at = float(json.loads(base64url_decode(token.split(".")[1]))["exp"])
        with self._lock:
            self._accepted.pop(token, None)
            while len(self._accepted) >= self.max_entries:
                del self._accepted[next(iter(self._accepted))]
            self._accepted[token] = (principal, expires_at)


def own_verifier(key: SigningKey, *, issuer: str, audience: str) -> TokenVerifier:
    """Return a verifier of the gateway's tokens that never fetches the JWKS over HTTP."""
    return CachingTokenVerifier(issuer=issuer, audience=audience, key_resolver=own_key_resolver(key))
