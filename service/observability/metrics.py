"""Prometheus metrics of the process, served at `/metrics` (`render`).

Labels are bounded: operation names are the client's words, so only the first `MAX_OPERATIONS`
distinct well-formed names get a label of their own; the rest count under `other`.
"""

from __future__ import annotations

import re
import threading
from typing import Any, TypeVar, cast

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # type: ignore[no-untyped-call]  # the `_created` series double the output and tell an operator nothing

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

HTTP_REQUESTS = Counter(
    "powermap_http_requests_total", "HTTP requests answered, by route and status.", ["route", "status"]
)
HTTP_SECONDS = Histogram(
    "powermap_http_request_duration_seconds", "HTTP request time, by route.", ["route"], buckets=LATENCY_BUCKETS
)
GRAPHQL_SECONDS = Histogram(
    "powermap_graphql_request_duration_seconds",
    "GraphQL request time, by operation name (`anonymous` without one).",
    ["operation", "type"],
    buckets=LATENCY_BUCKETS,
)
GRAPHQL_ERRORS = Counter("powermap_graphql_errors_total", "GraphQL errors returned, by code.", ["code"])
DB_TRANSACTION_SECONDS = Histogram(
    "powermap_db_transaction_duration_seconds",
    "Database units of work (a managed transaction with its retries), by kind and outcome.",
    ["kind", "outcome"],
    buckets=LATENCY_BUCKETS,
)
DB_IN_USE = Gauge(
    "powermap_db_connections_in_use", "Units of work holding (or waiting for) a pooled connection.", ["pool"]
)
DB_POOL_SIZE = Gauge("powermap_db_pool_size", "The most connections a pool opens.", ["pool"])
DB_AVAILABLE = Gauge("powermap_db_available", "1 while the database answers its probes, else 0.")
SNAPSHOT_LOOKUPS = Counter(
    "powermap_snapshot_cache_lookups_total", "Analytics snapshot lookups, by result (hit, miss).", ["result"]
)
SNAPSHOT_ENTRIES = Gauge("powermap_snapshot_cache_entries", "Analytics snapshots held.")
SNAPSHOT_PEOPLE = Gauge("powermap_snapshot_cache_people", "Stakeholders in the analytics snapshots held.")
PAGE_LOOKUPS = Counter(
    "powermap_page_cache_lookups_total",
    "Lookups of account pages and stakeholder details in their caches, by result (hit, miss, uncached).",
    ["result"],
)
RESPONSE_LOOKUPS = Counter(
    "powermap_response_cache_lookups_total",
    "Lookups of whole answers (account pages, stakeholder details) in the response cache, by result (hit, miss,"
    " uncached).",
    ["result"],
)
PAGE_ENTRIES = Gauge(
    "powermap_page_cache_entries", "Account pages, stakeholder details or whole answers held, by cache.", ["cache"]
)
ANALYTICS_SECONDS = Histogram(
    "powermap_analytics_duration_seconds",
    "Time of one analytic or snapshot load in the analytics workers, by name.",
    ["analytic"],
    buckets=LATENCY_BUCKETS,
)
ANALYTICS_WAITING = Gauge("powermap_analytics_in_flight", "Analytics submitted to the workers and not answered yet.")
ANALYTICS_TIMEOUTS = Counter("powermap_analytics_timeouts_total", "Analytics that missed their deadline.")

M = TypeVar("M", Counter, Gauge, Histogram)

_children: dict[tuple[object, tuple[str, ...]], Any] = {}


def labelled(metric: M, *values: str) -> M:
    """`metric.labels(*values)`, looked up once per set of values: prometheus-client checks and locks on every
    `labels` call, several times the cost of the update itself, on every request. Label values are bounded
    (see `operation_label`), so the children kept are too."""
    key = (metric, values)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*values)
    return cast(M, child)


MAX_OPERATIONS = 200
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_operations: set[str] = set()
_operations_lock = threading.Lock()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if name in _operations:
        return name
    if not _OPERATION_NAME.fullmatch(name):
        return "other"
    with _operations_lock:
        if len(_operations) >= MAX_OPERATIONS:
            return "other"
        _operations.add(name)
    return name


def render() -> tuple[bytes, str]:
    """The exposition text and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
