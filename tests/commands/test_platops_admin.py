"""`/platops` through signed HTTP requests against the fake Slack."""

from sqlalchemy import select

from storage.models.core import EventRow


def last_ephemeral(h, user_id):
    return h.fake.ephemerals_for(user_id)[-1].text


async def test_whoami_lists_roles(seeded):
    response = await seeded.command("UCAROL", "/platops", "whoami")
    assert response.status == 200
    assert "approver:marketing" in last_ephemeral(seeded, "UCAROL")


async def test_whoami_for_someone_without_roles_says_how_to_get_them(seeded):
    await seeded.command("UNINA", "/platops", "whoami")
    assert "no PlatOps roles" in last_ephemeral(seeded, "UNINA")


async def test_help_lists_only_what_the_caller_may_do(seeded):
    await seeded.command("UNINA", "/platops", "help")
    nina = last_ephemeral(seeded, "UNINA")
    await seeded.command("UALICE", "/platops", "")
    alice = last_ephemeral(seeded, "UALICE")
    assert "apikey" not in nina and "whoami" in nina
    assert "apikey create" in alice


async def test_admin_grants_a_role_and_it_is_audited(seeded):
    await seeded.command("UALICE", "/platops", "role grant <@UNINA|nina> engineer")
    assert "Granted `engineer` to <@UNINA>" in last_ephemeral(seeded, "UALICE")
    await seeded.command("UNINA", "/platops", "whoami")
    assert "`engineer`" in last_ephemeral(seeded, "UNINA")
    async with seeded.container.reader() as uow:
        event = (
            await uow.session.scalars(
                select(EventRow).where(EventRow.type == "role.granted").order_by(EventRow.id.desc())
            )
        ).first()
    assert event.actor_id == "UALICE" and event.data == {"user_id": "UNINA", "grant": "engineer"}
    # The grantee's App Home is refreshed with the new role.
    assert "engineer" in str(seeded.fake.home_views["UNINA"].view)


async def test_non_admin_cannot_grant_and_is_told_which_role_is_needed(seeded):
    await seeded.command("UBOB", "/platops", "role grant <@UNINA|nina> admin")
    text = last_ephemeral(seeded, "UBOB")
    assert "not allowed" in text and "admin" in text
    async with seeded.container.reader() as uow:
        assert await uow.people.grants_of("UNINA") == frozenset()


async def test_bad_arguments_get_the_usage_line(seeded):
    await seeded.command("UALICE", "/platops", "role grant nina")
    assert "Usage:" in last_ephemeral(seeded, "UALICE")
    await seeded.command("UALICE", "/platops", "role grant <@UNINA|nina> wizard")
    assert "“wizard” is not a role" in last_ephemeral(seeded, "UALICE")
    await seeded.command("UALICE", "/platops", "frobnicate")
    assert "not a command I know" in last_ephemeral(seeded, "UALICE")


async def test_scoped_grant_needs_an_existing_department(seeded):
    await seeded.command("UALICE", "/platops", "role grant <@UNINA> approver nowhere")
    assert "no department “nowhere”" in last_ephemeral(seeded, "UALICE")


async def test_departments_and_platforms(seeded):
    await seeded.command(
        "UALICE", "/platops", 'dept add finance <#CGENERAL|general> "Finance team"'
    )
    assert "Department `finance`" in last_ephemeral(seeded, "UALICE")
    await seeded.command("UALICE", "/platops", "dept list")
    listing = last_ephemeral(seeded, "UALICE")
    assert "`finance` Finance team" in listing and "`marketing`" in listing
    await seeded.command("UALICE", "/platops", "dept approvers marketing")
    assert "<@UCAROL>" in last_ephemeral(seeded, "UALICE")
    await seeded.command("UALICE", "/platops", "dept quorum marketing 2")
    assert "2 approval" in last_ephemeral(seeded, "UALICE")
    await seeded.command("UALICE", "/platops", "platform add app <#CWEBOPS> Mobile app")
    await seeded.command("UALICE", "/platops", "platform list")
    assert "`app` Mobile app" in last_ephemeral(seeded, "UALICE")
    await seeded.command("UALICE", "/platops", "dept add finance")
    assert "already exists" in last_ephemeral(seeded, "UALICE")


async def test_api_key_is_shown_once_and_can_be_revoked(seeded):
    await seeded.command("UALICE", "/platops", "apikey create monitoring incidents:write")
    created = last_ephemeral(seeded, "UALICE")
    assert "pok_" in created and "will not be shown again" in created
    token = created.split("`")[-2]
    prefix, secret = token.split(".")
    await seeded.command("UALICE", "/platops", "apikey list")
    listing = last_ephemeral(seeded, "UALICE")
    assert prefix in listing and secret not in listing
    await seeded.command("UALICE", "/platops", f"apikey revoke {prefix}")
    assert "revoked" in last_ephemeral(seeded, "UALICE")
    await seeded.command("UALICE", "/platops", "apikey create x bogus:scope")
    assert "Unknown or missing scopes (bogus:scope)" in last_ephemeral(seeded, "UALICE")


async def test_chinese_user_gets_chinese_answers(seeded):
    await seeded.command("UZHANG", "/platops", "whoami")
    assert "你的角色" in last_ephemeral(seeded, "UZHANG")


async def test_bad_and_stale_signatures_are_rejected_before_any_work(seeded):
    bad = await seeded.sim.command("UALICE", "/platops", "role grant <@UNINA> admin", sign="bad")
    stale = await seeded.sim.command(
        "UALICE", "/platops", "role grant <@UNINA> admin", sign="stale"
    )
    assert (bad.status, stale.status) == (401, 401)
    async with seeded.container.reader() as uow:
        assert await uow.people.grants_of("UNINA") == frozenset()
