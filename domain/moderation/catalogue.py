"""The platform rules a case cites, their notice templates, and the escalation ladder — as data.

Built-in defaults keep notices consistent out of the box; the declarative config file may replace
them later. Titles and notice templates are i18n keys for the built-in rules (so they exist in
English and Chinese); a configured rule may give literal text instead, with the same placeholders:
{user}, {platform}, {rule}, {content}, {until}.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from domain.moderation.models import Proposal

NOTICE_PLACEHOLDERS = ("user", "platform", "rule", "content", "until")


class Severity(StrEnum):
    MINOR = "minor"  # a warning fits (Art. 13 warning notice)
    SERIOUS = "serious"  # a ban fits (Art. 13 penalties)


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # i18n key or literal text
    severity: Severity
    warn_notice: str  # i18n key or literal template
    ban_notice: str


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


DEFAULT_POLICY = ModerationPolicy()
