"""The `moderation` section of the configuration file: the organisation's rule catalogue, how long
warnings stay active, and the escalation ladder (SPEC §5.4), kept as code.

A mapping, not a list (there is one policy). Only the parts written in the file are managed: a
file with just `ladder` leaves the catalogue as it is. `rules`, when given, is the whole
catalogue; a built-in rule listed by its code alone keeps its translated title and notices.
Texts are one string (every language) or one per language with an English one; notices may use
the placeholders {user}, {platform}, {rule}, {content} and {until} (a phrase: "until <time>" or
"permanently"; see domain/moderation/catalogue.py):

    moderation:
      warning_days: 60
      rules:
        - code: spam
        - code: counterfeit
          title: {en: Counterfeit goods, zh-CN: 假冒商品}
          severity: serious
          notice:
            en: "Hello {user}, your listing {content} offers counterfeit goods ({rule})."
            zh-CN: "{user} 您好，您的商品 {content} 涉嫌假冒（{rule}）。"
      ladder:
        - {warnings: 2, within_days: 30, ban_days: 14}
        - {warnings: 4, within_days: 180, ban_days: permanent}
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from bot.config_file import Action, Change, ConfigError, PlanContext
from bot.config_sections import Item
from bot.i18n import LANGUAGES, Translator
from domain.access import Actor
from domain.errors import ValidationFailed
from domain.moderation.catalogue import ModerationPolicy, Rule, Rung, Severity, builtin_rule
from domain.moderation.settings import (
    MAX_DAYS,
    MAX_RULES,
    MAX_WARNINGS,
    RULE_CODE,
    check_policy,
    configure_moderation_policy,
    ladder_step,
    policy_in_force,
)

Days = Annotated[int, Field(ge=1, le=MAX_DAYS)]
Text = str | dict[str, str]


def _check_text(value: Text | None) -> Text | None:
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"unknown language {unknown[0]!r} (use {', '.join(LANGUAGES)})")
        if "en" not in value:
            raise ValueError("give an English text too (en): it is every reader's fallback")
    return value


class RuleItem(Item):
    code: str = Field(pattern=RULE_CODE.pattern)
    title: Text | None = None
    severity: Severity | None = Field(default=None, description="the default action: minor → warn")
    notice: Text | None = Field(default=None, description="the warning notice template")
    ban_notice: Text | None = Field(default=None, description="defaults to `notice`")

    _texts = field_validator("title", "notice", "ban_notice")(_check_text)

    @model_validator(mode="after")
    def _complete(self) -> RuleItem:
        if builtin_rule(self.code) is None and (self.title is None or self.notice is None):
            raise ValueError(f"{self.code!r} is not a built-in rule: give its title and notice")
        return self

    def rule(self) -> Rule:
        builtin = builtin_rule(self.code)
        notice = self.notice or (builtin.warn_notice if builtin else "")
        ban_notice = self.ban_notice or self.notice or (builtin.ban_notice if builtin else "")
        return Rule(
            self.code,
            self.title or (builtin.title if builtin else self.code),
            self.severity or (builtin.severity if builtin else Severity.MINOR),
            notice,
            ban_notice,
        )


class RungItem(Item):
    warnings: int = Field(ge=1, le=MAX_WARNINGS)
    within_days: Days
    ban_days: Days | Literal["permanent"]

    def rung(self) -> Rung:
        return Rung(
            self.warnings, self.within_days, None if self.ban_days == "permanent" else self.ban_days
        )


class ModerationItem(Item):
    warning_days: Days | None = None
    rules: list[RuleItem] | None = Field(default=None, min_length=1, max_length=MAX_RULES)
    ladder: list[RungItem] | None = None

    @field_validator("rules")
    @classmethod
    def _unique_codes(cls, value: list[RuleItem] | None) -> list[RuleItem] | None:
        codes = [rule.code for rule in value or []]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise ValueError(f"the rule {twice[0]!r} is listed twice")
        return value

    @field_validator("ladder")
    @classmethod
    def _unique_steps(cls, value: list[RungItem] | None) -> list[RungItem] | None:
        counts = [step.warnings for step in value or []]
        if len(set(counts)) != len(counts):
            raise ValueError("two ladder steps start at the same number of warnings")
        return value


def _wanted(item: ModerationItem) -> dict[str, Any]:
    """The parts written in the file, as a plan compares them."""
    wanted: dict[str, Any] = {}
    if item.rules is not None:
        wanted["rules"] = tuple(rule.rule() for rule in item.rules)
    if item.ladder is not None:
        wanted["ladder"] = tuple(sorted((s.rung() for s in item.ladder), key=lambda r: r.warnings))
    if item.warning_days is not None:
        wanted["warning_days"] = item.warning_days
    return wanted


def _current(policy: ModerationPolicy) -> dict[str, Any]:
    return {
        "rules": policy.rules,
        "ladder": tuple(sorted(policy.ladder, key=lambda r: r.warnings)),
        "warning_days": policy.warning_ttl.days,
    }


def _rule_details(before: tuple[Rule, ...], after: tuple[Rule, ...]) -> list[str]:
    old = {rule.code: rule for rule in before}
    new = {rule.code: rule for rule in after}
    details = [f"rule {code}: added" for code in new if code not in old]
    details += [f"rule {code}: removed" for code in old if code not in new]
    for code, rule in new.items():
        if code in old and old[code] != rule:
            changed = [
                name
                for name in ("title", "severity", "warn_notice", "ban_notice")
                if getattr(old[code], name) != getattr(rule, name)
            ]
            details.append(f"rule {code}: {', '.join(changed)} changed")
    if not details and [r.code for r in before] != [r.code for r in after]:
        details.append("rules: new order")
    return details


def _details(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    details: list[str] = []
    if "rules" in after:
        details += _rule_details(before["rules"], after["rules"])
    if "ladder" in after and before["ladder"] != after["ladder"]:
        old, new = (", ".join(ladder_step(r) for r in side["ladder"]) for side in (before, after))
        details.append(f"ladder: {old or '—'} → {new or '—'}")
    if "warning_days" in after and before["warning_days"] != after["warning_days"]:
        details.append(f"warning_days: {before['warning_days']} → {after['warning_days']}")
    return tuple(details)


class ModerationSection:
    name, noun, item_model = "moderation", "moderation policy", ModerationItem
    single = True  # one mapping in the file, not a list (see bot/config_file.py)

    async def plan(
        self, uow: Any, items: list[ModerationItem], context: PlanContext
    ) -> list[Change]:
        changes = []
        for item in items:
            wanted = _wanted(item)
            try:
                check_policy(wanted.get("rules"), wanted.get("ladder"), wanted.get("warning_days"))
            except ValidationFailed as error:
                name, (code, params) = next(iter(error.fields.items()))
                raise ConfigError(
                    f"{self.name}.{name}: {Translator('en')(code, **params)}"
                ) from None
            details = _details(_current(await policy_in_force(uow)), wanted)
            action: Action = "update" if details else "unchanged"
            changes.append(Change(self.noun, "organisation", action, details, item))
        return changes

    async def apply(self, uow: Any, actor: Actor, change: Change) -> None:
        wanted = _wanted(change.item)
        await configure_moderation_policy(
            uow,
            actor,
            rules=wanted.get("rules"),
            ladder=wanted.get("ladder"),
            warning_days=wanted.get("warning_days"),
        )
