"""Plain Flask routes kept off smorest for speed: the JWKS document and the proxy."""
from __future__ import annotations

from flask import Flask, Response, g, jsonify, request

from crm_shared.hostile_input import passes_body_through

from crm_gateway.keys import SigningKey, jwks
from crm_gateway.proxy import METHODS, Proxy

JWKS_PATH = "/.well-known/jwks.json"


def register_jwks(app: Flask, *keys: SigningKey) -> None:
    """Publish the public signing keys at /.well-known/jwks.json."""
    document = jwks(*keys)

    def jwks_view() -> Response:
        response = jsonify(document)
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    app.add_url_rule(JWKS_PATH, "jwks", jwks_view, methods=["GET"])


def register_proxy(app: Flask, proxy: Proxy) -> None:
    """Send every /api/v1 path the gateway does not serve itself to its owning service."""

    @passes_body_through  # the owning service checks it; reading it here would end the stream
    def proxy_view(path: str) -> Response:
        return proxy.forward(request._get_current_object(), g.request_id)  # type: ignore[attr-defined]

    app.add_url_rule("/api/v1/<path:path>", "proxy", proxy_view, methods=METHODS)
