"""The organisation's moderation policy: its rule catalogue, the warning lifetime, the ladder.

Stored once for the organisation; every door reads it through `policy_in_force` so Slack, the
API and the scheduler cite the same rules. Parts never configured keep the built-in defaults.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

from domain.access import Actor, Permission, Role
from domain.errors import FieldErrors
from domain.events import DomainEvent, JSONDict, Subject
from domain.moderation.catalogue import (
    DEFAULT_POLICY,
    FALLBACK_LANGUAGE,
    NOTICE_PLACEHOLDERS,
    ModerationPolicy,
    PolicySettings,
    Rule,
    Rung,
    Wording,
)
from domain.moderation.ports import ModerationUnitOfWork

CONFIGURE_MODERATION = Permission("moderation.configure", roles=(Role.ADMIN,), scope="admin")
RULE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
MAX_RULES = 100  # a Slack select menu offers at most 100 options
MAX_DAYS = 3650
MAX_WARNINGS = 100
SUBJECT = Subject("moderation_policy", 0, "organisation")


async def policy_in_force(uow: ModerationUnitOfWork) -> ModerationPolicy:
    return DEFAULT_POLICY.with_settings(await uow.moderation.policy_settings())


async def configure_moderation_policy(
    uow: ModerationUnitOfWork,
    actor: Actor,
    *,
    rules: Sequence[Rule] | None = None,
    ladder: Sequence[Rung] | None = None,
    warning_days: int | None = None,
) -> ModerationPolicy:
    """Replace the parts given (None leaves a part as it is); audited, never half applied."""
    actor.require(CONFIGURE_MODERATION)
    check_policy(rules, ladder, warning_days)
    stored = await uow.moderation.policy_settings()
    after = PolicySettings(
        rules=tuple(rules) if rules is not None else stored.rules,
        ladder=tuple(sorted(ladder, key=lambda r: r.warnings))
        if ladder is not None
        else stored.ladder,
        warning_days=warning_days if warning_days is not None else stored.warning_days,
    )
    await uow.moderation.save_policy_settings(after, uow.now())
    policy = DEFAULT_POLICY.with_settings(after)
    uow.record(
        actor, DomainEvent("moderation.policy_changed", SUBJECT, describe(policy), webhook=False)
    )
    return policy


def check_policy(
    rules: Sequence[Rule] | None, ladder: Sequence[Rung] | None, warning_days: int | None
) -> None:
    """ValidationFailed naming every bad part (the config file's plan checks before applying)."""
    errors = FieldErrors()
    if rules is not None:
        _check_rules(errors, rules)
    if ladder is not None:
        _check_ladder(errors, ladder)
    if warning_days is not None and not 1 <= warning_days <= MAX_DAYS:
        errors.add("warning_days", "mod.errors.days_range", max=MAX_DAYS)
    errors.raise_if_any()


def describe(policy: ModerationPolicy) -> JSONDict:
    """The policy as the audit log keeps it (and as a plan compares it)."""
    return {
        "rules": [r.code for r in policy.rules],
        "ladder": [ladder_step(r) for r in policy.ladder],
        "warning_days": policy.warning_ttl.days,
    }


def ladder_step(rung: Rung) -> str:
    ban = "permanent" if rung.ban_days is None else f"{rung.ban_days} d"
    return f"{rung.warnings} in {rung.within_days} d → {ban}"


def _check_rules(errors: FieldErrors, rules: Sequence[Rule]) -> None:
    if not rules:
        errors.add("rules", "mod.errors.rules_empty")
    elif len(rules) > MAX_RULES:
        errors.add("rules", "mod.errors.rules_many", limit=MAX_RULES)
    seen: set[str] = set()
    for rule in rules:
        field = f"rules.{rule.code}"
        if not RULE_CODE.match(rule.code):
            errors.add(field, "mod.errors.rule_code", rule=rule.code[:60])
        elif rule.code in seen:
            errors.add(field, "mod.errors.rule_twice", rule=rule.code)
        seen.add(rule.code)
        if not _text_ok(rule.title, limit=150):
            errors.add(f"{field}.title", "mod.errors.rule_title")
        for part, notice in (("notice", rule.warn_notice), ("ban_notice", rule.ban_notice)):
            if not _text_ok(notice, limit=3000):
                errors.add(f"{field}.{part}", "mod.errors.rule_notice")
            elif unknown := _unknown_placeholders(notice):
                errors.add(
                    f"{field}.{part}",
                    "mod.errors.placeholder",
                    name=unknown,
                    known=", ".join("{" + p + "}" for p in NOTICE_PLACEHOLDERS),
                )


def _texts(wording: Wording) -> list[str]:
    return [wording] if isinstance(wording, str) else list(wording.values())


def _text_ok(wording: Wording, *, limit: int) -> bool:
    if not isinstance(wording, str) and FALLBACK_LANGUAGE not in wording:
        return False  # English is every reader's fallback
    texts = _texts(wording)
    return bool(texts) and all(text.strip() and len(text) <= limit for text in texts)


def _unknown_placeholders(wording: Wording) -> str | None:
    for text in _texts(wording):
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError:
            return "{"  # an unbalanced brace
        for name in names:
            if name not in NOTICE_PLACEHOLDERS:
                return "{" + name + "}"
    return None


def _check_ladder(errors: FieldErrors, ladder: Sequence[Rung]) -> None:
    counts: set[int] = set()
    for rung in ladder:
        field = f"ladder.{rung.warnings}"
        if not 1 <= rung.warnings <= MAX_WARNINGS:
            errors.add(field, "mod.errors.ladder_warnings", max=MAX_WARNINGS)
        elif rung.warnings in counts:
            errors.add(field, "mod.errors.ladder_twice", count=rung.warnings)
        counts.add(rung.warnings)
        if not 1 <= rung.within_days <= MAX_DAYS or (
            rung.ban_days is not None and not 1 <= rung.ban_days <= MAX_DAYS
        ):
            errors.add(field, "mod.errors.days_range", max=MAX_DAYS)
