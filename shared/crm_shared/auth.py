"""Verifying the gateway's tokens in every service, and who the caller is."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import jwt
from flask import Flask, g, request

from crm_shared.envelope import Actor
from crm_shared.problems import Forbidden, ServiceUnavailable, Unauthorized

ALGORITHMS = ["RS256"]
ROLES = ("admin", "manager", "user")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, as the token says."""

    id: str
    name: str
    role: str
    username: str = ""
    manager_id: str | None = None
    #: ids of the users whose manager this caller is (the `team` claim, fixed at login)
    team: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def actor(self) -> Actor:
        """Return the actor recorded on events this caller causes."""
        return Actor(id=self.id, name=self.name, channel="api")

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "Principal":
        """Build the principal from verified token claims."""
        role = claims.get("role")
        if role not in ROLES:
            raise Unauthorized("The token names no valid role.")
        return cls(
            id=str(claims["sub"]),
            name=str(claims.get("name") or claims.get("preferred_username") or claims["sub"]),
            role=role,
            username=str(claims.get("preferred_username") or ""),
            manager_id=claims.get("manager_id"),
            team=tuple(str(member) for member in claims.get("team") or ()),
        )


class TokenVerifier:
    """Verify RS256 tokens against the gateway's published keys (JWKS, cached).

    Tokens that passed full verification are remembered until they expire: a client
    sends the same token on every call for its whole lifetime, and checking the RS256
    signature each time would cost more than the rest of a small request. Only verified
    tokens are remembered, so nothing can be planted in the memory.
    """

    def __init__(self, *, issuer: str, audience: str, jwks_url: str | None = None,
                 key_resolver: Callable[[str], Any] | None = None, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer
        self.audience = audience
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5) if jwks_url else None
        self._key_resolver = key_resolver
        self.max_entries = max_entries
        self.clock = clock
        self._accepted: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def _signing_key(self, token: str) -> Any:
        if self._key_resolver is not None:
            return self._key_resolver(token)
        assert self._jwks is not None
        try:
            return self._jwks.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as exc:
            raise ServiceUnavailable("The token keys cannot be fetched right now.") from exc

    def verify(self, token: str) -> Principal:
        """Return the principal of a valid token; raise Unauthorized for any other."""
        remembered = self._accepted.get(token)
        if remembered is not None and remembered[1] > self.clock():
            return remembered[0]
        try:
            key = self._signing_key(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError, KeyError, ValueError) as exc:
            raise Unauthorized(f"The token is not valid: {exc}") from exc
        principal = Principal.from_claims(claims)
        self._remember(token, float(claims["exp"]), principal)
        return principal

    def _remember(self, token: str, expires_at: float, principal: Principal) -> None:
        with self._lock:
            self._accepted.pop(token, None)
            while len(self._accepted) >= self.max_entries:
                del self._accepted[next(iter(self._accepted))]
            self._accepted[token] = (principal, expires_at)


def bearer_token() -> str:
    """Return the bearer token of the current request or raise Unauthorized."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


def init_app(app: Flask, verifier: TokenVerifier, *, public_paths: Iterable[str] = ()) -> None:
    """Require a valid token on every request of `app` except the public paths."""
    public = tuple(public_paths)

    @app.before_request
    def _authenticate() -> None:
        if request.method == "OPTIONS" or request.path.startswith(public):
            return
        g.principal = verifier.verify(bearer_token())


def current_principal() -> Principal:
    """Return the caller of the current request."""
    return g.principal


def require_role(*roles: str) -> Principal:
    """Return the caller if their role is one of `roles`; raise Forbidden otherwise."""
    principal = current_principal()
    if principal.role not in roles:
        raise Forbidden(f"This needs the role {' or '.join(roles)}.")
    return principal
