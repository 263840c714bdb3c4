"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.migrate import current_revisions, head_revisions
from storage.models import Base


def differences(connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_every_model_change_has_a_migration(any_database):
    async with any_database.writer.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_migrations_form_one_line_and_are_applied(any_database):
    assert len(head_revisions()) == 1, "join new branches with a merge revision"
    assert await current_revisions(any_database.writer) == head_revisions()
