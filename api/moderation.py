"""`/api/v1/platform-users` and `/api/v1/moderation` (scopes `moderation:read|write`).

The platform asks a user's status on its hot path and exercises its users' privacy rights
(export, erasure); moderators' cases can be made and confirmed here for a Slack moderator. Reports,
appeals and queue decisions are in api/moderation_queue.py. Enforcement reaches the platform as
signed `moderation.*` webhooks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, delete, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel, Field

from api.auth import acting_user, require_scope
from api.dependencies import AppContainer, PageParams, Principal
from api.pagination import Page
from api.schemas import problems
from domain.moderation import closing, lookup, privacy, queries, services
from domain.moderation.models import CaseKind, CaseStatus, UserRef, parse_user_ref
from domain.moderation.ports import CaseFilter
from domain.org.services import get_platform

PlatformKey = Annotated[str, PathParameter(max_length=40, description="Platform key, e.g. `web`")]
CaseKey = Annotated[str, PathParameter(max_length=40, description="`CASE-n`")]
ExternalId = Annotated[str, PathParameter(max_length=128, description="The platform's user id")]


class UserStatusOut(BaseModel):
    platform: str
    external_id: str
    known: bool = Field(description="False: PlatOps holds nothing about this user.")
    banned: bool
    until: datetime | None = Field(description="End of the ban; null with banned=true: permanent.")
    ban_case: str | None
    active_warnings: int
    open_appeal: str | None


class CaseOut(BaseModel):
    key: str
    kind: str
    status: str
    platform: str | None = None
    rule_code: str
    severity: str
    permanent: bool
    ends_at: datetime | None
    confirmation: str
    created_by: str
    created_at: datetime
    confirmed_by: str | None
    closed_at: datetime | None
    notice_text: str
    content_ids: list[str]
    delete_content: bool
    pursue_responsibility: bool


class CaseIn(BaseModel):
    user: str = Field(max_length=200, description="PLATFORM:EXTERNAL_ID")
    rule: str = Field(max_length=60)
    notice_text: str = Field(max_length=3000, description="What the user is told (Art. 13)")
    evidence: str = Field(default="", max_length=3000)
    content_ids: list[str] = Field(default_factory=list, max_length=50)
    internal_note: str = Field(default="", max_length=3000)
    handle: str | None = Field(default=None, max_length=120)
    user_id: str | None = Field(default=None, description="The Slack moderator acting")
    email: str | None = Field(
        default=None, max_length=320, description="…or their Slack email (not both)"
    )


class ErasedOut(BaseModel):
    erased: bool = True
    platform: str
    reference: str = Field(description="The anonymised reference the case records now carry")


class ActingIn(BaseModel):
    user_id: str | None = Field(
        default=None, max_length=40, description="The Slack moderator acting"
    )
    email: str | None = Field(
        default=None, max_length=320, description="…or their Slack email (not both)"
    )
    reason: str = Field(default="", max_length=3000, description="revoke: why (required)")


class BanIn(CaseIn):
    permanent: bool = False
    until: datetime | None = None
    reason: str = Field(max_length=3000)
    pursue_responsibility: bool = False


def case_out(case: Any, platform_key: str | None = None) -> CaseOut:
    return CaseOut(
        key=case.key,
        kind=case.kind.value,
        status=case.status.value,
        platform=platform_key,
        rule_code=case.rule_code,
        severity=case.severity,
        permanent=case.permanent,
        ends_at=case.ends_at,
        confirmation=case.confirmation.value,
        created_by=case.created_by,
        created_at=case.created_at,
        confirmed_by=case.confirmed_by,
        closed_at=case.closed_at,
        notice_text=case.notice_text,
        content_ids=list(case.content_ids),
        delete_content=case.delete_content,
        pursue_responsibility=case.pursue_responsibility,
    )


def _ref(text: str, field: str = "user") -> UserRef:
    return parse_user_ref(text, field)


class PlatformUsersController(Controller):
    path = "/platform-users/{platform:str}/{external_id:str}"
    tags = ["moderation"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(
        "/",
        guards=[require_scope("moderation:read")],
        responses=problems(403, 404),
        summary="Is this user banned, until when, how many active warnings, an open appeal?",
    )
    async def status(
        self,
        container: AppContainer,
        principal: Principal,
        platform: PlatformKey,
        external_id: ExternalId,
    ) -> UserStatusOut:
        async with container.reader() as uow:
            found = await queries.user_status(uow, principal.actor, platform, external_id)
        return UserStatusOut(
            platform=found.platform,
            external_id=found.external_id,
            known=found.known,
            banned=found.banned,
            until=found.until,
            ban_case=found.ban_case,
            active_warnings=found.active_warnings,
            open_appeal=found.open_appeal,
        )

    @get(
        "/export",
        guards=[require_scope("moderation:read")],
        responses=problems(403, 404),
        summary="Everything PlatOps holds about this user (audited)",
    )
    async def export(
        self,
        container: AppContainer,
        principal: Principal,
        platform: PlatformKey,
        external_id: ExternalId,
    ) -> dict[str, Any]:
        async with container.uow() as uow:
            await get_platform(uow, platform)
            data = await queries.export_user(
                uow, principal.actor, UserRef(platform.lower(), external_id)
            )
            await uow.commit()
        return data

    @delete(
        "/",
        status_code=200,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404),
        summary="Erase the user's personal data; anonymised case records stay (audited)",
    )
    async def erase(
        self,
        container: AppContainer,
        principal: Principal,
        platform: PlatformKey,
        external_id: ExternalId,
    ) -> ErasedOut:
        async with container.uow() as uow:
            await get_platform(uow, platform)
            user = await privacy.erase_user(
                uow, principal.actor, UserRef(platform.lower(), external_id)
            )
            await uow.commit()
        return ErasedOut(platform=platform.lower(), reference=user.external_id)


class ModerationController(Controller):
    path = "/moderation"
    tags = ["moderation"]  # noqa: RUF012

    @get(
        "/cases",
        guards=[require_scope("moderation:read")],
        responses=problems(403, 404, 422),
        summary="Cases, newest first; filter by platform, user, kind, status",
    )
    async def list_cases(
        self,
        container: AppContainer,
        principal: Principal,
        page: PageParams,
        platform: Annotated[str | None, QueryParameter(max_length=40)] = None,
        user: Annotated[
            str | None, QueryParameter(max_length=200, description="PLATFORM:ID")
        ] = None,
        kind: Annotated[CaseKind | None, QueryParameter()] = None,
        status: Annotated[CaseStatus | None, QueryParameter()] = None,
    ) -> Page[CaseOut]:
        async with container.reader() as uow:
            platform_id = user_id = None
            if platform:
                platform_id = (await get_platform(uow, platform)).id
            if user:
                _, found = await lookup.find_user(uow, _ref(user))
                if found is None:
                    return Page[CaseOut](items=[], next_cursor=None)
                user_id = found.id
            query = CaseFilter(
                platform_id, user_id, kind, status, None, page.after_id(), page.limit + 1
            )
            cases = await queries.list_cases(uow, principal.actor, query)
            keys = {p.id: p.key for p in await uow.org.list_platforms()}
        return page.of(cases, lambda c: c.id or 0, lambda c: case_out(c, keys.get(c.platform_id)))

    @get(
        "/cases/{key:str}",
        guards=[require_scope("moderation:read")],
        responses=problems(403, 404, 422),
        summary="One case",
    )
    async def get_case(
        self, container: AppContainer, principal: Principal, key: CaseKey
    ) -> CaseOut:
        async with container.reader() as uow:
            case = await queries.get_case(uow, principal.actor, key)
        return case_out(case)

    @post(
        "/cases/{key:str}/confirm",
        status_code=200,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="Second moderator confirms a permanent ban / content deletion (four-eyes)",
    )
    async def confirm(
        self, container: AppContainer, principal: Principal, key: CaseKey, data: JSONBody[ActingIn]
    ) -> CaseOut:
        return await _act_on_case(container, principal, key, data, services.confirm_case)

    @post(
        "/cases/{key:str}/revoke",
        status_code=200,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="Withdraw a case (the platform is told)",
    )
    async def revoke(
        self, container: AppContainer, principal: Principal, key: CaseKey, data: JSONBody[ActingIn]
    ) -> CaseOut:
        async def revoke_case(uow: Any, actor: Any, case_id: int) -> Any:
            return await closing.revoke_case(uow, actor, case_id, data.reason)

        return await _act_on_case(container, principal, key, data, revoke_case)

    @post(
        "/warnings",
        status_code=HTTP_201_CREATED,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="Warn a platform user",
    )
    async def warn(
        self, container: AppContainer, principal: Principal, data: JSONBody[CaseIn]
    ) -> CaseOut:
        async with container.uow() as uow:
            actor = await acting_user(uow, principal, data.user_id, data.email)
            case = await services.warn_user(uow, actor, _ref(data.user), _draft(data))
            await uow.commit()
        return case_out(case)

    @post(
        "/bans",
        status_code=HTTP_201_CREATED,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="Ban a platform user (permanent bans and deletions wait for a second moderator)",
    )
    async def ban(
        self, container: AppContainer, principal: Principal, data: JSONBody[BanIn]
    ) -> CaseOut:
        async with container.uow() as uow:
            actor = await acting_user(uow, principal, data.user_id, data.email)
            case = await services.ban_user(
                uow,
                actor,
                _ref(data.user),
                _draft(data),
                permanent=data.permanent,
                until=data.until,
                reason=data.reason,
                pursue_responsibility=data.pursue_responsibility,
            )
            await uow.commit()
        return case_out(case)


async def _act_on_case(
    container: AppContainer,
    principal: Principal,
    key: str,
    data: ActingIn,
    act: Callable[[Any, Any, int], Awaitable[Any]],
) -> CaseOut:
    """A moderator (named in the body) acts on one case: the Slack card's buttons, by API."""
    async with container.uow() as uow:
        actor = await acting_user(uow, principal, data.user_id, data.email)
        case = await lookup.case_by_key(uow, key)
        assert case.id is not None
        case = await act(uow, actor, case.id)
        await uow.commit()
    return case_out(case)


def _draft(data: CaseIn) -> services.CaseDraft:
    return services.CaseDraft(
        rule_code=data.rule,
        notice_text=data.notice_text,
        evidence=data.evidence,
        content_ids=data.content_ids,
        internal_note=data.internal_note,
        handle=data.handle,
    )
