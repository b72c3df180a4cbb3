"""Ready-made searches for a company on the web (CON-13)."""
from __future__ import annotations

from urllib.parse import urlencode

FIRMY_CZ = "https://www.firmy.cz/"
GOOGLE = "https://www.google.cz/search"


def search_links(name: str) -> dict[str, str]:
    """Return URLs that search firmy.cz and Google for a company's name."""
    query = urlencode({"q": name})
    return {"firmy_cz": f"{FIRMY_CZ}?{query}", "google": f"{GOOGLE}?{query}"}
