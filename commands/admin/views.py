"""Texts of `/platops` answers (pure functions: translator + data → mrkdwn)."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from commands.blocks import channel, slack_date, user
from domain.apikeys.models import ApiKey
from domain.org.models import Department, Platform


def whoami_text(t: Translator, user_id: str, roles: list[str]) -> str:
    if not roles:
        return t("admin.whoami.none", user=user(user_id))
    return t("admin.whoami.roles", user=user(user_id), roles=", ".join(f"`{r}`" for r in roles))


def grants_text(t: Translator, grants: list[tuple[str, str]]) -> str:
    if not grants:
        return t("admin.role.list_empty")
    lines = [f"• {user(user_id)} — `{grant}`" for user_id, grant in grants]
    return "\n".join([t("admin.role.list_title", count=len(grants)), *lines])


def departments_text(t: Translator, departments: list[Department]) -> str:
    if not departments:
        return t("admin.dept.list_empty")
    lines = [
        t(
            "admin.dept.line",
            key=d.key,
            name=d.name,
            channel=channel(d.channel_id),
            quorum=d.approval_quorum,
        )
        for d in departments
    ]
    return "\n".join([t("admin.dept.list_title"), *lines])


def holders_text(t: Translator, role: str, department: str, holders: list[str]) -> str:
    if not holders:
        return t(f"admin.dept.{role}_empty", department=department)
    return (
        t(f"admin.dept.{role}_title", department=department)
        + "\n"
        + "\n".join(f"• {user(u)}" for u in holders)
    )


def platforms_text(t: Translator, platforms: list[Platform]) -> str:
    if not platforms:
        return t("admin.platform.list_empty")
    lines = [
        t(
            "admin.platform.line",
            key=p.key,
            name=p.name,
            ops=channel(p.ops_channel_id),
            moderation=channel(p.moderation_channel_id),
        )
        for p in platforms
    ]
    return "\n".join([t("admin.platform.list_title"), *lines])


def api_keys_text(t: Translator, keys: list[ApiKey], now: datetime) -> str:
    if not keys:
        return t("admin.apikey.list_empty")
    lines = []
    for key in keys:
        state = (
            t("admin.apikey.state.revoked")
            if key.revoked_at
            else t("admin.apikey.state.expired")
            if not key.is_active(now)
            else t("admin.apikey.state.active")
        )
        used = slack_date(key.last_used_at) if key.last_used_at else t("admin.apikey.never_used")
        lines.append(
            t(
                "admin.apikey.line",
                prefix=key.prefix,
                name=key.name,
                state=state,
                scopes=", ".join(sorted(key.scopes)),
                used=used,
            )
        )
    return "\n".join([t("admin.apikey.list_title"), *lines])
