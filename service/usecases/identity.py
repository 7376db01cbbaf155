"""Who is calling: a bearer credential (an API key or a JWT) becomes a `Principal`, or is refused.

The HTTP edge only takes the credential out of `Authorization: Bearer ...` and asks `Authenticator`.
API keys are checked offline first (prefix, length, checksum: `service.rules.api_keys`), then looked up
by their hash; a process trusts a key it looked up for `key_cache_seconds` (so a revocation made by
another process takes at most that long) and writes a key's last use at most once a minute. Keys are
managed here too: created (shown once), listed and revoked by admins of their workspace, or by an
operator on the command line.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired, TransientError

from service.graph import identity as stored
from service.graph.database import Scope, Write
from service.rules import api_keys
from service.rules.access import Permission, Principal, Role
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.identity import ApiKey, Workspace
from service.rules.paging import MAX_PAGE_SIZE
from service.rules.validation import Problem
from service.usecases.auditing import audited_scope, record_refusal
from service.usecases.authorization import require
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.tokens import JwtConfig, JwtVerifier, KeysUnavailable, TokenRefused

logger = logging.getLogger("powermap.identity")

UNAVAILABLE = (ServiceUnavailable, SessionExpired, TransientError)

TOUCH_INTERVAL = timedelta(minutes=1)
"""A key's last use is written at most this often, not on every request."""
CACHED_KEYS = 10_000
MAX_KEY_NAME = 100


class Unauthenticated(Exception):
    """No valid identity; the message says why, and never repeats the credential."""


class IdentityUnavailable(Exception):
    """Identities cannot be verified right now (the identity provider's keys are out of reach)."""


@dataclass(frozen=True, slots=True)
class IdentityConfig:
    key_cache_seconds: float = 10.0
    jwt: JwtConfig | None = None


@dataclass(frozen=True, slots=True)
class CreatedKey:
    key: ApiKey
    secret: str
    """The key itself: shown once, never stored."""


def bearer_credential(authorization: str | None) -> str:
    """The credential of an `Authorization: Bearer <credential>` header."""
    if not authorization:
        raise Unauthenticated("this request needs an `Authorization: Bearer <API key or token>` header")
    scheme, _, credential = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("the Authorization header must be `Bearer <API key or token>`")
    return credential.strip()


class Authenticator:
    """Turns credentials into principals for one process (it keeps the keys it looked up)."""

    def __init__(self, services: Services, config: IdentityConfig) -> None:
        self.services = services
        self.config = config
        self._keys: OrderedDict[str, tuple[ApiKey, float]] = OrderedDict()
        self._touched: dict[str, datetime] = {}
        self._tokens = None if config.jwt is None else JwtVerifier(config.jwt)

    async def authenticate(self, authorization: str | None) -> Principal:
        credential = bearer_credential(authorization)
        if credential.startswith(api_keys.PREFIX):
            return await self._key_principal(credential)
        if self._tokens is None:
            raise Unauthenticated("the bearer credential is not a Powermap API key (no JWT issuer is configured)")
        try:
            return await self._tokens.verify(credential)
        except TokenRefused as refused:
            raise Unauthenticated(str(refused)) from None
        except KeysUnavailable as unavailable:
            raise IdentityUnavailable(str(unavailable)) from None

    def forget(self, key_id: str) -> None:
        """Stop trusting a key at once (it was revoked in this process)."""
        for hashed in [h for h, (key, _) in self._keys.items() if key.id == key_id]:
            del self._keys[hashed]

    async def _key_principal(self, credential: str) -> Principal:
        if not api_keys.is_well_formed(credential):
            raise Unauthenticated("the API key is malformed (its checksum does not match)")
        hashed = api_keys.key_hash(credential)
        key = await self._lookup(hashed)
        if key is None or key.revoked_at is not None:
            raise Unauthenticated("the API key is unknown or revoked")
        await self._touch(key)
        return Principal(workspace_id=key.workspace_id, role=key.role, id=key.principal_id, name=key.name)

    async def _lookup(self, hashed: str) -> ApiKey | None:
        cached = self._keys.get(hashed)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            key = await self.services.db.read(stored.key_by_hash, hashed)
        except UNAVAILABLE as error:
            raise IdentityUnavailable("the database is unavailable, so no key can be checked; try again") from error
        if key is not None and key.revoked_at is None and self.config.key_cache_seconds > 0:
            self._keys[hashed] = (key, now + self.config.key_cache_seconds)
            self._keys.move_to_end(hashed)
            while len(self._keys) > CACHED_KEYS:
                self._keys.popitem(last=False)
        return key

    async def _touch(self, key: ApiKey) -> None:
        now = datetime.now(UTC)
        last = self._touched.get(key.id) or key.last_used_at
        if last is not None and now - last < TOUCH_INTERVAL:
            return
        self._touched[key.id] = now
        if len(self._touched) > CACHED_KEYS:
            self._touched.clear()
        try:
            await self.services.db.write(
                Scope(key.workspace_id, key.principal_id, retry_seconds=1.0), _touch_key, key.id
            )
        except (*UNAVAILABLE, Neo4jError) as error:  # a missed last-use time fails no request
            logger.warning("could not record the last use of key %s: %r", key.id, error)


