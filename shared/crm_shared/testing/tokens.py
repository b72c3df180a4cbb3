"""Signing test tokens the way the gateway does, and a verifier that trusts them."""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from crm_shared.auth import TokenVerifier

ISSUER = "crm-gateway"
AUDIENCE = "crm"


#: long enough for tokens made when a test module is imported to outlive the whole test run
DEFAULT_TTL_SECONDS = 3600


@dataclass
class TokenIssuer:
    """An RSA key pair that signs tokens for any user and role."""

    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def token(self, role: str = "admin", *, user_id: str | None = None, name: str = "Test User",
              ttl: int = DEFAULT_TTL_SECONDS, **claims: Any) -> str:
        """Return a signed token for a user with `role`."""
        now = int(time.time())
        payload = {
            "iss": ISSUER, "aud": AUDIENCE, "sub": user_id or str(uuid.uuid4()), "name": name,
            "role": role, "preferred_username": name.lower().replace(" ", "."), "iat": now, "exp": now + ttl,
            **claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "test"})

    def headers(self, role: str = "admin", **kwargs: Any) -> dict[str, str]:
        """Return an Authorization header for a user with `role`."""
        return {"Authorization": f"Bearer {self.token(role, **kwargs)}"}

    def verifier(self) -> TokenVerifier:
        """Return a verifier that accepts this issuer's tokens."""
        public = self.key.public_key()
        return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, key_resolver=lambda _token: public)
