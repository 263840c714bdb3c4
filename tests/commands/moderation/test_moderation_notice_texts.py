"""What the platform's user is told, and what `/mod history` lists, read as a person would."""

from __future__ import annotations

from datetime import UTC, timedelta

from tests.commands.moderation.conftest import ModDriver


async def submit_prefilled(mod: ModDriver, user: str, kind: str, **values: object) -> str:
    """Submits the form keeping the rule's prefilled notice; returns the text the case keeps."""
    view = await mod.open(user, kind, "web:u-100")
    await mod.submit(user, view, {"reason": "Repeated fraud reports", **values})
    return told(mod)


def told(mod: ModDriver) -> str:
    """The notice as the case card quotes it under "Told to the user" (the platform shows it)."""
    blocks = mod.card("CASE-1").blocks
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b]
    found = [text for text in texts if text.startswith(("*Told to the user*", "*已告知用户*"))]
    assert len(found) == 1, texts
    return found[0]


async def test_a_permanent_ban_without_content_reads_as_a_sentence(mod):
    text = await submit_prefilled(mod, "UMONA", "ban", ban_type="permanent")
    assert "has been suspended permanently because your content broke our rule" in text
    assert "until permanently" not in text
    assert "—" not in text and "{" not in text


async def test_a_temporary_ban_names_its_end_and_the_content_ids(mod):
    until = mod.h.clock.now() + timedelta(days=3)
    text = await submit_prefilled(
        mod, "UMONA", "ban", until=int(until.timestamp()), content_ids="post-1 post-2"
    )
    when = until.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert f"suspended until {when} because your content post-1, post-2 broke" in text


async def test_a_warning_without_content_does_not_leave_a_dash_or_placeholder(mod):
    view = await mod.open("UMONA", "warn", "web:u-100")
    notice = next(b for b in view.blocks if b["block_id"] == "notice_text")
    assert "your content {content} on web" in notice["element"]["initial_value"]
    await mod.submit("UMONA", view, {"evidence": "screenshot"})
    text = told(mod)
    assert "your content on web" in text and "your content —" not in text
    assert "{content}" not in text


async def test_chinese_texts_for_a_permanent_ban(mod):
    await mod.h.command("UALICE", "/platops", "role grant <@UZHANG> moderator")
    text = await submit_prefilled(mod, "UZHANG", "ban", ban_type="permanent", content_ids="p-9")
    assert "由于您发布的内容 p-9 违反了平台规则" in text
    assert "的账号已被封禁，期限：永久。" in text
    assert "封禁至" not in text and "{" not in text


async def test_history_names_each_case_once(mod):
    await mod.ban(days=None)
    await mod.h.command("UMONA", "/mod", "history web:u-100")
    history = mod.ephemeral("UMONA")
    lines = [line for line in history.split("\n") if line.startswith("•")]
    assert len(lines) == 1 and lines[0].startswith("• *CASE-1 · Permanent ban* — Fraud, ")
    assert "CASE-1 CASE-1" not in history
