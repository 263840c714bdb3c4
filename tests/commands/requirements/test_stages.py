"""After approval: engineers move it to live; a passing test is required; lists and withdraw."""

from __future__ import annotations

from copy import deepcopy


async def approved(req):
    await req.submit()
    await req.click("UCAROL", "req.approve", req.dm("UCAROL"))


async def test_every_stage_to_live_with_a_recorded_test(req):
    h = req.h
    await approved(req)
    await h.command("UERIN", "/req", "move REQ-1 live")
    assert "cannot go from design to live" in req.ephemeral("UERIN")
    assert "development" in req.ephemeral("UERIN")
    await h.command("UBOB", "/req", "move REQ-1 development")
    assert "not allowed" in req.ephemeral("UBOB")  # members are not the technical team
    await h.command("UERIN", "/req", "assign REQ-1 <@UERIN|erin>")
    assert "Owner" in req.card().all_text
    await req.click("UERIN", "req.move.development", req.card())
    await h.command("UERIN", "/req", "move REQ-1 testing smoke tests next")
    assert "Testing" in req.card().all_text
    await h.command("UERIN", "/req", "move REQ-1 live")
    assert "passing test" in req.ephemeral("UERIN")
    # A failed test sends it back to development.
    await req.click("UERIN", "req.test", req.card())
    view = h.fake.open_modal("UERIN")
    await h.sim.submit("UERIN", view.id, {"result": "fail", "evidence": "Checkout 500s on iOS"})
    await h.settle()
    assert "Development" in req.card().all_text
    await h.command("UERIN", "/req", "move REQ-1 testing")
    await req.click("UERIN", "req.test", req.card())
    view = h.fake.open_modal("UERIN")
    await h.sim.submit("UERIN", view.id, {"result": "pass", "evidence": "https://ci/run/42"})
    await h.settle()
    card = req.card()
    stale = deepcopy(card)
    await req.click("UERIN", "req.move.live", card)
    assert "Live" in req.card().all_text
    assert any("is live" in m.all_text for m in h.fake.dms_to("UBOB"))
    await req.click("UERIN", "req.move.live", stale)  # a second click on the old card
    assert "out of date" in req.ephemeral("UERIN")
    moves = [
        (e.data["from"], e.data["to"])
        for e in await req.events()
        if e.type == "requirement.stage_changed"
    ]
    assert moves == [
        ("design", "development"),
        ("development", "testing"),
        ("testing", "development"),
        ("development", "testing"),
        ("testing", "live"),
    ]
    tests = [e.data["passed"] for e in await req.events() if e.type == "requirement.test_recorded"]
    assert tests == [False, True]
    req.assert_valid_block_kit()


async def test_withdraw_list_show_and_home(req):
    h = req.h
    await req.submit()
    await req.submit(title="Newsletter sign-up")
    await h.command("UCAROL", "/req", "list pending")
    listing = h.fake.ephemerals_for("UCAROL")[-1].all_text
    assert "REQ-1" in listing and "REQ-2" in listing
    await h.command("UDAVE", "/req", "withdraw REQ-1")
    assert "Only the submitter" in req.ephemeral("UDAVE")
    await h.command("UBOB", "/req", "withdraw REQ-1")
    assert "Withdrawn" in req.card().all_text
    await h.command("UCAROL", "/req", "list pending stage:approval")
    listing = h.fake.ephemerals_for("UCAROL")[-1].all_text
    assert "REQ-2" in listing and "REQ-1" not in listing
    await h.command("UCAROL", "/req", "list mine dept:nowhere")
    assert "no department" in req.ephemeral("UCAROL")
    await h.command("UCAROL", "/req", "show REQ-9")
    assert "no requirement REQ-9" in req.ephemeral("UCAROL")
    await h.sim.open_home("UCAROL")
    await h.settle()
    home = str(h.fake.home_views["UCAROL"].view)
    assert "Waiting for my approval (1)" in home and "REQ-2" in home
    await h.sim.open_home("UBOB")
    await h.settle()
    assert "My requests" in str(h.fake.home_views["UBOB"].view)
    req.assert_valid_block_kit()


async def test_list_pages(req):
    h = req.h
    for n in range(12):
        await req.submit(title=f"Item {n}")
    await h.command("UBOB", "/req", "list mine")
    first = h.fake.ephemerals_for("UBOB")[-1]
    assert "REQ-12" in first.all_text and "REQ-2 " not in first.all_text
    await h.sim.click("UBOB", "req.list.page", message=first)
    await h.settle()
    page_two = str(h.fake.response_url_posts[-1].body)
    assert "REQ-2" in page_two and "REQ-12" not in page_two
