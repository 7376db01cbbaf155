"""The app's HTTP surface: liveness, readiness, GraphiQL and error masking."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from service.entrypoints.app import create_app
from service.graph.database import Database
from service.graph.driver import create_driver
from service.settings import Settings
from service.usecases.services import Services
from tests.conftest import GraphQLClient


async def test_healthz_answers_without_the_database(client: GraphQLClient) -> None:
    response = await client.http.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_is_ready_when_the_database_answers(client: GraphQLClient) -> None:
    response = await client.http.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})


async def test_graphiql_page_loads_only_local_assets(client: GraphQLClient) -> None:
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "unpkg.com" not in page.text
    assert "/graphiql-static/graphiql/graphiql.min.js" in page.text
    asset = await client.http.get("/graphiql-static/graphiql/graphiql.min.js")
    assert asset.status_code == 200


async def test_unknown_fields_are_client_errors_with_their_message(client: GraphQLClient) -> None:
    body = await client.execute("{ nope }")
    assert body["errors"][0]["message"] == "Cannot query field 'nope' on type 'Query'. Did you mean 'node'?"


async def test_malformed_cursor_is_a_named_client_error(client: GraphQLClient) -> None:
    body = await client.execute('{ accounts(after: "%%%") { totalCount } }')
    assert body["errors"][0]["message"] == "`after` is not a valid cursor."
    assert body["errors"][0]["extensions"] == {"code": "INVALID_CURSOR", "field": "after"}


async def test_page_size_over_100_is_refused(client: GraphQLClient) -> None:
    body = await client.execute("{ accounts(first: 101) { totalCount } }")
    assert body["errors"][0]["message"] == "`first` must be between 0 and 100, got 101."


async def test_readyz_is_503_when_the_database_is_unreachable(settings: Settings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        dead = Database(create_driver("bolt://127.0.0.1:9", "neo4j", ""), "neo4j")
        live = app.state.services
        app.state.services = Services(dead)
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                response = await http.get("/readyz")
        finally:
            app.state.services = live
            await dead.close()
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})


async def test_bad_variables_name_the_missing_field(client: GraphQLClient) -> None:
    body = await client.execute(
        "mutation($input: AccountGraphInput!) { accountGraphImport(input: $input) { created } }",
        {"input": {"source": "crm", "account": {"externalId": "a", "name": "A"}}},
    )
    assert [e["message"] for e in body["errors"]] == [
        "Variable '$input' has invalid value: Expected value of type 'AccountGraphInput' to include required "
        "field 'stakeholders', found: {'source': 'crm', 'account': {'externalId': 'a', 'name': 'A'}}."
    ]


async def test_the_ide_offers_the_bootstrap_key_to_a_browser_on_this_machine_only(
    settings: Settings, db: Database
) -> None:
    from service.rules.api_keys import is_well_formed
    from service.usecases.identity import new_secret

    key = new_secret()
    printed: list[str] = []
    app = create_app(settings.model_copy(update={"bootstrap_key": SecretStr(key)}), on_bootstrap_key=printed.append)
    async with app.router.lifespan_context(app):
        for client, offered in ((("127.0.0.1", 5000), True), (("203.0.113.7", 5000), False)):
            transport = httpx.ASGITransport(app=app, client=client)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                page = await http.get("/graphql", headers={"Accept": "text/html"})
                assert (f"Bearer {key}" in page.text) is offered
                answer = await http.post(
                    "/graphql",
                    json={"query": "{ me { role workspace { id } } }"},
                    headers={"authorization": f"Bearer {key}"},
                )
                assert answer.json()["data"]["me"] == {"role": "ADMIN", "workspace": {"id": settings.workspace_id}}
    assert printed == [key]
    assert is_well_formed(key)


async def test_production_never_ensures_a_bootstrap_key(settings: Settings, db: Database) -> None:
    from service.usecases.identity import new_secret

    printed: list[str] = []
    production = settings.model_copy(update={"bootstrap_key": SecretStr(new_secret()), "env": "production"})
    app = create_app(production, on_bootstrap_key=printed.append)
    async with app.router.lifespan_context(app):
        pass
    assert printed == []
