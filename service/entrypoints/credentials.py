"""Identity for every entry point: the configured ways to verify credentials, and the command line's own key.

The command-line jobs (import, sync) are clients like any other: they act as the API key in
`POWERMAP_API_KEY`, with its workspace and role, through the same identity use case as the HTTP edge.
"""

from __future__ import annotations

from service.rules.access import Principal
from service.settings import Settings
from service.usecases.identity import Authenticator, IdentityConfig, Unauthenticated
from service.usecases.services import Services
from service.usecases.tokens import JwtConfig

NO_KEY = (
    "set POWERMAP_API_KEY to an API key of the workspace "
    "(an operator makes one with: powermap keys create --workspace W --role integration)"
)


class CredentialError(Exception):
    """The command line has no usable key; the message says what to do."""


def identity_config(settings: Settings) -> IdentityConfig:
    jwt = None
    if settings.jwt_jwks_url or settings.jwt_public_key:
        if not settings.jwt_issuer or not settings.jwt_audience:
            raise ValueError("JWTs need POWERMAP_JWT_ISSUER and POWERMAP_JWT_AUDIENCE besides their keys")
        jwt = JwtConfig(
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            algorithms=tuple(settings.jwt_algorithms),
            jwks_url=settings.jwt_jwks_url,
            public_key=settings.jwt_public_key,
            workspace_claim=settings.jwt_workspace_claim,
            role_claim=settings.jwt_role_claim,
            leeway_seconds=settings.jwt_leeway_seconds,
            jwks_cache_seconds=settings.jwt_jwks_cache_seconds,
        )
    return IdentityConfig(key_cache_seconds=settings.api_key_cache_seconds, jwt=jwt)


async def command_line_principal(services: Services, settings: Settings) -> Principal:
    """The principal of `POWERMAP_API_KEY`, verified like an HTTP request's."""
    if settings.api_key is None:
        raise CredentialError(NO_KEY)
    authenticator = Authenticator(services, identity_config(settings))
    try:
        return await authenticator.authenticate(f"Bearer {settings.api_key.get_secret_value()}")
    except Unauthenticated as refused:
        raise CredentialError(f"POWERMAP_API_KEY: {refused}") from None
