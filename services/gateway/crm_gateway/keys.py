"""The token signing key: made once by `bootstrap`, loaded by every worker, published as JWKS."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from crm_shared.config import Settings

KEY_FILE_VARIABLE = "CRM_JWT_PRIVATE_KEY_FILE"
ALGORITHM = "RS256"


def key_path(settings: Settings) -> Path:
    """Return where the private key lives: CRM_JWT_PRIVATE_KEY_FILE or <data dir>/keys/."""
    explicit = settings.extra.get(KEY_FILE_VARIABLE)
    return Path(explicit) if explicit else settings.data_dir / "keys" / "jwt-signing-key.pem"


def ensure_signing_key(path: Path) -> bool:
    """Create an RSA 2048 key at `path` (mode 0600) unless one exists; tell whether it was made."""
    if path.exists():
        return False
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".jwt-key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        # A hard link never replaces an existing file: when two bootstraps race, the
        # first key stays and the second is thrown away, so tokens already issued stay valid.
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(temporary)
    return True


@dataclass(frozen=True)
class SigningKey:
    """The private key that signs tokens, its public half and its key id."""

    private_key: rsa.RSAPrivateKey
    kid: str

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, str]:
        """Return the public key as a JWK for the JWKS document."""
        return {**rsa_jwk_members(self.public_key), "kid": self.kid, "use": "sig", "alg": ALGORITHM}


def load_signing_key(path: Path) -> SigningKey:
    """Read the private key made by `bootstrap`."""
    try:
        private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"No token signing key at {path}: run `python -m crm_gateway bootstrap` first."
        ) from None
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise ValueError(f"The key at {path} is not an RSA key.")
    return SigningKey(private_key=private_key, kid=thumbprint(private_key.public_key()))


def rsa_jwk_members(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """Return the required JWK members of an RSA public key."""
    numbers = public_key.public_numbers()
    return {"e": _b64_uint(numbers.e), "kty": "RSA", "n": _b64_uint(numbers.n)}


def thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """Return the RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA public key."""
    canonical = json.dumps(rsa_jwk_members(public_key), sort_keys=True, separators=(",", ":"))
    return _b64(hashlib.sha256(canonical.encode()).digest())


def jwks(*keys: SigningKey) -> dict[str, Any]:
    """Return the JWKS document publishing the public halves of `keys`."""
    return {"keys": [key.public_jwk() for key in keys]}


def _b64_uint(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
