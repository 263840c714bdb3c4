"""The declarative configuration file (SPEC §2, PLATOPS_CONFIG): load, validate, plan, apply.

The file describes calendars, departments, platforms and role grants. `plan` compares it with the
database and lists what would be created, updated or (only with `prune: true`) removed; `apply`
performs exactly that plan through the domain use cases, as the system actor `system:config`, in
one transaction: every change is audited, and a second apply finds nothing to do.

Each top-level section is a `ConfigSection` in `bot/config_sections.py:SECTIONS`; adding one
there (with its item model, plan and apply) is all it takes to extend the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from bot.bootstrap import Container
from domain.access import Actor
from domain.errors import DomainError

CONFIG_ACTOR = Actor.system("config")
Action = Literal["create", "update", "remove", "unchanged", "kept"]
CHANGING: frozenset[str] = frozenset({"create", "update", "remove"})


class ConfigError(Exception):
    """The file cannot be used; the message names the file and the YAML path of the problem."""


@dataclass(frozen=True)
class Change:
    section: str  # singular noun for people: "department"
    key: str
    action: Action
    details: tuple[str, ...] = ()
    item: Any = None  # the file's entry (a section model), or what to remove

    def describe(self) -> str:
        line = f"{self.section} {self.key}: {self.action}"
        if self.action == "kept":
            line += " (not in the file; never deleted)"
        return line + (f" ({'; '.join(self.details)})" if self.details else "")


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)

    @property
    def pending(self) -> list[Change]:
        return [change for change in self.changes if change.action in CHANGING]

    def count(self, action: Action) -> int:
        return sum(1 for change in self.changes if change.action == action)

    def summary(self) -> str:
        if not self.pending:
            return f"Nothing to change: {self.count('unchanged')} item(s) already as in the file."
        return (
            f"{self.count('create')} to create, {self.count('update')} to update, "
            f"{self.count('remove')} to remove, {self.count('unchanged')} unchanged."
        )

    def render(self, summary_prefix: str = "") -> str:
        lines = [change.describe() for change in self.changes if change.action != "unchanged"]
        return "\n".join([*lines, summary_prefix + self.summary()])


@dataclass
class PlanContext:
    """What a section may need beyond its own items: the whole file and the protected users."""

    document: Any  # the validated root model
    prune: bool
    protected_admins: frozenset[str] = frozenset()


class ConfigSection(Protocol):
    @property
    def name(self) -> str:
        """The YAML key, e.g. "departments"."""
        ...

    @property
    def noun(self) -> str:
        """How a plan names one item, e.g. "department"."""
        ...

    @property
    def item_model(self) -> type[BaseModel]: ...

    async def plan(self, uow: Any, items: list[Any], context: PlanContext) -> list[Change]: ...
    async def apply(self, uow: Any, actor: Actor, change: Change) -> None: ...


def _sections() -> list[ConfigSection]:
    from bot.config_sections import SECTIONS

    return SECTIONS


def document_model() -> type[BaseModel]:
    """The file's schema: `prune` plus one list (or one mapping) per section."""
    fields: dict[str, Any] = {
        section.name: (section.item_model | None, None)
        if _single(section)
        else (list[section.item_model], Field(default_factory=list))  # type: ignore[name-defined]
        for section in _sections()
    }
    return create_model(
        "PlatOpsConfig",
        __config__=ConfigDict(extra="forbid"),
        prune=(bool, False),
        **fields,
    )


def _single(section: ConfigSection) -> bool:
    """A section with `single = True` is one mapping in the file (e.g. `moderation:`), not a
    list; its plan gets a list of that one item, or an empty list when the file leaves it out."""
    return bool(getattr(section, "single", False))


def load_config(path: Path) -> BaseModel:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{path}: not valid YAML{where}: {getattr(error, 'problem', error)}"
        ) from None
    return parse_config(raw or {}, source=str(path))


def parse_config(raw: Any, source: str = "config") -> BaseModel:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the top level must be a mapping of sections")
    try:
        return document_model().model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        raise ConfigError(
            f"{source}: {yaml_path(first['loc'], raw)}: {first['msg']}"
            + (f" ({len(error.errors()) - 1} more problem(s))" if len(error.errors()) > 1 else "")
        ) from None


def yaml_path(loc: tuple[Any, ...], raw: Any) -> str:
    """`('departments', 0, 'approval_quorum')` → `departments[0] (marketing).approval_quorum`."""
    path, node = "", raw
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            label = _label(node)
            path += f" ({label})" if label else ""
        else:
            path += f".{part}" if path else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return path or "(top level)"


def _label(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    for key in ("key", "name", "user"):
        if isinstance(node.get(key), str):
            return str(node[key])
    return None


async def plan_config(
    container: Container, document: BaseModel, protected_admins: frozenset[str] = frozenset()
) -> Plan:
    async with container.reader() as uow:
        return await _plan(uow, document, protected_admins)


async def apply_config(
    container: Container, document: BaseModel, protected_admins: frozenset[str] = frozenset()
) -> Plan:
    """Plan and apply in one transaction (all or nothing); returns the plan that was applied."""
    sections = {section.noun: section for section in _sections()}
    async with container.uow() as uow:
        plan = await _plan(uow, document, protected_admins)
        if not plan.pending:
            return plan
        try:
            for change in plan.pending:
                await sections[change.section].apply(uow, CONFIG_ACTOR, change)
        except DomainError as error:
            raise ConfigError(f"{change.section} {change.key}: {error}") from None
        await uow.commit()
    return plan


async def _plan(uow: Any, document: BaseModel, protected_admins: frozenset[str]) -> Plan:
    context = PlanContext(document, bool(getattr(document, "prune", False)), protected_admins)
    plan = Plan()
    for section in _sections():
        items = getattr(document, section.name)
        if _single(section):
            items = [] if items is None else [items]
        plan.changes.extend(await section.plan(uow, items, context))
    return plan


async def apply_config_file(container: Container, path: Path) -> Plan:
    """`serve` start-up: apply PLATOPS_CONFIG (PLATOPS_ADMINS' admin grants are never pruned)."""
    protected = frozenset(container.settings.admin_ids)
    return await apply_config(container, load_config(path), protected)
