"""Finding platform users and cases from what people type or what the API receives."""

from __future__ import annotations

from domain.errors import NotFound, ValidationFailed
from domain.moderation.models import (
    ModerationCase,
    PlatformUser,
    QueueItem,
    UserRef,
    parse_case_key,
    parse_item_key,
)
from domain.moderation.ports import ModerationUnitOfWork
from domain.org.models import Platform


async def platform_of(uow: ModerationUnitOfWork, ref: UserRef, field: str = "ref") -> Platform:
    """The platform a reference names; it may be left out only while there is one platform."""
    if ref.platform is None:
        platforms = await uow.org.list_platforms()
        if len(platforms) != 1:
            raise ValidationFailed.single(
                field,
                "mod.errors.ref_platform_needed",
                ref=str(ref),
                platforms=", ".join(p.key for p in platforms) or "—",
            )
        return platforms[0]
    platform = await uow.org.find_platform(ref.platform)
    if platform is None:
        known = await uow.org.list_platforms()
        raise ValidationFailed.single(
            field,
            "mod.errors.platform_unknown",
            platform=ref.platform,
            platforms=", ".join(p.key for p in known) or "—",
        )
    return platform


async def find_user(
    uow: ModerationUnitOfWork, ref: UserRef
) -> tuple[Platform, PlatformUser | None]:
    platform = await platform_of(uow, ref)
    assert platform.id is not None
    return platform, await uow.moderation.find_user(platform.id, ref.external_id)


async def existing_user(uow: ModerationUnitOfWork, ref: UserRef) -> tuple[Platform, PlatformUser]:
    platform, user = await find_user(uow, ref)
    if user is None:
        raise NotFound("mod.errors.user_unknown", ref=f"{platform.key}:{ref.external_id}")
    return platform, user


async def ensure_user(
    uow: ModerationUnitOfWork, ref: UserRef, handle: str | None = None
) -> tuple[Platform, PlatformUser]:
    """The user, recorded on first mention with nothing but platform, external id and handle."""
    platform, user = await find_user(uow, ref)
    assert platform.id is not None
    clean_handle = (handle or "").strip()[:120] or None
    if user is None:
        user = await uow.moderation.add_user(
            PlatformUser(None, platform.id, ref.external_id, clean_handle, uow.now())
        )
    elif clean_handle and clean_handle != user.handle:
        user.handle = clean_handle
        await uow.moderation.save_user(user)
    return platform, user


async def case_by_key(uow: ModerationUnitOfWork, key: str) -> ModerationCase:
    number = parse_case_key(key)
    case = await uow.moderation.find_case(number)
    if case is None:
        raise NotFound("mod.errors.case_unknown", key=f"CASE-{number}")
    return case


async def case_by_id(uow: ModerationUnitOfWork, case_id: int) -> ModerationCase:
    case = await uow.moderation.get_case(case_id)
    if case is None:
        raise NotFound("mod.errors.case_unknown", key=f"#{case_id}")
    return case


async def item_by_key(uow: ModerationUnitOfWork, key: str) -> QueueItem:
    kind, number = parse_item_key(key)
    item = await uow.moderation.find_item(kind, number)
    if item is None:
        raise NotFound("mod.errors.item_unknown", key=key.strip().upper())
    return item
