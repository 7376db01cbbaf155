"""Opaque global ids: base64url("Type:internal id"). Clients must treat them as opaque strings."""

from __future__ import annotations

import base64
import binascii

from service.schema.errors import ClientError

NODE_TYPES = frozenset(
    {"Account", "Stakeholder", "PoliticalCircle", "InfluenceLink", "Tie", "TeamMember", "Interaction", "ApiKey"}
)


def encode_id(type_name: str, raw_id: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{raw_id}".encode()).decode().rstrip("=")


def decode_id(global_id: str) -> tuple[str, str] | None:
    """(type, internal id), or None when the string is not one of our ids."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, raw_id = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if type_name not in NODE_TYPES or not raw_id:
        return None
    return type_name, raw_id


def raw_id_of(global_id: str, type_name: str) -> str | None:
    """The internal id if `global_id` names a `type_name`, else None."""
    decoded = decode_id(global_id)
    if decoded is None or decoded[0] != type_name:
        return None
    return decoded[1]


def require_raw_id(global_id: str, type_name: str, argument: str) -> str:
    """For query arguments: a malformed or foreign id is a client fault, raised as a GraphQL error."""
    raw = raw_id_of(global_id, type_name)
    if raw is None:
        raise ClientError(f"`{argument}` is not a {type_name} id.", code="INVALID_ID", field=argument)
    return raw
