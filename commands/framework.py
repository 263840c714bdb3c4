"""What every Slack handler shares: who is calling, slash-command routing, and message helpers."""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.bootstrap import Container
from bot.i18n import Translator
from domain.access import Actor, Permission
from domain.errors import ValidationFailed


@dataclass
class Caller:
    """The person behind a Slack request: their roles and their language."""

    container: Container
    user_id: str
    actor: Actor
    t: Translator
    timezone: str = "UTC"

    def uow(self) -> Any:
        return self.container.uow()

    def reader(self) -> Any:
        return self.container.reader()


async def caller_for(container: Container, user_id: str) -> Caller:
    identity = await container.identities.get(container.reader, user_id)
    actor, person = identity.actor, identity.person
    locale = person.locale if person else None
    return Caller(
        container,
        user_id,
        actor,
        container.translator(locale),
        person.timezone if person else container.settings.timezone,
    )


def ephemeral(text: str, blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"response_type": "ephemeral", "text": text}
    if blocks:
        body["blocks"] = blocks
    return body


SubcommandHandler = Callable[["Caller", list[str], dict[str, Any], Any], Awaitable[None]]


@dataclass
class Subcommand:
    name: str
    usage_key: str  # i18n key of "NAME ARGS — what it does"
    handler: SubcommandHandler
    permission: Permission | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class SlashCommand:
    """Routes `/cmd sub args…` to handlers; `help` shows only what the caller may do."""

    name: str  # "/platops"
    default: str | None = None  # subcommand run when the text is empty
    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def sub(
        self,
        name: str,
        usage_key: str,
        permission: Permission | None = None,
        aliases: tuple[str, ...] = (),
    ) -> Callable[[SubcommandHandler], SubcommandHandler]:
        def decorate(handler: SubcommandHandler) -> SubcommandHandler:
            entry = Subcommand(name, usage_key, handler, permission, aliases)
            for key in (name, *aliases):
                self.subcommands[key] = entry
            return handler

        return decorate

    def usage_lines(self, caller: Caller) -> list[str]:
        seen: list[Subcommand] = []
        for entry in self.subcommands.values():
            if entry in seen:
                continue
            if entry.permission is None or caller.actor.can(entry.permission):
                seen.append(entry)
        return [self.usage_line(caller, entry) for entry in seen]

    def usage_line(self, caller: Caller, entry: Subcommand) -> str:
        # Catalogue values read "SYNTAX — what it does"; the syntax is shown as code.
        syntax, _, description = caller.t(entry.usage_key).partition(" — ")
        return f"• `{self.name} {syntax}`" + (f" — {description}" if description else "")

    def help_text(self, caller: Caller) -> str:
        lines = self.usage_lines(caller)
        return "\n".join([caller.t("common.help.title", command=self.name), *lines])

    async def dispatch(self, container: Container, body: dict[str, Any], ack: Any) -> None:
        caller = await caller_for(container, body["user_id"])
        try:
            words = shlex.split(body.get("text") or "")
        except ValueError:
            await ack(ephemeral(caller.t("common.unbalanced_quotes")))
            return
        name = words[0].lower() if words else (self.default or "help")
        if name == "help":
            await ack(ephemeral(self.help_text(caller)))
            return
        entry = self.subcommands.get(name)
        if entry is None:
            text = caller.t("common.unknown_subcommand", command=self.name, sub=name)
            await ack(ephemeral(text + "\n" + self.help_text(caller)))
            return
        args = words[1:] if words else []
        try:
            await entry.handler(caller, args, body, ack)
        except UsageError as error:
            detail = f"\n{caller.t(error.key, **error.params)}" if error.key else ""
            usage = self.usage_line(caller, entry)
            await ack(ephemeral(caller.t("common.usage", usage=usage) + detail))


class UsageError(Exception):
    """Bad arguments to a subcommand: answered with the subcommand's usage line."""

    def __init__(self, key: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def mention_to_user_id(word: str) -> str | None:
    """`<@U123|name>` or `<@U123>` (how Slack escapes mentions in command text) → `U123`."""
    if word.startswith("<@") and word.endswith(">"):
        return word[2:-1].split("|", 1)[0]
    if word[:1] in ("U", "W") and word.isalnum() and word.upper() == word:
        return word
    return None


def channel_to_id(word: str) -> str | None:
    """`<#C123|name>` or `C123` → `C123`."""
    if word.startswith("<#") and word.endswith(">"):
        return word[2:-1].split("|", 1)[0]
    if word[:1] in ("C", "G") and word.isalnum() and word.upper() == word:
        return word
    return None


def first_field_error(error: ValidationFailed, t: Translator) -> str:
    field_name, (code, params) = next(iter(error.fields.items()))
    return t(code, field=field_name, **params)
