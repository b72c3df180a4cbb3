"""The Czech business register ARES over its REST API (CON-12)."""
from __future__ import annotations

import logging
from typing import Any, Mapping

import requests

from crm_shared.config import DEFAULT_ARES_URL
from crm_shared.errors import BadGateway, GatewayTimeout

from crm_contacts.registry.base import RegistryCompany
from crm_contacts.registry.cache import TTLCache

log = logging.getLogger(__name__)

#: (connect, read) seconds; well under the gateway's upstream timeout
DEFAULT_TIMEOUT = (3.05, 10.0)
CACHE_SECONDS = 300.0
COUNTRY_NAMES = {"CZ": "Česká republika"}


class AresRegistry:
    """Look companies up in ARES; answers are cached briefly, failures become 502 / 504 problems."""

    name = "ares"

    def __init__(self, base_url: str, *, timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
                 cache_seconds: float = CACHE_SECONDS) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self._cache: TTLCache[Any] = TTLCache(cache_seconds)

    def by_reg_id(self, reg_id: str) -> RegistryCompany | None:
        """Return the subject with this IČO, or None when ARES answers NENALEZENO."""
        return self._cache.get_or_load(("ico", reg_id), lambda: self._by_reg_id(reg_id))

    def by_name(self, name: str, *, limit: int = 10) -> list[RegistryCompany]:
        """Return up to `limit` subjects whose business name matches."""
        return self._cache.get_or_load(("name", name, limit), lambda: self._by_name(name, limit))

    def _by_reg_id(self, reg_id: str) -> RegistryCompany | None:
        body = self._call("GET", f"/ekonomicke-subjekty/{reg_id}")
        return company_from_ares(body) if body is not None else None

    def _by_name(self, name: str, limit: int) -> list[RegistryCompany]:
        body = self._call("POST", "/ekonomicke-subjekty/vyhledat",
                          json={"obchodniJmeno": name, "start": 0, "pocet": limit})
        subjects = (body or {}).get("ekonomickeSubjekty") or []
        return [company_from_ares(subject) for subject in subjects[:limit]]

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Return the JSON answer, None for "not found"; raise a problem for anything else."""
        try:
            response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise GatewayTimeout("The business register ARES did not answer in time.") from None
        except requests.RequestException as exc:
            log.warning("ARES unreachable: %r", exc)
            raise BadGateway("The business register ARES cannot be reached.") from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise BadGateway(f"The business register ARES answered {response.status_code}{_ares_code(response)}.")
        try:
            return response.json()
        except ValueError:
            raise BadGateway("The business register ARES gave an answer that is not JSON.") from None


def company_from_ares(subject: Mapping[str, Any]) -> RegistryCompany:
    """Map an ARES economic subject to a register company."""
    try:
        reg_id, name = str(subject["ico"]), str(subject["obchodniJmeno"])
    except (KeyError, TypeError):
        raise BadGateway("The business register ARES gave a subject without IČO or name.") from None
    seat = _seat(subject)
    return RegistryCompany(
        registry="ares", reg_id=reg_id, name=name, vat_id=subject.get("dic") or None,
        address=address_from_seat(seat) if seat else None,
        address_text=(seat or {}).get("textovaAdresa") or None,
    )


def address_from_seat(seat: Mapping[str, Any]) -> dict[str, str] | None:
    """Return a contact address (street, city, postal_code, country) from an ARES `sidlo`."""
    number = _house_number(seat)
    place = seat.get("nazevUlice") or seat.get("nazevCastiObce") or ""
    street = " ".join(part for part in (place, number) if part)
    if not street and not seat.get("nazevObce"):
        street = seat.get("textovaAdresa") or ""
    psc = str(seat.get("psc") or "").zfill(5) if seat.get("psc") else ""
    address = {
        "street": street,
        "city": seat.get("nazevObce") or "",
        "postal_code": f"{psc[:3]} {psc[3:]}" if len(psc) == 5 else psc,
        "country": seat.get("nazevStatu") or COUNTRY_NAMES.get(seat.get("kodStatu") or "", seat.get("kodStatu") or ""),
    }
    return {key: str(value) for key, value in address.items() if value} or None


def _seat(subject: Mapping[str, Any]) -> Mapping[str, Any] | None:
    # Some subjects carry their seat only in the register-specific details.
    if subject.get("sidlo"):
        return subject["sidlo"]
    try:
        return subject["dalsiUdaje"][0]["sidlo"][0]["sidlo"] or None
    except (KeyError, IndexError, TypeError):
        return None


def _house_number(seat: Mapping[str, Any]) -> str:
    house, orientation = seat.get("cisloDomovni"), seat.get("cisloOrientacni")
    if house and orientation:
        return f"{house}/{orientation}{seat.get('cisloOrientacniPismeno') or ''}"
    return str(house or "")


def _ares_code(response: requests.Response) -> str:
    try:
        code = response.json().get("kod")
    except (ValueError, AttributeError):
        return ""
    return f" ({code})" if code else ""


def ares_from_settings(environ: Mapping[str, str]) -> AresRegistry:
    """Build the ARES adapter from CRM_ARES_URL (and CRM_ARES_TIMEOUT_SECONDS, for the read)."""
    read_timeout = float(environ.get("CRM_ARES_TIMEOUT_SECONDS") or DEFAULT_TIMEOUT[1])
    return AresRegistry(environ.get("CRM_ARES_URL") or DEFAULT_ARES_URL,
                        timeout=(DEFAULT_TIMEOUT[0], read_timeout))
