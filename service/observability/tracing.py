"""OpenTelemetry traces, when an exporter is configured; otherwise no spans at all.

`configure_tracing(endpoint)` installs the SDK with an OTLP/HTTP exporter (batched, in a background
thread). Without an endpoint nothing is installed and nothing touches the network: `span()` then
costs a no-op context manager. The standard `OTEL_*` variables (service name, headers) apply.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from opentelemetry import trace
from opentelemetry.util.types import AttributeValue

from service.observability.context import request_id

_tracer = trace.get_tracer("powermap")


def configure_tracing(endpoint: str | None, service_name: str = "powermap") -> Any:
    """Install the SDK exporting to `endpoint` (an OTLP/HTTP base URL); returns the provider, or None
    when `endpoint` is unset. Called once per process, before serving."""
    if not endpoint:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces")))
    trace.set_tracer_provider(provider)
    return provider


def span(name: str, **attributes: AttributeValue) -> AbstractContextManager[trace.Span]:
    """A span named `name`, carrying the request id; the current span's child. Without an SDK installed
    (`configure_tracing` without an endpoint) the API would only make a non-recording span and still set it
    as the current one: this skips that work, on every request and database call."""
    if isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        return nullcontext(trace.INVALID_SPAN)
    rid = request_id()
    if rid is not None:
        attributes["powermap.request_id"] = rid
    return _tracer.start_as_current_span(name, attributes=attributes)
