"""JWT bearer tokens from a company's identity provider, verified with PyJWT.

A token is accepted when it is signed with one of the configured asymmetric algorithms (never `none`,
never an HMAC) by a key of the provider (from its JWKS URL, or one PEM public key), names the configured
issuer and audience, has not expired (`exp`, required) and is already valid (`nbf`), each with a small
leeway. The workspace and the role come from configured claims; `sub` names the user.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import jwt

from service.rules.access import Principal, Role


class TokenRefused(Exception):
    """The token is not acceptable; the message says why (never the token itself)."""


class KeysUnavailable(Exception):
    """The identity provider's keys could not be fetched: nobody can be verified right now."""


@dataclass(frozen=True, slots=True)
class JwtConfig:
    issuer: str
    audience: str
    algorithms: tuple[str, ...]
    jwks_url: str | None = None
    public_key: str | None = None
    workspace_claim: str = "powermap_workspace"
    role_claim: str = "powermap_role"
    leeway_seconds: float = 30.0
    jwks_cache_seconds: float = 300.0


@dataclass
class JwtVerifier:
    """Verifies tokens for one configuration; keeps the provider's signing keys by key id."""

    config: JwtConfig
    _client: jwt.PyJWKClient | None = field(default=None, init=False)
    _keys: dict[str, tuple[jwt.PyJWK, float]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        if (self.config.jwks_url is None) == (self.config.public_key is None):
            raise ValueError("configure exactly one of a JWKS URL and a PEM public key")
        if self.config.jwks_url is not None:
            self._client = jwt.PyJWKClient(
                self.config.jwks_url, cache_keys=False, lifespan=self.config.jwks_cache_seconds, timeout=5
            )

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenRefused("the bearer credential is neither an API key nor a JWT") from None
        algorithm = header.get("alg")
        if algorithm not in self.config.algorithms:
            raise TokenRefused(f"tokens signed with {algorithm!r} are not accepted")
        key = await self._key(header)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=list(self.config.algorithms),
                audience=self.config.audience,
                issuer=self.config.issuer,
                leeway=self.config.leeway_seconds,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenRefused("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise TokenRefused("the token is not valid yet (nbf)") from None
        except jwt.PyJWTError as error:
            raise TokenRefused(f"the token is not valid: {error}") from None
        return self._principal(claims)

    async def _key(self, header: dict[str, Any]) -> Any:
        if self._client is None:
            return self.config.public_key
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenRefused("the token names no signing key (kid)")
        cached = self._keys.get(kid)
        if cached is not None and time.monotonic() - cached[1] < self.config.jwks_cache_seconds:
            return cached[0]
        client = self._client
        try:
            # PyJWKClient fetches with blocking I/O, and refetches for an unknown kid at most once a cooldown.
            key = await asyncio.to_thread(client.get_signing_key, kid)
        except jwt.PyJWKClientConnectionError as error:
            raise KeysUnavailable(f"the identity provider's keys could not be fetched: {error}") from None
        except jwt.PyJWKClientError:
            raise TokenRefused("the token's signing key (kid) is not one of the identity provider's keys") from None
        self._keys[kid] = (key, time.monotonic())
        return key

    def _principal(self, claims: dict[str, Any]) -> Principal:
        workspace = claims.get(self.config.workspace_claim)
        if not isinstance(workspace, str) or not workspace.strip():
            raise TokenRefused(f"the token has no workspace claim {self.config.workspace_claim!r}")
        role_name = claims.get(self.config.role_claim)
        roles = {role.value: role for role in Role}
        if not isinstance(role_name, str) or role_name.lower() not in roles:
            raise TokenRefused(f"the token's role claim {self.config.role_claim!r} is not one of {sorted(roles)}")
        subject = str(claims["sub"])
        name = claims.get("name") or claims.get("email") or subject
        return Principal(workspace_id=workspace, role=roles[role_name.lower()], id=f"user:{subject}", name=str(name))
