"""Who must learn about a requirement's change, as notices with stable message refs.

The department card keeps one ref for its whole life; each approval DM has one ref per round,
seat and recipient, so every vote updates every DM of the round in place.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.events import ChannelRecipient, JSONDict, Notice, UserRecipient, home_refresh
from domain.org.models import Department
from domain.ports import UnitOfWork
from domain.requirements.models import Requirement

CARD = "requirement.card"
APPROVAL_REQUEST = "requirement.approval_request"
OUTCOME = "requirement.outcome"
REMINDER = "requirement.reminder"
ESCALATION = "requirement.escalation"
ASSIGNED = "requirement.assigned"


def card_ref(requirement_id: int) -> str:
    return f"req:{requirement_id}:card"


def dm_ref(requirement_id: int, round_: int, seat: str, recipient: str) -> str:
    return f"req:{requirement_id}:r{round_}:dm:{seat}:{recipient}"


def approval_request(
    requirement: Requirement, seat: str, recipient: str, *, update: bool
) -> Notice:
    assert requirement.id is not None
    return Notice(
        APPROVAL_REQUEST,
        UserRecipient(recipient),
        requirement.subject,
        ref=dm_ref(requirement.id, requirement.round, seat, recipient),
        params={"seat": seat, "round": requirement.round},
        update_only=update,
    )


def announce(
    uow: UnitOfWork,
    requirement: Requirement,
    department: Department,
    *,
    new_round: bool = False,
    also_home: Iterable[str] = (),
) -> None:
    """Refresh the card, this round's DMs (posting them when the round is new) and App Homes."""
    assert requirement.id is not None
    if department.channel_id:
        uow.notify(
            Notice(
                CARD,
                ChannelRecipient(department.channel_id),
                requirement.subject,
                ref=card_ref(requirement.id),
            )
        )
    for seat, recipient in requirement.recipients:
        uow.notify(approval_request(requirement, seat, recipient, update=not new_round))
    people = {requirement.submitter_id, *(r for _, r in requirement.recipients), *also_home}
    if requirement.owner_id:
        people.add(requirement.owner_id)
    for user_id in sorted(people):
        uow.notify(home_refresh(user_id))


def tell(
    uow: UnitOfWork, requirement: Requirement, user_id: str, outcome: str, **params: str
) -> None:
    """A new message (so it notifies) to one person about an outcome, e.g. approved."""
    data: JSONDict = {"outcome": outcome, **params}
    uow.notify(Notice(OUTCOME, UserRecipient(user_id), requirement.subject, params=data))
