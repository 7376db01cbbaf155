"""The role matrix, generated from the schema: every role x every mutation, and every role x every field.

The expectations are the issue's policy, written here independently of the code: a viewer reads
everything of its workspace; a strategist also writes the account map (intelligence, links, circles,
coverage, interactions); an integration job imports and syncs contacts and reads accounts and contacts,
and none of the strategy; an admin does everything, keys and the audit log included. A refused mutation
answers a FORBIDDEN user error and writes nothing; a refused field answers a top-level FORBIDDEN error.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type, is_leaf_type

from service.graph.database import Database
from service.rules.access import Permission, Role
from service.settings import Settings
from tests.conftest import ACCOUNT_DATA, ClientFactory, GraphQLClient
from tests.generated_calls import Builder, IdChoice, Slot, root_fields
from tests.isolation_support import ID_TYPES, WorkspaceIds, canon_document, collect_ids, introspected_schema, load

SYNC_MUTATIONS = frozenset(
    {
        "accountGraphImport",
        "stakeholdersUpsert",
        "interactionsUpsert",
        "interactionsRemove",
        "teamMembersUpsert",
        "teamMembersRemove",
        "coverageUpsert",
        "coveragesRemove",
    }
)
KEY_MUTATIONS_PREFIX = "apiKey"

STRATEGY_FIELDS = {
    "Stakeholder": {
        "stance", "influence", "buyingRoles", "buyerTypes", "adaptability", "personality", "contactTier", "notes",
        "history", "circles", "influences", "influencedBy", "ties", "coveredBy", "lastContactAt",
        "favours", "favourCount", "competitorContacts", "competitorContactCount",
        "contactIntervalDays", "contactDueAt",
    },
    "Account": {
        "portfolioClass", "relationshipStage", "decisionMakers", "circles", "influenceLinks", "ties", "interactions",
        "coverageGaps", "influencers", "neutralsToConvert", "opponentsToNeutralize", "supporterConsolidation",
        "coachCandidates", "powerMap", "supportScore", "accessPaths", "simulate", "accessPathCount",
        "coachCandidateCount", "coverageGapCount", "influencerCount", "neutralToConvertCount",
        "opponentToNeutralizeCount", "opportunities", "exportDocument", "cadenceDays", "overdueContacts",
        "overdueContactCount", "brokers", "brokerCount", "changes", "diff", "coverage",
    },
    "TeamMember": {"covers"},
    "Query": {"competitors"},
}  # fmt: skip
"""What integration jobs may not read on the types they may: the issue's list of intelligence."""
STRATEGY_TYPES = frozenset(
    {
        "PoliticalCircle",
        "InfluenceLink",
        "Tie",
        "Interaction",
        "Opportunity",
        "Competitor",
        "CompetitorRep",
        "MapDiff",
        "StanceMove",
        "MapLink",
        "CoveragePair",
    }
)
ADMIN_FIELDS = {"Query": {"apiKeys", "auditLog"}}


def mutation_permission(name: str) -> Permission:
    if name in SYNC_MUTATIONS:
        return Permission.SYNC
    if name.startswith(KEY_MUTATIONS_PREFIX):
        return Permission.ADMINISTER
    return Permission.WRITE_INTELLIGENCE


def may_read(role: Role, type_name: str, field_name: str) -> bool:
    if field_name in ADMIN_FIELDS.get(type_name, ()):
        return role is Role.ADMIN
    strategy = type_name in STRATEGY_TYPES or field_name in STRATEGY_FIELDS.get(type_name, ())
    return not (strategy and role is Role.INTEGRATION)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"rate_limit": "100000/minute"})


class Ours(IdChoice):
    """Every slot gets our own id of its type (a stakeholder's where the slot does not say)."""

    def __init__(self, ids: WorkspaceIds) -> None:
        self.ids = ids

    def pick(self, slot: Slot, index: int) -> str:
        return self.ids.first(next(iter(slot.types)) if len(slot.types) == 1 else "Stakeholder")


async def _setup(clients: ClientFactory) -> tuple[dict[Role, GraphQLClient], WorkspaceIds, GraphQLSchema]:
    by_role = {role: await clients(role) for role in Role}
    await clients(Role.VIEWER)  # the newest key: the one generated calls name (and may revoke)
    await load(by_role[Role.ADMIN], canon_document())
    ids = await collect_ids(by_role[Role.ADMIN])
    return by_role, ids, await introspected_schema(by_role[Role.ADMIN])


def _codes(body: dict[str, Any], name: str) -> list[str]:
    assert "errors" not in body, body["errors"]
    return [error["code"] for error in body["data"][name]["userErrors"]]


async def _account_data(db: Database, ws: str) -> list[str]:
    rows, _, _ = await db.driver.execute_query(
        f"MATCH (n {{workspaceId: $ws}}) WHERE {ACCOUNT_DATA} RETURN properties(n) AS p", ws=ws
    )
    return sorted(repr(sorted(row["p"].items())) for row in rows)


@pytest.mark.slow
async def test_every_role_may_run_exactly_the_mutations_its_permissions_allow(
    clients: ClientFactory, db: Database, workspace: str
) -> None:
    by_role, ids, schema = await _setup(clients)
    strings = {"source": "demo", "account": "acc-canon-zh", "id": "acc-canon-zh"}
    wrong = []
    for name in root_fields(schema, "mutation"):
        for role in (Role.VIEWER, Role.INTEGRATION, Role.STRATEGIST):  # the admin may do all: below
            builder = Builder(schema, ID_TYPES, Ours(ids), strings)
            args = builder.arguments(schema.mutation_type.fields[name].args, name, ())  # type: ignore[union-attr]
            query = f"mutation Run({', '.join(builder.definitions)}) {{ {name}{args} {{ userErrors {{ code }} }} }}"
            before = await _account_data(db, workspace)
            codes = _codes(await by_role[role].execute(query, builder.variables), name)
            allowed = mutation_permission(name) in _permissions(role)
            if allowed == ("FORBIDDEN" in codes):
                wrong.append(f"{role.value} {name}: {codes}")
            if not allowed and await _account_data(db, workspace) != before:
                wrong.append(f"{role.value} {name}: refused, yet it wrote")
    assert wrong == []


