"""Configuration, read once from the environment (prefix `POWERMAP_`) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["critical", "error", "warning", "info", "debug"]


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
    load_demo: bool = Field(default=True, description="Import the demo accounts at start-up.")
    local_neo4j_port: int = Field(default=7687, ge=1, le=65535)
    readiness_timeout_seconds: float = Field(default=1.5, gt=0, le=10)
    workers: int = Field(
        default=1, ge=1, le=64, description="Worker processes serving the API (uvicorn workers on one socket)."
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
