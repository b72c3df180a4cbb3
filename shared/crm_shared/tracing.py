"""OpenTelemetry traces across the suite: HTTP, the outbox row, the relay and every consumer.

Off by default: nothing is exported and spans are the API's no-ops until `OTEL_TRACES_EXPORTER`
names an exporter (`otlp` — OTLP/HTTP, configured by the standard `OTEL_EXPORTER_OTLP_*`
variables — or `console`). `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_BSP_*` apply
as usual; `OTEL_SDK_DISABLED=true` turns it off again.

The trace travels as W3C `traceparent`: in HTTP headers, in the event's envelope (the CloudEvents
distributed-tracing extension attribute, written with the outbox row) and in the AMQP headers
the relay publishes with. kombu has no instrumentation: `inject` / `extract` below use
`opentelemetry.propagate` on plain dicts.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Mapping

from opentelemetry import context, propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

__all__ = ["SpanKind", "Status", "StatusCode", "configure", "enabled", "install", "tracer", "inject", "extract",
           "current_traceparent", "shutdown"]

log = logging.getLogger(__name__)

TRACEPARENT = "traceparent"
_provider: Any = None


def enabled() -> bool:
    """Tell whether this process records spans (an exporter is configured)."""
    return _provider is not None


def configure(service: str, environ: Mapping[str, str] | None = None) -> bool:
    """Install a tracer provider exporting as the OTEL_* variables say; return whether one was installed."""
    global _provider
    env = os.environ if environ is None else environ
    exporter_name = (env.get("OTEL_TRACES_EXPORTER") or "none").strip().lower()
    if _provider is not None or exporter_name == "none" or env.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return _provider is not None
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    exporter: SpanExporter
    if exporter_name == "console":
        exporter = ConsoleSpanExporter()
    elif exporter_name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    else:
        log.warning("unknown OTEL_TRACES_EXPORTER %r: traces stay off", exporter_name)
        return False
    resource = Resource.create({SERVICE_NAME: env.get("OTEL_SERVICE_NAME") or service})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _provider = provider
    return True


def install(provider: Any) -> None:
    """Record spans with this tracer provider from now on (None: stop); tests use an in-memory one."""
    global _provider
    _provider = provider


def shutdown() -> None:
    """Export what is buffered (a stopping relay or consumer calls it)."""
    if _provider is not None:
        _provider.shutdown()


def tracer() -> trace.Tracer:
    """Return the suite's tracer (a no-op one while tracing is off)."""
    if _provider is None:
        return trace.NoOpTracer()
    return _provider.get_tracer("crm")


def inject(carrier: dict[str, Any], ctx: context.Context | None = None) -> dict[str, Any]:
    """Write the trace context (of `ctx`, or the current one) into a dict of headers."""
    propagate.inject(carrier, context=ctx)
    return carrier


def extract(carrier: Mapping[str, Any] | None) -> context.Context:
    """Read the trace context from headers (HTTP, AMQP) or an envelope."""
    return propagate.extract({str(key).lower(): value for key, value in (carrier or {}).items()})


def current_traceparent() -> str:
    """Return the `traceparent` of the current span, "" when there is none (tracing off)."""
    if _provider is None:
        return ""
    return str(inject({}).get(TRACEPARENT, ""))