async def _touch_key(w: Write, key_id: str) -> None:
    await stored.touch_key(w.tx, w.ws, key_id, w.now)


# --- managing keys --------------------------------------------------------------------------------


def _name_problems(name: str) -> list[Problem]:
    if not name.strip() or len(name) > MAX_KEY_NAME:
        return [Problem(("name",), f"a key's name must have 1 to {MAX_KEY_NAME} characters.")]
    return []


def new_secret() -> str:
    alphabet = api_keys.ALPHABET
    return api_keys.format_key("".join(secrets.choice(alphabet) for _ in range(api_keys.RANDOM_LENGTH)))


async def create_key(services: Services, principal: Principal, role: Role, name: str) -> CreatedKey:
    """A new key of the admin's own workspace; the secret is returned once and never stored."""
    try:
        require(principal, Permission.ADMINISTER)
        reject_if(_name_problems(name))
    except Rejected as rejected:
        await record_refusal(services, principal, "apiKeyCreate", rejected.problems)
        raise
    secret = new_secret()
    key = await services.db.write(audited_scope(principal, "apiKeyCreate"), _create, secret, name, role, None)
    return CreatedKey(key, secret)


async def provision_key(
    services: Services,
    workspace_id: str,
    role: Role,
    name: str,
    *,
    workspace_name: str | None = None,
    secret: str | None = None,
    by: str = "cli",
) -> CreatedKey:
    """An operator's key (the command line, the bootstrap key): the workspace is created when missing.
    `secret` chooses the key's value (it must be well formed and unused)."""
    if secret is None:
        secret = new_secret()
    elif not api_keys.is_well_formed(secret):
        raise ValueError("not a well-formed Powermap API key (pm_ + 30 base62 characters + checksum)")
    reject_if(_name_problems(name))
    operator = Principal(workspace_id=workspace_id, role=Role.ADMIN, id=by, name=by)
    scope = audited_scope(operator, "apiKeyCreate")
    key = await services.db.write(scope, _create, secret, name, role, workspace_name)
    return CreatedKey(key, secret)


async def _create(w: Write, secret: str, name: str, role: Role, workspace_name: str | None) -> ApiKey:
    await stored.ensure_workspace(w.tx, w.ws, workspace_name, w.now)
    key = await stored.create_key(w.tx, w.ws, new_id(), api_keys.key_hash(secret), name.strip(), role, w.by, w.now)
    w.mentioned.append(key.id)
    return key


