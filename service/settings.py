"""Configuration, read once from the environment (prefix `POWERMAP_`) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["critical", "error", "warning", "info", "debug"]
LogFormat = Literal["json", "text"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POWERMAP_", env_file=".env", env_ignore_empty=True, extra="ignore")

    neo4j_uri: str | None = Field(
        default=None,
        description="Bolt URI of an existing Neo4j (bolt://, neo4j://, neo4j+s://). "
        "Unset: the run command starts a local Neo4j.",
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: LogLevel = "info"
    workspace_id: str = Field(default="default", min_length=1)
    load_demo: bool = Field(
        default=False,
        description="Load the demo accounts at start-up when the workspace has no account yet (never over data).",
    )
    local_neo4j_port: int = Field(default=7687, ge=1, le=65535)
    local_neo4j_dir: Path | None = Field(
        default=None, description="Data folder of the local Neo4j; unset: .cache/neo4j-data in the checkout."
    )
    readiness_timeout_seconds: float = Field(
        default=1.5, gt=0, le=10, description="How long a database probe (readiness, outage detection) may take."
    )
    db_probe_interval_seconds: float = Field(
        default=0.25, gt=0, le=60, description="How often the outage detector probes the database."
    )
    db_transaction_timeout_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="The longest one database transaction may run (retries included)."
    )
    db_acquisition_timeout_seconds: float = Field(
        default=2.0, gt=0, le=600, description="The longest a request waits for a free database connection."
    )
    db_pool_size: int = Field(default=100, ge=1, le=10_000, description="Database connections per process.")
    request_timeout_seconds: float = Field(
        default=120.0, gt=0, le=3600, description="The longest one HTTP request may take before it gets a 503."
    )
    max_body_bytes: int = Field(default=2_000_000, ge=1_024, description="The largest request body accepted.")
    max_json_depth: int = Field(default=64, ge=4, le=1_000, description="The deepest nesting of a JSON body.")
    analytics_workers: int = Field(
        default=1, ge=1, le=16, description="Threads that load snapshots and compute analytics off the event loop."
    )
    analytics_timeout_seconds: float = Field(
        default=20.0, gt=0, le=3600, description="The longest one analytic may take, waiting included."
    )
    shutdown_timeout_seconds: int = Field(
        default=20, ge=0, le=3600, description="How long a stopping server lets requests in flight finish."
    )
    log_format: LogFormat = Field(default="json", description="json: one JSON object a line; text: for people.")
    otlp_endpoint: str | None = Field(
        default=None, description="OTLP/HTTP traces endpoint (e.g. http://127.0.0.1:4318); unset: no tracing."
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
