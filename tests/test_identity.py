"""Identity: API keys (shown once, stored as a hash, revocable, last use kept) and JWTs from a company's
identity provider (keys from a JWKS URL, served here by the test, or a PEM), and `me`."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import jwt
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI

from service.entrypoints.app import create_app
from service.graph.database import Database
from service.rules import api_keys
from service.rules.access import Role
from service.settings import Settings
from service.usecases.identity import provision_key
from tests.conftest import ClientFactory, GraphQLClient

ME = "{ me { id name role workspace { id name } } }"
ISSUER = "https://login.example.com/"
AUDIENCE = "powermap"


async def test_me_tells_the_key_its_role_and_workspace(clients: ClientFactory, workspace: str) -> None:
    client = await clients(Role.STRATEGIST)
    me = (await client.data(ME))["me"]
    assert me["role"] == "STRATEGIST"
    assert me["id"].startswith("key:")
    assert me["name"] == "test strategist"
    assert me["workspace"] == {"id": workspace, "name": workspace}


async def test_a_key_is_stored_only_as_its_hash(client: GraphQLClient, db: Database, workspace: str) -> None:
    rows, _, _ = await db.driver.execute_query(
        "MATCH (k:ApiKey {workspaceId: $ws}) RETURN properties(k) AS p", ws=workspace
    )
    assert client.key is not None
    stored = [row["p"] for row in rows]
    assert [p["hash"] for p in stored] == [api_keys.key_hash(client.key)]
    assert client.key not in json.dumps(stored, default=str)


async def test_admins_create_list_and_revoke_keys_and_a_revoked_key_stops_at_once(
    client: GraphQLClient, app: FastAPI
) -> None:
    created = (
        await client.data(
            'mutation { apiKeyCreate(input: {name: "CRM sync", role: INTEGRATION}) '
            "{ key apiKey { id name role revokedAt } userErrors { code } } }"
        )
    )["apiKeyCreate"]
    assert created["userErrors"] == []
    assert api_keys.is_well_formed(created["key"])
    assert (created["apiKey"]["role"], created["apiKey"]["revokedAt"]) == ("INTEGRATION", None)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://powermap.test")
    sync = GraphQLClient(http, created["key"])
    assert (await sync.data(ME))["me"]["role"] == "INTEGRATION"

    listed = (await client.data("{ apiKeys { totalCount nodes { id name } } }"))["apiKeys"]
    assert created["apiKey"]["id"] in [k["id"] for k in listed["nodes"]]
    assert created["key"] not in json.dumps(listed)

    revoked = await client.data(
        "mutation($id: ID!) { apiKeyRevoke(input: {id: $id}) { apiKey { revokedAt } userErrors { code } } }",
        {"id": created["apiKey"]["id"]},
    )
    assert revoked["apiKeyRevoke"]["apiKey"]["revokedAt"] is not None
    refused = await sync.http.post("/graphql", json={"query": ME})
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["message"] == "the API key is unknown or revoked"
    await sync.http.aclose()


async def test_only_admins_manage_keys(clients: ClientFactory) -> None:
    strategist = await clients(Role.STRATEGIST)
    body = await strategist.data(
        'mutation { apiKeyCreate(input: {name: "mine", role: ADMIN}) { key userErrors { code } } }'
    )
    assert body["apiKeyCreate"] == {"key": None, "userErrors": [{"code": "FORBIDDEN"}]}
    listing = await strategist.execute("{ apiKeys { totalCount } }")
    assert listing["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_malformed_key_is_refused_without_a_lookup(client: GraphQLClient) -> None:
    assert client.key is not None
    tampered = client.key[:-7] + ("A" if client.key[-7] != "A" else "B") + client.key[-6:]
    response = await client.http.post("/graphql", json={"query": ME}, headers={"authorization": f"Bearer {tampered}"})
    assert response.status_code == 401
    assert "checksum" in response.json()["errors"][0]["message"]


async def test_last_use_is_written_at_most_once_a_minute(client: GraphQLClient, db: Database, workspace: str) -> None:
    await client.data(ME)
    first = await _last_used(db, workspace)
    for _ in range(3):
        await client.data(ME)
    assert first is not None
    assert await _last_used(db, workspace) == first


async def _last_used(db: Database, workspace: str) -> Any:
    rows, _, _ = await db.driver.execute_query(
        "MATCH (k:ApiKey {workspaceId: $ws}) RETURN k.lastUsedAt AS at", ws=workspace
    )
    return rows[0]["at"]


# --- JWTs ---------------------------------------------------------------------------------------------


class JwksServer:
    """The identity provider's JWKS endpoint, on a free local port, for the length of a test."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        body = json.dumps({"keys": keys}).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"

    def __enter__(self) -> JwksServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def jwks(rsa_key: rsa.RSAPrivateKey) -> Iterator[JwksServer]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    with JwksServer([{**public, "kid": "key-1", "use": "sig", "alg": "RS256"}]) as server:
        yield server


def claims(**overrides: Any) -> dict[str, Any]:
    """The claims of a valid token, with `overrides`; a timedelta is a time that far from now."""
    now = datetime.now(UTC)
    base = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "alice",
        "name": "Alice Chen",
        "exp": now + timedelta(minutes=5),
        "iat": now,
        "powermap_workspace": "ws-jwt",
        "powermap_role": "strategist",
    }
    return {**base, **{k: now + v if isinstance(v, timedelta) else v for k, v in overrides.items()}}


