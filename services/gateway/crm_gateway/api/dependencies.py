"""What the views need, built once by create_app and kept on the app."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from crm_shared.auth import TokenVerifier

from crm_gateway.identity.passwords import Passwords
from crm_gateway.identity.unit_of_work import UnitOfWorkFactory
from crm_gateway.tokens import TokenIssuer

EXTENSION = "crm_gateway"


@dataclass(frozen=True)
class Dependencies:
    """The unit-of-work factory, the password hasher, the token issuer and verifier."""

    uow: UnitOfWorkFactory
    passwords: Passwords
    issuer: TokenIssuer
    verifier: TokenVerifier

    def init_app(self, app: Flask) -> None:
        """Keep these dependencies on `app`."""
        app.extensions[EXTENSION] = self


def dependencies() -> Dependencies:
    """Return the dependencies of the current app."""
    return current_app.extensions[EXTENSION]
