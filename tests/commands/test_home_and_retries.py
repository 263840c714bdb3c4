"""App Home publishing, Slack's retries, and request verification details."""

from sqlalchemy import func, select

from bot.sandbox import validate_view
from storage.models.core import OutboxRow


async def test_opening_the_home_tab_publishes_the_persons_roles(seeded):
    response = await seeded.sim.open_home("UCAROL")
    await seeded.settle()
    assert response.status == 200
    view = seeded.fake.home_views["UCAROL"].view
    assert validate_view(view) == []
    assert "approver:marketing" in str(view)


async def test_home_tab_in_the_readers_language(seeded):
    await seeded.sim.open_home("UZHANG")
    await seeded.settle()
    assert "你的角色" in str(seeded.fake.home_views["UZHANG"].view)


async def test_slack_retries_of_an_event_change_nothing(seeded):
    await seeded.sim.open_home("UCAROL", event_id="Ev1")
    async with seeded.container.reader() as uow:
        before = await uow.session.scalar(select(func.count()).select_from(OutboxRow))
    retry = await seeded.sim.open_home("UCAROL", event_id="Ev1", retry_num=1)
    async with seeded.container.reader() as uow:
        after = await uow.session.scalar(select(func.count()).select_from(OutboxRow))
    assert retry.status == 200
    assert after == before


async def test_unsigned_event_is_refused(seeded):
    published = len(seeded.fake.calls_to("views.publish"))
    response = await seeded.sim.open_home("UCAROL", sign="bad")
    await seeded.settle()
    assert response.status == 401
    assert len(seeded.fake.calls_to("views.publish")) == published