def _permissions(role: Role) -> set[Permission]:
    """The issue's matrix."""
    read = {Permission.READ, Permission.READ_INTELLIGENCE}
    return {
        Role.VIEWER: read,
        Role.STRATEGIST: read | {Permission.WRITE_INTELLIGENCE},
        Role.INTEGRATION: {Permission.READ, Permission.SYNC},
        Role.ADMIN: set(Permission),
    }[role]


async def test_an_admin_is_never_refused_a_mutation(clients: ClientFactory) -> None:
    by_role, ids, schema = await _setup(clients)
    for name in sorted(root_fields(schema, "mutation"), key=lambda n: "Delete" in n or "Revoke" in n):
        builder = Builder(schema, ID_TYPES, Ours(ids), {"source": "demo"})
        args = builder.arguments(schema.mutation_type.fields[name].args, name, ())  # type: ignore[union-attr]
        query = f"mutation Run({', '.join(builder.definitions)}) {{ {name}{args} {{ userErrors {{ code }} }} }}"
        assert "FORBIDDEN" not in _codes(await by_role[Role.ADMIN].execute(query, builder.variables), name), name


def _field_calls(schema: GraphQLSchema, ids: WorkspaceIds) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(type, field, query, variables): each field of each object an id can name, read through `node`,
    and each root field."""
    calls = []
    for type_name in ID_TYPES:
        type_ = schema.get_type(type_name)
        if not isinstance(type_, GraphQLObjectType) or "Node" not in {i.name for i in type_.interfaces}:
            continue
        for field_name, field_ in type_.fields.items():
            builder = Builder(schema, ID_TYPES, Ours(ids), {})
            args = builder.arguments(field_.args, f"{type_name}.{field_name}", (field_name,))
            selection = "" if is_leaf_type(get_named_type(field_.type)) else "{ __typename }"  # this field alone
            definitions = ", ".join(["$node: ID!", *builder.definitions])
            query = f"query Read({definitions}) {{ node(id: $node) {{ ... on {type_name} {{ {field_name}{args} {selection} }} }} }}"
            calls.append((type_name, field_name, query, {"node": ids.first(type_name), **builder.variables}))
    for field_name, field_ in schema.query_type.fields.items():  # type: ignore[union-attr]
        builder = Builder(schema, ID_TYPES, Ours(ids), {"source": "demo", "id": "acc-canon-zh"})
        args = builder.arguments(field_.args, field_name, (field_name,))
        selection = "" if is_leaf_type(get_named_type(field_.type)) else "{ __typename }"
        head = f"query Read({', '.join(builder.definitions)})" if builder.definitions else "query Read"
        calls.append(("Query", field_name, f"{head} {{ {field_name}{args} {selection} }}", builder.variables))
    return calls


def _forbidden(body: dict[str, Any]) -> bool:
    return any((e.get("extensions") or {}).get("code") == "FORBIDDEN" for e in body.get("errors") or [])


@pytest.mark.slow
async def test_every_role_reads_exactly_the_fields_its_permissions_allow(clients: ClientFactory) -> None:
    by_role, ids, schema = await _setup(clients)
    calls = _field_calls(schema, ids)
    wrong = []
    for type_name, field_name, query, variables in calls:
        for role, client in by_role.items():
            body = await client.execute(query, variables)
            refused = _forbidden(body)
            if refused == may_read(role, type_name, field_name):
                wrong.append(f"{role.value} {type_name}.{field_name}: {'refused' if refused else 'allowed'}")
    assert len(calls) > 60
    assert wrong == []


async def test_filtering_people_by_stance_or_role_is_reading_them(clients: ClientFactory) -> None:
    by_role, ids, _ = await _setup(clients)
    for argument in ("stance: [ENEMY]", "role: [DECISION_MAKER]"):
        query = f"query($id: ID!) {{ account(id: $id) {{ stakeholders({argument}) {{ totalCount }} }} }}"
        body = await by_role[Role.INTEGRATION].execute(query, {"id": ids.first("Account")})
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert (await by_role[Role.VIEWER].data(query, {"id": ids.first("Account")}))["account"] is not None


async def test_a_refused_field_names_every_refused_field_and_nothing_runs(clients: ClientFactory) -> None:
    by_role, ids, _ = await _setup(clients)
    query = "query($id: ID!) { stakeholder(id: $id) { name title stance notes history { field } } }"
    body = await by_role[Role.INTEGRATION].execute(query, {"id": ids.first("Stakeholder")})
    assert {key: body[key] for key in ("data", "errors")} == {
        "data": None,
        "errors": [
            {
                "message": "the integration role may not read Stakeholder.stance, Stakeholder.notes, "
                "Stakeholder.history, Change.field (this needs the 'read intelligence' permission).",
                "extensions": {
                    "code": "FORBIDDEN",
                    "fields": ["Stakeholder.stance", "Stakeholder.notes", "Stakeholder.history", "Change.field"],
                },
            }
        ],
    }
    contact = await by_role[Role.INTEGRATION].data("query($id: ID!) { stakeholder(id: $id) { name title } }",
                                                   {"id": ids.first("Stakeholder")})  # fmt: skip
    assert contact["stakeholder"]["name"]
