"""Handlers of `/platops` subcommands: parse words → call the use case → answer ephemerally."""

from __future__ import annotations

from typing import Any

from commands.admin import backup, views
from commands.framework import (
    Caller,
    SlashCommand,
    UsageError,
    channel_to_id,
    ephemeral,
    mention_to_user_id,
)
from domain.access import Role
from domain.apikeys import services as apikeys
from domain.org import services as org
from domain.people import services as people


def attach(command: SlashCommand) -> None:
    command.sub("whoami", "admin.usage.whoami")(whoami)
    command.sub("role", "admin.usage.role", people.VIEW_ROLES)(role)
    command.sub("dept", "admin.usage.dept")(dept)
    command.sub("platform", "admin.usage.platform")(platform)
    command.sub("apikey", "admin.usage.apikey", apikeys.MANAGE_KEYS)(apikey)
    backup.attach(command)


async def whoami(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.reader() as uow:
        roles = [
            await people.describe_grant(uow, g)
            for g in sorted(
                caller.actor.grants,
                key=lambda g: (g.role.value, g.department_id or 0, g.platform_id or 0),
            )
        ]
    await ack(ephemeral(views.whoami_text(caller.t, caller.user_id, roles)))


async def role(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    verb = args[0].lower() if args else "list"
    if verb == "list":
        async with caller.reader() as uow:
            grants = await people.list_grants(uow, caller.actor, args[1] if len(args) > 1 else None)
        await ack(ephemeral(views.grants_text(caller.t, grants)))
        return
    if verb not in ("grant", "revoke") or len(args) not in (3, 4):
        raise UsageError()
    user_id = mention_to_user_id(args[1])
    if user_id is None:
        raise UsageError("admin.errors.mention", word=args[1])
    scope = args[3] if len(args) == 4 else None
    action = people.grant_role if verb == "grant" else people.revoke_role
    async with caller.uow() as uow:
        grant = await action(uow, caller.actor, user_id, args[2], scope)
        described = await people.describe_grant(uow, grant)
        await uow.commit()
    key = "admin.role.granted" if verb == "grant" else "admin.role.revoked"
    await ack(ephemeral(caller.t(key, user=f"<@{user_id}>", grant=described)))


async def dept(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    verb = args[0].lower() if args else "list"
    if verb == "list":
        async with caller.reader() as uow:
            departments = await uow.org.list_departments()
        await ack(ephemeral(views.departments_text(caller.t, departments)))
    elif verb == "add" and len(args) >= 2:
        channel = None
        name_words = []
        for word in args[2:]:
            channel = channel_to_id(word) or channel
            if channel_to_id(word) is None:
                name_words.append(word)
        async with caller.uow() as uow:
            department = await org.add_department(
                uow, caller.actor, args[1], " ".join(name_words) or None, channel
            )
            await uow.commit()
        await ack(ephemeral(caller.t("admin.dept.added", key=department.key, name=department.name)))
    elif verb in ("members", "approvers") and len(args) == 2:
        role_ = Role.MEMBER if verb == "members" else Role.APPROVER
        async with caller.reader() as uow:
            department = await org.get_department(uow, args[1])
            holders = await uow.people.holders_of(
                role_, department_id=department.id, exact_scope=True
            )
        await ack(ephemeral(views.holders_text(caller.t, verb, department.key, holders)))
    elif verb == "quorum" and len(args) == 3 and args[2].isdigit():
        async with caller.uow() as uow:
            department = await org.configure_department(
                uow, caller.actor, args[1], approval_quorum=int(args[2])
            )
            await uow.commit()
        await ack(
            ephemeral(
                caller.t(
                    "admin.dept.quorum_set", key=department.key, quorum=department.approval_quorum
                )
            )
        )
    else:
        raise UsageError()


async def platform(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    verb = args[0].lower() if args else "list"
    if verb == "list":
        async with caller.reader() as uow:
            platforms = await uow.org.list_platforms()
        await ack(ephemeral(views.platforms_text(caller.t, platforms)))
        return
    if verb != "add" or len(args) < 2:
        raise UsageError()
    channels = [c for c in (channel_to_id(w) for w in args[2:]) if c]
    name = " ".join(w for w in args[2:] if channel_to_id(w) is None) or None
    async with caller.uow() as uow:
        added = await org.add_platform(
            uow,
            caller.actor,
            args[1],
            name,
            ops_channel_id=channels[0] if channels else None,
            moderation_channel_id=channels[1] if len(channels) > 1 else None,
        )
        await uow.commit()
    await ack(ephemeral(caller.t("admin.platform.added", key=added.key, name=added.name)))


async def apikey(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    verb = args[0].lower() if args else "list"
    if verb == "list":
        async with caller.reader() as uow:
            keys = await apikeys.list_api_keys(uow, caller.actor)
        await ack(ephemeral(views.api_keys_text(caller.t, keys, caller.container.clock.now())))
    elif verb == "create" and len(args) >= 3:
        scopes = [s for word in args[2:] for s in word.split(",") if s]
        async with caller.uow() as uow:
            created = await apikeys.create_api_key(uow, caller.actor, args[1], scopes)
            await uow.commit()
        await ack(
            ephemeral(
                caller.t(
                    "admin.apikey.created",
                    name=created.key.name,
                    token=created.token,
                    scopes=", ".join(sorted(scopes)),
                )
            )
        )
    elif verb == "revoke" and len(args) == 2:
        async with caller.uow() as uow:
            key = await apikeys.revoke_api_key(uow, caller.actor, args[1])
            await uow.commit()
        await ack(ephemeral(caller.t("admin.apikey.revoked", key=key.prefix, name=key.name)))
    else:
        raise UsageError()
