"""Creating, listing, revoking and authenticating API keys (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.access import Actor, Permission, Role
from domain.apikeys.models import SCOPES, ApiKey, hash_secret, new_key_material, split_token
from domain.errors import Conflict, FieldErrors, NotFound
from domain.events import DomainEvent, Subject
from domain.ports import UnitOfWork

MANAGE_KEYS = Permission("apikey.manage", roles=(Role.ADMIN,), scope="admin")


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    token: str  # shown once, never stored


async def create_api_key(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> CreatedKey:
    actor.require(MANAGE_KEYS)
    errors = FieldErrors()
    if not name.strip() or len(name) > 80:
        errors.add("name", "errors.apikey.name")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        errors.add(
            "scopes", "errors.apikey.scopes", unknown=", ".join(unknown), scopes=", ".join(SCOPES)
        )
    if expires_at is not None and expires_at <= uow.now():
        errors.add("expires_at", "errors.date_in_past")
    errors.raise_if_any()
    prefix, secret, token = new_key_material()
    key = await uow.api_keys.add(
        ApiKey(
            id=None,
            name=name.strip(),
            prefix=prefix,
            secret_hash=hash_secret(secret),
            scopes=frozenset(scopes),
            created_by=actor.id_for_audit,
            created_at=uow.now(),
            expires_at=expires_at,
        )
    )
    assert key.id is not None
    uow.record(
        actor,
        DomainEvent(
            "apikey.created",
            Subject("api_key", key.id, prefix),
            {
                "name": key.name,
                "scopes": sorted(scopes),
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
            webhook=False,
        ),
    )
    return CreatedKey(key, token)


async def revoke_api_key(uow: UnitOfWork, actor: Actor, prefix: str) -> ApiKey:
    actor.require(MANAGE_KEYS)
    key = await uow.api_keys.find_by_prefix(prefix.strip())
    if key is None:
        raise NotFound("errors.apikey.not_found", key=prefix)
    if key.revoked_at is not None:
        raise Conflict("errors.apikey.already_revoked", key=prefix)
    key.revoked_at = uow.now()
    await uow.api_keys.save(key)
    assert key.id is not None
    uow.record(
        actor,
        DomainEvent(
            "apikey.revoked",
            Subject("api_key", key.id, key.prefix),
            {"name": key.name},
            webhook=False,
        ),
    )
    return key


async def list_api_keys(uow: UnitOfWork, actor: Actor) -> list[ApiKey]:
    actor.require(MANAGE_KEYS)
    return await uow.api_keys.list()


async def authenticate(uow: UnitOfWork, token: str) -> ApiKey | None:
    """The active key for a bearer token, or None. Constant-time secret comparison."""
    parts = split_token(token)
    if parts is None:
        return None
    key = await uow.api_keys.find_by_prefix(parts[0])
    if key is None or not key.matches(parts[1]) or not key.is_active(uow.now()):
        return None
    return key


def actor_for_key(key: ApiKey) -> Actor:
    assert key.id is not None
    return Actor.integration(key.name, key.scopes, key.id)