@pytest_asyncio.fixture
async def jwt_http(settings: Settings, db: Database, jwks: JwksServer) -> AsyncIterator[httpx.AsyncClient]:
    configured = settings.model_copy(
        update={"jwt_issuer": ISSUER, "jwt_audience": AUDIENCE, "jwt_jwks_url": jwks.url, "rate_limit": "10000/minute"}
    )
    app = create_app(configured)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:
            yield http


async def _me(http: httpx.AsyncClient, token: str) -> httpx.Response:
    return await http.post("/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"})


async def test_a_token_from_the_identity_provider_names_the_user_workspace_and_role(
    jwt_http: httpx.AsyncClient, rsa_key: rsa.RSAPrivateKey
) -> None:
    token = jwt.encode(claims(), rsa_key, algorithm="RS256", headers={"kid": "key-1"})
    response = await _me(jwt_http, token)
    assert response.json()["data"]["me"] == {
        "id": "user:alice",
        "name": "Alice Chen",
        "role": "STRATEGIST",
        "workspace": {"id": "ws-jwt", "name": "ws-jwt"},
    }


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": -timedelta(minutes=5)}, "the token has expired"),
        ({"nbf": timedelta(minutes=5)}, "the token is not valid yet (nbf)"),
        ({"aud": "someone-else"}, "the token is not valid: Audience doesn't match"),
        ({"iss": "https://evil.example.com/"}, "the token is not valid: Invalid issuer"),
        ({"powermap_role": "owner"}, "the token's role claim 'powermap_role' is not one of"),
        ({"powermap_workspace": None}, "the token has no workspace claim 'powermap_workspace'"),
    ],
)
async def test_tokens_that_fail_a_check_are_refused(
    jwt_http: httpx.AsyncClient, rsa_key: rsa.RSAPrivateKey, overrides: dict[str, Any], reason: str
) -> None:
    token = jwt.encode(claims(**overrides), rsa_key, algorithm="RS256", headers={"kid": "key-1"})
    response = await _me(jwt_http, token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith(reason)


async def test_a_token_within_the_leeway_is_accepted(jwt_http: httpx.AsyncClient, rsa_key: rsa.RSAPrivateKey) -> None:
    token = jwt.encode(
        claims(exp=datetime.now(UTC) - timedelta(seconds=10)), rsa_key, algorithm="RS256", headers={"kid": "key-1"}
    )
    assert (await _me(jwt_http, token)).status_code == 200


async def test_unsigned_hmac_foreign_and_unknown_key_tokens_are_refused(
    jwt_http: httpx.AsyncClient, rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey
) -> None:
    unsigned = jwt.encode(claims(), None, algorithm="none")  # type: ignore[arg-type]
    public_pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    confused = _hmac_token(public_pem)  # the classic key confusion: an HMAC keyed with the public key
    foreign = jwt.encode(claims(), rsa.generate_private_key(65537, 2048), algorithm="RS256", headers={"kid": "key-1"})
    unknown = jwt.encode(claims(), rsa_key, algorithm="RS256", headers={"kid": "key-9"})
    other_alg = jwt.encode(claims(), ec_key, algorithm="ES256", headers={"kid": "key-1"})
    expected = {
        unsigned: "tokens signed with 'none' are not accepted",
        confused: "tokens signed with 'HS256' are not accepted",
        foreign: "the token is not valid: Signature verification failed",
        unknown: "the token's signing key (kid) is not one of the identity provider's keys",
        other_alg: "the token is not valid",
    }
    for token, reason in expected.items():
        response = await _me(jwt_http, token)
        assert response.status_code == 401, reason
        assert response.json()["errors"][0]["message"].startswith(reason)


def _hmac_token(secret: bytes) -> str:
    """HS256 over the claims, keyed with `secret`, built by hand: PyJWT refuses to key an HMAC with a PEM."""
    import base64
    import hashlib
    import hmac

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "key-1"}).encode())
    payload = b64(json.dumps(claims(), default=lambda d: int(d.timestamp())).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


async def test_a_pem_key_verifies_es256_tokens(
    settings: Settings, db: Database, ec_key: ec.EllipticCurvePrivateKey
) -> None:
    pem = ec_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    configured = settings.model_copy(
        update={
            "jwt_issuer": ISSUER,
            "jwt_audience": AUDIENCE,
            "jwt_public_key": pem.decode(),
            "jwt_algorithms": ["ES256"],
        }
    )
    app = create_app(configured)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:
            token = jwt.encode(claims(powermap_role="VIEWER"), ec_key, algorithm="ES256")
            assert (await _me(http, token)).json()["data"]["me"]["role"] == "VIEWER"


def test_only_asymmetric_algorithms_may_be_configured() -> None:
    for refused in (["HS256"], ["none"], ["RS256", "HS512"], []):
        with pytest.raises(ValueError, match="only"):
            Settings(jwt_algorithms=refused)
    assert Settings(jwt_algorithms="RS256, ES256").jwt_algorithms == ["RS256", "ES256"]


async def test_keys_made_by_an_operator_work_and_the_workspace_is_created(
    settings: Settings, db: Database, workspace: str
) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        created = await provision_key(
            app.state.services, workspace, Role.VIEWER, "reader", workspace_name="Acme Selling"
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:
            me = (await _me(http, created.secret)).json()["data"]["me"]
    assert me["workspace"] == {"id": workspace, "name": "Acme Selling"}
