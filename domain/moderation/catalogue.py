"""The platform rules a case cites, their notice templates, and the escalation ladder — as data.

Built-in defaults keep notices consistent out of the box; the organisation may replace them
(the `moderation` section of the config file, stored by `settings.configure_moderation_policy`).
Titles and notice templates are i18n keys for the built-in rules (so they exist in English and
Chinese); a configured rule gives its text per language instead, with the same placeholders:
{user}, {platform}, {rule}, {content} (the content ids; dropped with its space when there are
none) and {until} (how long a ban lasts, a whole phrase: "until 2026-05-01 10:00 UTC" or
"permanently", so a template says "suspended {until}").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum

from domain.moderation.models import Proposal

NOTICE_PLACEHOLDERS = ("user", "platform", "rule", "content", "until")
FALLBACK_LANGUAGE = "en"

# An i18n key or literal text (str), or a configured text per language ({"en": …, "zh-CN": …}).
Wording = str | Mapping[str, str]


def in_language(wording: Wording, language: str) -> str:
    """The text for a reader of `language`: theirs, else English, else any there is."""
    if isinstance(wording, str):
        return wording
    return (
        wording.get(language) or wording.get(FALLBACK_LANGUAGE) or next(iter(wording.values()), "")
    )


class Severity(StrEnum):
    MINOR = "minor"  # a warning fits (Art. 13 warning notice)
    SERIOUS = "serious"  # a ban fits (Art. 13 penalties)


@dataclass(frozen=True)
class Rule:
    code: str
    title: Wording
    severity: Severity
    warn_notice: Wording
    ban_notice: Wording


def _builtin(code: str, severity: Severity) -> Rule:
    return Rule(
        code,
        f"mod.rule.{code}",
        severity,
        f"mod.notice.warn.{code}",
        f"mod.notice.ban.{code}",
    )


DEFAULT_RULES: tuple[Rule, ...] = (
    _builtin("false_advertising", Severity.MINOR),
    _builtin("spam", Severity.MINOR),
    _builtin("fraud", Severity.SERIOUS),
    _builtin("harassment", Severity.SERIOUS),
    _builtin("illegal_content", Severity.SERIOUS),
    _builtin("other", Severity.MINOR),
)


def builtin_rule(code: str) -> Rule | None:
    """A built-in rule by code: a configured catalogue may list it by code to keep its texts."""
    return next((r for r in DEFAULT_RULES if r.code == code), None)


@dataclass(frozen=True)
class Rung:
    """N active warnings within `within_days` → propose a `ban_days` ban (None: permanent)."""

    warnings: int
    within_days: int
    ban_days: int | None


DEFAULT_LADDER: tuple[Rung, ...] = (Rung(3, 90, 7), Rung(5, 180, 30))


@dataclass(frozen=True)
class ModerationPolicy:
    rules: tuple[Rule, ...] = DEFAULT_RULES
    ladder: tuple[Rung, ...] = DEFAULT_LADDER
    warning_ttl: timedelta = timedelta(days=90)
    confirmation_window: timedelta = timedelta(hours=24)
    confirmation_reminder: timedelta = timedelta(hours=4)
    queue_item_due: timedelta = timedelta(hours=24)
    extra: dict[str, str] = field(default_factory=dict)

    def rule(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)

    def proposal_for(self, warning_times_ago: Sequence[timedelta]) -> Proposal | None:
        """The highest rung the user's active warnings reach (ages of the warnings, newest any)."""
        best: Proposal | None = None
        for rung in sorted(self.ladder, key=lambda r: r.warnings):
            window = timedelta(days=rung.within_days)
            count = sum(1 for age in warning_times_ago if age <= window)
            if count >= rung.warnings:
                best = Proposal(rung.ban_days, count, rung.within_days)
        return best

    def with_settings(self, settings: PolicySettings) -> ModerationPolicy:
        """This policy with what the organisation configured in place of the defaults."""
        return replace(
            self,
            rules=self.rules if settings.rules is None else settings.rules,
            ladder=self.ladder if settings.ladder is None else settings.ladder,
            warning_ttl=self.warning_ttl
            if settings.warning_days is None
            else timedelta(days=settings.warning_days),
        )


@dataclass(frozen=True)
class PolicySettings:
    """What the organisation configured; None keeps the built-in default of that part."""

    rules: tuple[Rule, ...] | None = None
    ladder: tuple[Rung, ...] | None = None
    warning_days: int | None = None


DEFAULT_POLICY = ModerationPolicy()
