"""Verifying the gateway's tokens in every service, and who the caller is."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Protocol

import jwt
from flask import Flask, g, request

from crm_shared.envelope import Actor
from crm_shared.problems import Forbidden, ServiceUnavailable, Unauthorized

log = logging.getLogger(__name__)

ALGORITHMS = ["RS256"]
ROLES = ("admin", "manager", "user")
#: the one answer to any token that fails a check; the reason goes to the log, never to the client
INVALID_TOKEN = "The token is invalid or expired."
#: how long a session check's answer about one token is trusted
SESSION_TTL_SECONDS = 2.0


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
            raise Unauthorized(INVALID_TOKEN)
        return cls(
            id=str(claims["sub"]),
            name=str(claims.get("name") or claims.get("preferred_username") or claims["sub"]),
            role=role,
            username=str(claims.get("preferred_username") or ""),
            manager_id=claims.get("manager_id"),
            team=tuple(str(member) for member in claims.get("team") or ()),
        )


class SessionCheck(Protocol):
    """Tell whether the user of a validly signed token may still act (exists and is active).

    Return False to refuse the token; raise ServiceUnavailable when it cannot be told.
    """

    def __call__(self, token: str, principal: Principal) -> bool: ...


class TokenVerifier:
    """Verify RS256 tokens against the gateway's published keys (JWKS, cached).

    Tokens that passed full verification are remembered until they expire: a client
    sends the same token on every call for its whole lifetime, and checking the RS256
    signature each time would cost more than the rest of a small request. Only verified
    tokens are remembered, so nothing can be planted in the memory.

    A signature stays valid after its user is deactivated, so a `session_check` (the
    gateway's word on the user) is asked too; its answer is trusted for `session_ttl`
    seconds per token, which bounds how long a deactivated user's token keeps working
    while costing one check per token per interval instead of one per request.
    """

    def __init__(self, *, issuer: str, audience: str, jwks_url: str | None = None,
                 key_resolver: Callable[[str], Any] | None = None, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.time, session_check: SessionCheck | None = None,
                 session_ttl: float = SESSION_TTL_SECONDS) -> None:
        self.issuer = issuer
        self.audience = audience
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5) if jwks_url else None
        self._key_resolver = key_resolver
        self.max_entries = max_entries
        self.clock = clock
        self.session_check = session_check
        self.session_ttl = session_ttl
        self._accepted: dict[str, tuple[Principal, float]] = {}
        self._sessions: dict[str, tuple[bool, float]] = {}
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
        """Return the principal of a valid token of an active user; raise Unauthorized for any other."""
        principal = self.verify_signature(token)
        if self.session_check is not None and not self._session_active(token, principal):
            raise Unauthorized(INVALID_TOKEN)
        return principal

    def verify_signature(self, token: str) -> Principal:
        """Return the principal of a validly signed, unexpired token, without asking about its user."""
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
            log.info("token refused: %s", exc)
            raise Unauthorized(INVALID_TOKEN) from None
        principal = Principal.from_claims(claims)
        self._remember(self._accepted, token, (principal, float(claims["exp"])))
        return principal

    def _session_active(self, token: str, principal: Principal) -> bool:
        now = self.clock()
        known = self._sessions.get(token)
        if known is not None and known[1] > now:
            return known[0]
        assert self.session_check is not None
        # An unreachable gateway raises here and nothing is remembered: the next request asks again.
        active = bool(self.session_check(token, principal))
        self._remember(self._sessions, token, (active, now + self.session_ttl))
        return active

    def _remember(self, memory: dict[str, Any], token: str, entry: tuple[Any, float]) -> None:
        with self._lock:
            memory.pop(token, None)
            while len(memory) >= self.max_entries:
                del memory[next(iter(memory))]
            memory[token] = entry


def bearer_token() -> str:
    """Return the bearer token of the current request or raise Unauthorized."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


def is_public(path: str, public_paths: Iterable[str]) -> bool:
    """Whether `path` is a public path or lies below one, segment by segment: `/x/stream` (or
    `/x/stream/`) opens `/x/stream` and `/x/stream/...`, never `/x/stream-ticket`."""
    for public in public_paths:
        base = public.rstrip("/")
        if base and (path == base or path.startswith(base + "/")):
            return True
    return False


def init_app(app: Flask, verifier: TokenVerifier, *, public_paths: Iterable[str] = ()) -> None:
    """Require a valid token on every request of `app` except the public paths (see `is_public`)."""
    public = tuple(public_paths)

    @app.before_request
    def _authenticate() -> None:
        if request.method == "OPTIONS" or is_public(request.path, public):
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
