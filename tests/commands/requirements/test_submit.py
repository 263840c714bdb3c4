"""`/req` submission: the modal, inline errors, the card and the approval DMs."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models.requirements import RequirementRow
from tests.commands.requirements.conftest import GOOD


async def count_requirements(h) -> int:
    async with h.container.reader() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(RequirementRow)))


async def test_bad_fields_come_back_inline_and_nothing_is_stored(req):
    h = req.h
    view = await req.open_form()
    response = await h.sim.submit(
        "UBOB",
        view.id,
        {**GOOD, "title": "   ", "description": "x" * 3001, "wanted_by": "2025-12-31"},
    )
    assert response.json["response_action"] == "errors"
    errors = h.fake.views[view.id].errors
    assert set(errors) == {"title", "description", "wanted_by"}
    assert "required" in errors["title"] and "3000" in errors["description"]
    assert "past" in errors["wanted_by"]
    assert h.fake.open_modal("UBOB") is not None  # the modal stays open
    assert await count_requirements(h) == 0
    await h.settle()
    assert h.fake.messages_in("CMARKETING") == []


async def test_a_department_the_user_is_not_in_is_refused_inline(req):
    h = req.h
    await h.command("UALICE", "/platops", 'dept add finance <#CGENERAL|general> "Finance"')
    # The form only offers Bob's departments; a forged payload naming another is still refused.
    view = await req.open_form()
    options = [
        o["value"]
        for b in view.blocks
        if b.get("block_id") == "department"
        for o in b["element"]["options"]
    ]
    assert options == ["marketing"]  # only his own departments are offered
    view.payload["blocks"] = [
        {
            **b,
            "element": {
                **b["element"],
                "options": b["element"]["options"]
                + [{"text": {"type": "plain_text", "text": "Finance"}, "value": "finance"}],
            },
        }
        if b.get("block_id") == "department"
        else b
        for b in view.payload["blocks"]
    ]
    await h.sim.submit("UBOB", view.id, {**GOOD, "department": "finance"})
    assert "not a member of Finance" in h.fake.views[view.id].errors["department"]
    assert await count_requirements(h) == 0


async def test_a_non_member_is_told_who_can_add_them(req):
    await req.h.command("UNINA", "/req")
    text = req.ephemeral("UNINA")
    assert "not a member of any department" in text and "<@UALICE>" in text
    assert req.h.fake.open_modal("UNINA") is None


async def test_submission_posts_the_card_and_dms_every_approver(req):
    h = req.h
    response = await req.submit()
    assert response.status == 200 and h.fake.open_modal("UBOB") is None
    card = req.card()
    assert "REQ-1 · Spring campaign landing page" in card.all_text
    assert "<@UBOB>" in card.all_text and "High" in card.all_text
    assert "0 of 1 approvals" in card.all_text
    for approver in ("UCAROL", "UDAVE"):
        dm = req.dm(approver)
        texts = [
            e["text"]["text"] for b in dm.blocks if b["type"] == "actions" for e in b["elements"]
        ]
        assert texts == ["Approve", "Reject", "Request changes"]
    assert h.fake.dms_to("UBOB") == [] or all(
        "Approve" not in m.all_text for m in h.fake.dms_to("UBOB")
    )
    (event,) = [e for e in await req.events() if e.type == "requirement.submitted"]
    assert event.data["to"] == "approval" and event.data["approvers"] == ["UCAROL", "UDAVE"]
    req.assert_valid_block_kit()


async def test_chinese_reader_gets_chinese_texts(req):
    await req.submit(user="UZHANG")
    dm = req.dm("UCAROL")
    assert "批准" not in dm.all_text  # Carol reads English
    await req.h.command("UZHANG", "/req", "show REQ-1")
    assert "待审批" in req.h.fake.ephemerals_for("UZHANG")[-1].all_text
