"""A local stand-in for the ARES REST API, answering in its JSON shape; tests never reach the internet."""
from __future__ import annotations

import json
import threading
import time
from typing import Any, Iterable, Mapping

from werkzeug.routing import Map, Rule
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

BASE_PATH = "/ekonomicke-subjekty-v-be/rest"

#: subjects as ARES answers them (fields trimmed to those a client may read)
SUBJECTS: dict[str, dict[str, Any]] = {
    "27074358": {
        "ico": "27074358",
        "obchodniJmeno": "Asseco Central Europe, a.s.",
        "dic": "CZ27074358",
        "pravniForma": "121",
        "sidlo": {
            "kodStatu": "CZ", "nazevStatu": "Česká republika", "nazevKraje": "Hlavní město Praha",
            "nazevObce": "Praha", "nazevMestskehoObvodu": "Praha 4", "nazevCastiObce": "Michle",
            "nazevUlice": "Budějovická", "cisloDomovni": 778, "cisloOrientacni": 3,
            "cisloOrientacniPismeno": "a", "psc": 14000,
            "textovaAdresa": "Budějovická 778/3a, Michle, 14000 Praha 4",
        },
        "datumVzniku": "2003-08-06",
        "primarniZdroj": "vr",
    },
    "00006947": {
        "ico": "00006947",
        "obchodniJmeno": "Ministerstvo financí",
        "dic": "CZ00006947",
        "pravniForma": "325",
        "sidlo": {
            "kodStatu": "CZ", "nazevStatu": "Česká republika", "nazevObce": "Praha",
            "nazevCastiObce": "Malá Strana", "nazevUlice": "Letenská", "cisloDomovni": 525,
            "cisloOrientacni": 15, "psc": 11800,
            "textovaAdresa": "Letenská 525/15, Malá Strana, 11800 Praha 1",
        },
    },
    "25596641": {
        "ico": "25596641",
        "obchodniJmeno": "Řeznictví U Nováčků s.r.o.",
        "pravniForma": "112",
        "dalsiUdaje": [{
            "datovyZdroj": "res",
            "sidlo": [{"sidlo": {
                "kodStatu": "CZ", "nazevObce": "Horní Lhota", "nazevCastiObce": "Horní Lhota",
                "cisloDomovni": 12, "psc": 74764, "textovaAdresa": "Horní Lhota 12, 74764 Horní Lhota",
            }, "primarniZaznam": True}],
        }],
    },
}

NOT_FOUND = {"kod": "NENALEZENO", "subKod": "VYSTUP_SUBJEKT_NENALEZEN",
             "popis": "Ekonomický subjekt nebyl nalezen."}


class FakeAres:
    """Serve ARES's two lookups on a free local port, optionally slower than a client waits."""

    def __init__(self, subjects: Mapping[str, dict[str, Any]] = SUBJECTS, *, delay: float = 0.0) -> None:
        self.subjects = dict(subjects)
        self.delay = delay
        self.calls: list[tuple[str, str]] = []
        self._routes = Map([
            Rule(f"{BASE_PATH}/ekonomicke-subjekty/vyhledat", endpoint="search", methods=["POST"]),
            Rule(f"{BASE_PATH}/ekonomicke-subjekty/<ico>", endpoint="subject", methods=["GET"]),
        ])
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Return the base URL to give as CRM_ARES_URL."""
        return f"http://127.0.0.1:{self._server.server_port}{BASE_PATH}"

    def __enter__(self) -> "FakeAres":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        self.calls.append((request.method, request.path))
        if self.delay:
            time.sleep(self.delay)
        try:
            endpoint, args = self._routes.bind_to_environ(environ).match()
        except Exception:
            return _json({"kod": "CHYBA_VSTUPU"}, 400)(environ, start_response)
        if endpoint == "subject":
            subject = self.subjects.get(args["ico"])
            response = _json(subject, 200) if subject else _json(NOT_FOUND, 404)
        else:
            wanted = str((request.get_json(silent=True) or {}).get("obchodniJmeno") or "").casefold()
            found = [s for s in self.subjects.values() if wanted and wanted in s["obchodniJmeno"].casefold()]
            response = _json({"pocetCelkem": len(found), "ekonomickeSubjekty": found}, 200)
        return response(environ, start_response)


def _json(body: Any, status: int) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
