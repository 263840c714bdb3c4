"""After approval: the technical team designs, develops, tests and puts it live (Art. 6 steps 2–4).

Going live needs a recorded passing test; a failed test sends the requirement back to
development. Every move records who, when, from, to and why.
"""

from __future__ import annotations

from typing import cast

from domain.access import Actor, Permission, Role
from domain.errors import Conflict, ValidationFailed
from domain.events import DomainEvent, JSONDict, Notice, UserRecipient
from domain.ports import UnitOfWork
from domain.requirements import notices
from domain.requirements.models import (
    ENGINEERING_MOVES,
    EVIDENCE_MAX,
    Requirement,
    Stage,
    TestRecord,
)
from domain.requirements.ports import RequirementsUnitOfWork
from domain.requirements.services import department_of, load

BUILD = Permission("requirement.build", (Role.ENGINEER,), scope="requirements:write")
NOTE_MAX = 500


def parse_stage(text: str) -> Stage:
    try:
        return Stage(text.strip().lower())
    except ValueError:
        choices = ", ".join(s.value for s in Stage)
        raise ValidationFailed.single(
            "stage", "req.errors.stage", stage=text, stages=choices
        ) from None


async def move_requirement(
    uow: UnitOfWork,
    actor: Actor,
    key_or_id: str | int,
    target: Stage,
    note: str | None = None,
    *,
    expected: Stage | None = None,
) -> Requirement:
    """`expected` (from a card button) turns a click on a stale card into a no-op refusal."""
    requirement = await load(uow, key_or_id)
    actor.require(BUILD, platform_id=requirement.platform_id)
    if expected is not None and requirement.stage is not expected:
        raise Conflict("req.errors.stale", key=requirement.key, stage=requirement.stage.value)
    if len(note or "") > NOTE_MAX:
        raise ValidationFailed.single("note", "req.errors.too_long", max=NOTE_MAX)
    if target not in ENGINEERING_MOVES.get(requirement.stage, ()):
        requirement.move(target, uow.now())  # raises, naming the allowed next stages
    if target is Stage.LIVE and requirement.passing_test() is None:
        raise Conflict("req.errors.needs_passing_test", key=requirement.key)
    previous = requirement.move(target, uow.now())
    await cast(RequirementsUnitOfWork, uow).requirements.save(requirement)
    data: JSONDict = {
        "from": previous.value,
        "to": target.value,
        "note": (note or "").strip() or None,
    }
    if target is Stage.LIVE:
        test = requirement.passing_test() or requirement.tests[-1]
        data["test_id"] = test.id
    uow.record(actor, DomainEvent("requirement.stage_changed", requirement.subject, data))
    if target is Stage.LIVE:
        notices.tell(uow, requirement, requirement.submitter_id, Stage.LIVE.value)
    notices.announce(uow, requirement, await department_of(uow, requirement))
    return requirement


async def ensure_testable(uow: UnitOfWork, actor: Actor, key_or_id: str | int) -> Requirement:
    requirement = await load(uow, key_or_id)
    actor.require(BUILD, platform_id=requirement.platform_id)
    if requirement.stage is not Stage.TESTING:
        raise Conflict("req.errors.not_testing", key=requirement.key, stage=requirement.stage.value)
    return requirement


async def record_test(
    uow: UnitOfWork, actor: Actor, key_or_id: str | int, passed: bool, evidence: str
) -> Requirement:
    requirement = await ensure_testable(uow, actor, key_or_id)
    text = (evidence or "").strip()
    if not text:
        raise ValidationFailed.single("evidence", "req.errors.required")
    if len(text) > EVIDENCE_MAX:
        raise ValidationFailed.single("evidence", "req.errors.too_long", max=EVIDENCE_MAX)
    repo = cast(RequirementsUnitOfWork, uow).requirements
    test = await repo.add_test(
        TestRecord(requirement.id or 0, passed, text, actor.id_for_audit, uow.now())
    )
    requirement.tests.append(test)
    uow.record(
        actor,
        DomainEvent(
            "requirement.test_recorded",
            requirement.subject,
            {"test_id": test.id, "passed": passed, "evidence": text},
        ),
    )
    if not passed:
        previous = requirement.enter(Stage.DEVELOPMENT, uow.now())
        uow.record(
            actor,
            DomainEvent(
                "requirement.stage_changed",
                requirement.subject,
                {
                    "from": previous.value,
                    "to": Stage.DEVELOPMENT.value,
                    "note": "test_failed",
                    "test_id": test.id,
                },
            ),
        )
    requirement.updated_at = uow.now()
    await repo.save(requirement)
    notices.announce(uow, requirement, await department_of(uow, requirement))
    return requirement


async def assign_owner(
    uow: UnitOfWork, actor: Actor, key_or_id: str | int, owner_id: str
) -> Requirement:
    requirement = await load(uow, key_or_id)
    actor.require(BUILD, platform_id=requirement.platform_id)
    if requirement.is_closed:
        raise Conflict("req.errors.closed", key=requirement.key, stage=requirement.stage.value)
    owner = await uow.actor_for(owner_id)
    if not owner.has_role(Role.ENGINEER, platform_id=requirement.platform_id):
        raise ValidationFailed.single("owner", "req.errors.owner_not_engineer", user=owner_id)
    if requirement.owner_id == owner_id:
        raise Conflict("req.errors.already_owner", key=requirement.key, user=owner_id)
    previous = requirement.owner_id
    requirement.owner_id = owner_id
    requirement.updated_at = uow.now()
    await cast(RequirementsUnitOfWork, uow).requirements.save(requirement)
    uow.record(
        actor,
        DomainEvent(
            "requirement.assigned",
            requirement.subject,
            {"previous_owner": previous, "owner": owner_id, "stage": requirement.stage.value},
        ),
    )
    uow.notify(
        Notice(
            notices.ASSIGNED,
            UserRecipient(owner_id),
            requirement.subject,
            params={"by": actor.id_for_audit},
        )
    )
    notices.announce(
        uow, requirement, await department_of(uow, requirement), also_home=[previous or owner_id]
    )
    return requirement
