"""The signing key file, its thumbprint and the JWKS document."""
import base64
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from crm_gateway.keys import SigningKey, ensure_signing_key, jwks, load_signing_key, thumbprint

# RFC 7638, section 3.1: the example key and its thumbprint.
RFC_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRX"
    "jBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaS"
    "qzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksIN"
    "HaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
)
RFC_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def _uint(b64: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)), "big")


def test_the_key_id_is_the_rfc_7638_thumbprint() -> None:
    public_key = rsa.RSAPublicNumbers(e=_uint("AQAB"), n=_uint(RFC_N)).public_key()
    assert thumbprint(public_key) == RFC_THUMBPRINT


def test_a_missing_key_is_made_private_to_its_owner_and_kept_afterwards(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "jwt-signing-key.pem"
    assert ensure_signing_key(path)
    first = load_signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not ensure_signing_key(path)
    assert load_signing_key(path).kid == first.kid
    assert [p.name for p in path.parent.iterdir()] == ["jwt-signing-key.pem"]


def test_loading_a_key_that_was_never_made_says_to_bootstrap(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="bootstrap"):
        load_signing_key(tmp_path / "absent.pem")


def test_the_jwks_document_publishes_only_the_public_half(signing_key: SigningKey) -> None:
    (jwk,) = jwks(signing_key)["keys"]
    assert jwk["kid"] == signing_key.kid
    assert jwk["kty"] == "RSA" and jwk["alg"] == "RS256" and jwk["use"] == "sig"
    assert {"n", "e"} <= set(jwk) and not {"d", "p", "q"} & set(jwk)
