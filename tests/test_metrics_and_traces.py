"""Metrics at /metrics (Prometheus text, prometheus-client) and OpenTelemetry traces when an OTLP
endpoint is configured, none (and no network) otherwise."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from prometheus_client.parser import text_string_to_metric_families

from service.observability.metrics import HTTP_REQUESTS, labelled, operation_label
from service.observability.tracing import configure_tracing, span
from tests.conftest import GraphQLClient, Neo4jServer
from tests.schema.factories import import_account
from tests.service_process import running_service


async def samples(client: GraphQLClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def grew(
    before: dict[tuple[str, tuple[tuple[str, str], ...]], float],
    after: dict[tuple[str, tuple[tuple[str, str], ...]], float],
    name: str,
    **labels: str,
) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


async def test_metrics_count_operations_errors_transactions_and_the_snapshot_cache(client: GraphQLClient) -> None:
    account = await import_account(client, "m-1", ["p1", "p2"])
    before = await samples(client)
    await client.data("query Accounts { accounts(first: 5) { totalCount } }")
    await client.execute("query Broken { nope }")
    analytics = "query Score($id: ID!) { account(id: $id) { supportScore } }"
    await client.data(analytics, {"id": account.account})
    await client.data(analytics, {"id": account.account})
    after = await samples(client)
    count = "powermap_graphql_request_duration_seconds_count"
    assert grew(before, after, count, operation="Accounts", type="query") == 1
    assert grew(before, after, count, operation="Score", type="query") == 2
    assert grew(before, after, "powermap_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") == 1
    assert grew(before, after, "powermap_db_transaction_duration_seconds_count", kind="read", outcome="ok") >= 2
    assert grew(before, after, "powermap_snapshot_cache_lookups_total", result="miss") == 1
    assert grew(before, after, "powermap_snapshot_cache_lookups_total", result="hit") == 1
    assert grew(before, after, "powermap_http_requests_total", route="/graphql", status="200") == 4
    assert after[("powermap_db_pool_size", (("pool", "main"),))] == 100
    assert after[("powermap_db_available", ())] == 1
    assert ("powermap_db_connections_in_use", (("pool", "main"),)) in after
    assert ("powermap_analytics_duration_seconds_count", (("analytic", "supportScore"),)) in after


def test_operation_labels_are_bounded() -> None:
    assert operation_label(None) == "anonymous"
    assert operation_label("Accounts") == "Accounts"
    assert operation_label("x" * 65) == "other"
    assert operation_label("not a name") == "other"


def test_labelled_children_are_prometheus_own() -> None:
    child = labelled(HTTP_REQUESTS, "/labelled-test", "200")
    assert child is labelled(HTTP_REQUESTS, "/labelled-test", "200")
    assert child is HTTP_REQUESTS.labels("/labelled-test", "200")
    assert labelled(HTTP_REQUESTS, "/labelled-test", "404") is not child


def test_no_tracing_without_an_endpoint() -> None:
    assert configure_tracing(None) is None
    assert configure_tracing("") is None
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
    with span("anything", key="value") as current:
        assert current is trace.INVALID_SPAN
        assert trace.get_current_span() is trace.INVALID_SPAN


class Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver on loopback: keeps the spans it is sent."""

    spans: list[tuple[str, dict[str, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                for sent in scope.spans:
                    attributes = {a.key: a.value.string_value for a in sent.attributes}
                    Collector.spans.append((sent.name, attributes))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def collector() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_traces_go_to_the_configured_otlp_endpoint(neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    Collector.spans.clear()
    endpoint = collector()
    env = {
        "POWERMAP_NEO4J_URI": neo4j_server.uri,
        "POWERMAP_NEO4J_USER": neo4j_server.user,
        "POWERMAP_NEO4J_PASSWORD": neo4j_server.password,
        "POWERMAP_OTLP_ENDPOINT": next(endpoint),
    }
    try:
        with running_service(env, tmp_path / "service.log") as service:
            response = httpx.post(
                f"{service.base_url}/graphql",
                json={"query": "query Accounts { accounts(first: 1) { totalCount } }"},
                headers={"x-request-id": "trace-me-1", **service.headers},
            )
            assert response.status_code == 200
        deadline = time.monotonic() + 30  # the exporter flushes at exit
        while time.monotonic() < deadline and not any(
            a.get("powermap.request_id") == "trace-me-1" for _, a in Collector.spans
        ):
            time.sleep(0.1)
    finally:
        endpoint.close()
    names = {name for name, attributes in Collector.spans if attributes.get("powermap.request_id") == "trace-me-1"}
    assert {"POST /graphql", "neo4j.read"} <= names
