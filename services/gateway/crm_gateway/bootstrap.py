"""`python -m crm_gateway bootstrap`: schema, signing key and first admin; safe on every start."""
from __future__ import annotations

import logging
import secrets
import sys
from pathlib import Path
from typing import TextIO

from crm_shared import db, migrations
from crm_shared.config import Settings

from crm_gateway.identity import services
from crm_gateway.identity.passwords import Passwords
from crm_gateway.identity.unit_of_work import IdentityUnitOfWork
from crm_gateway.keys import ensure_signing_key, key_path

log = logging.getLogger(__name__)

MIGRATIONS_LOCATION = str(Path(__file__).parent / "migrations")


def bootstrap(settings: Settings, out: TextIO = sys.stdout, passwords: Passwords | None = None) -> None:
    """Migrate, create the signing key if missing and, in an empty store, the user `admin`."""
    migrations.upgrade(settings.database_url, MIGRATIONS_LOCATION, settings.service)
    path = key_path(settings)
    if ensure_signing_key(path):
        log.info("token signing key created", extra={"path": str(path)})
    chosen = settings.extra.get("CRM_ADMIN_PASSWORD") or ""
    password = chosen or secrets.token_urlsafe(18)
    engine = db.create_engine(settings.database_url, pool_size=1)
    try:
        created = services.create_first_admin(IdentityUnitOfWork(engine), passwords or Passwords(), password)
    finally:
        engine.dispose()
    if created and not chosen:
        print(f"admin password: {password} (shown once)", file=out, flush=True)
    elif created:
        log.info("user admin created with the password of CRM_ADMIN_PASSWORD")
