"""Configuration, read once from the environment (prefix `POWERMAP_`) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["critical", "error", "warning", "info", "debug"]
Environment = Literal["development", "production"]

JWT_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
"""The asymmetric algorithms a token may be signed with: never `none`, never an HMAC (HS*), whose key would be
the very public key the service holds."""


def _comma_separated(value: Any) -> Any:
    """`a, b` from the environment -> ["a", "b"] (a JSON list is accepted too)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            return json.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]
    return value


CommaList = Annotated[list[str], NoDecode]
LogFormat = Literal["json", "text"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POWERMAP_", env_file=".env", env_ignore_empty=True, extra="ignore")

    env: Environment = Field(
        default="development",
        description="`production` turns off introspection, field suggestions, the IDE and the bootstrap key.",
    )
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
    workspace_id: str = Field(
        default="default", min_length=1, description="The demo workspace: the demo accounts and the bootstrap key."
    )
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
    screen_cache_people: int = Field(
        default=20_000,
        ge=0,
        le=1_000_000,
        description="Stakeholders the account page and the stakeholder detail caches hold, each; 0: no caching.",
    )
    response_cache_values: int = Field(
        default=100_000,
        ge=0,
        le=100_000_000,
        description="Values (leaves of the answers) the response cache of account pages and stakeholder details"
        " holds; 0: no caching.",
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
    workers: int = Field(
        default=1, ge=1, le=64, description="Worker processes serving the API (uvicorn workers on one socket)."
    )
    gc_freeze: bool = Field(
        default=True,
        description="powermap serve only: once started, keep the start-up heap out of the garbage collector's "
        "full passes (gc.freeze), which stop the event loop while they run.",
    )

    # Identity
    bootstrap_key: SecretStr | None = Field(
        default=None,
        description="Outside production, the admin key of the demo workspace that the run command ensures and "
        "prints (unset: a generated one, kept in .cache/bootstrap-key).",
    )
    api_key: SecretStr | None = Field(default=None, description="The key the command-line jobs (import, sync) act as.")
    api_key_cache_seconds: float = Field(
        default=10.0, ge=0, le=300, description="How long a process trusts a key it looked up (revocation delay)."
    )
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_jwks_url: str | None = Field(default=None, description="Where the identity provider publishes its keys.")
    jwt_public_key: str | None = Field(default=None, description="A PEM public key, instead of a JWKS URL.")
    jwt_algorithms: CommaList = Field(default_factory=lambda: ["RS256", "ES256"])
    jwt_workspace_claim: str = "powermap_workspace"
    jwt_role_claim: str = "powermap_role"
    jwt_leeway_seconds: float = Field(default=30.0, ge=0, le=300)
    jwt_jwks_cache_seconds: float = Field(default=300.0, ge=10, le=86_400)

    # The edge
    cors_origins: CommaList = Field(default_factory=list, description="Origins allowed to call the API from a browser.")
    rate_limit: str = Field(default="600/minute", description="Requests per key or user (`limits` notation).")
    auth_failure_rate_limit: str = Field(default="30/minute", description="Refused credentials per client address.")
    max_query_depth: int = Field(default=12, ge=1, le=100)
    max_aliases: int = Field(default=30, ge=0, le=1_000)
    max_tokens: int = Field(default=5_000, ge=100, le=1_000_000)
    max_fields: int = Field(default=1_000, ge=1, le=100_000)
    max_field_repeats: int = Field(default=10, ge=1, le=1_000)
    max_directives: int = Field(default=50, ge=0, le=10_000)
    max_directives_per_location: int = Field(default=3, ge=0, le=100)
    max_query_cost: int = Field(default=50_000, ge=1, le=10_000_000)
    cost_default_list_size: int = Field(default=10, ge=1, le=1_000)
    change_feed_retention_days: float = Field(
        default=30, ge=1, le=36_500, description="How long a change feed cursor stays good after it was handed out."
    )

    @field_validator("jwt_algorithms", "cors_origins", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return _comma_separated(value)

    @field_validator("jwt_algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        refused = sorted(set(value) - JWT_ALGORITHMS)
        if refused or not value:
            raise ValueError(f"only {sorted(JWT_ALGORITHMS)} are accepted, got {refused or 'none'}")
        return value

    @field_validator("rate_limit", "auth_failure_rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        parse(value)
        return value

    @property
    def production(self) -> bool:
        return self.env == "production"


@lru_cache
def get_settings() -> Settings:
    return Settings()