async def ensure_bootstrap_key(services: Services, workspace_id: str, secret: str) -> str:
    """The demo workspace's admin key `secret`, created when missing. When that value is taken by another
    key (revoked, or of another workspace or role), a fresh key is made instead; returns the key to use."""
    found = await services.db.read(stored.key_by_hash, api_keys.key_hash(secret))
    if (
        found is not None
        and found.revoked_at is None
        and (found.workspace_id, found.role) == (workspace_id, Role.ADMIN)
    ):
        return secret
    if found is not None:
        secret = new_secret()
    created = await provision_key(services, workspace_id, Role.ADMIN, "bootstrap", secret=secret, by="bootstrap")
    return created.secret


async def revoke_key(
    services: Services, principal: Principal, key_id: str | None, authenticator: Authenticator | None = None
) -> ApiKey:
    """Revoke a key of the admin's workspace; NOT_FOUND for any other id. Revoking twice keeps the first time."""
    try:
        require(principal, Permission.ADMINISTER)
        if key_id is None:
            raise Rejected([Problem(("id",), "not an API key id.", ErrorCode.NOT_FOUND)])
        revoked = await services.db.write(audited_scope(principal, "apiKeyRevoke"), _revoke, key_id)
    except Rejected as rejected:
        await record_refusal(services, principal, "apiKeyRevoke", rejected.problems)
        raise
    if authenticator is not None:
        authenticator.forget(revoked.id)
    return revoked


async def _revoke(w: Write, key_id: str) -> ApiKey:
    revoked = await stored.revoke_key(w.tx, w.ws, key_id, w.now)
    if revoked is None:
        raise Rejected([Problem(("id",), "no API key with this id in this workspace.", ErrorCode.NOT_FOUND)])
    w.mentioned.append(revoked.id)
    return revoked


async def revoke_key_by_value(services: Services, secret: str, by: str = "cli") -> ApiKey | None:
    """An operator revokes a key they hold (e.g. one that leaked); None when no such key exists."""
    if not api_keys.is_well_formed(secret):
        return None
    found = await services.db.read(stored.key_by_hash, api_keys.key_hash(secret))
    if found is None:
        return None
    operator = Principal(workspace_id=found.workspace_id, role=Role.ADMIN, id=by, name=by)
    return await revoke_key(services, operator, found.id)


async def revoke_key_by_id(services: Services, workspace_id: str, key_id: str, by: str = "cli") -> ApiKey:
    operator = Principal(workspace_id=workspace_id, role=Role.ADMIN, id=by, name=by)
    return await revoke_key(services, operator, key_id)


@dataclass(frozen=True, slots=True)
class KeyPage:
    keys: tuple[ApiKey, ...]
    has_next_page: bool


async def list_keys(
    services: Services,
    principal: Principal,
    first: int,
    after: tuple[datetime, str] | None = None,
    include_revoked: bool = False,
) -> KeyPage:
    """The workspace's keys, newest first, at most 100 a page (admins only)."""
    require(principal, Permission.ADMINISTER)
    limit = min(max(first, 0), MAX_PAGE_SIZE)
    found = await services.db.read(stored.key_page, principal.workspace_id, limit + 1, after, include_revoked)
    return KeyPage(tuple(found[:limit]), len(found) > limit)


async def count_keys(services: Services, principal: Principal, include_revoked: bool = False) -> int:
    require(principal, Permission.ADMINISTER)
    return await services.db.read(stored.key_count, principal.workspace_id, include_revoked)


async def operator_keys(services: Services, workspace_id: str, include_revoked: bool) -> list[ApiKey]:
    """Every key of a workspace, for the command line (newest first)."""
    operator = Principal(workspace_id=workspace_id, role=Role.ADMIN, id="cli")
    keys: list[ApiKey] = []
    after = None
    while True:
        page = await list_keys(services, operator, MAX_PAGE_SIZE, after, include_revoked)
        keys += page.keys
        if not page.has_next_page:
            return keys
        after = (page.keys[-1].created_at, page.keys[-1].id)


async def current_workspace(services: Services, principal: Principal) -> Workspace:
    """The principal's workspace; a workspace that was never stored (a token's) shows its id as its name."""
    found = await services.db.read(stored.workspace, principal.workspace_id)
    return found or Workspace(id=principal.workspace_id, name=principal.workspace_id)
