"""Alembic environment: runs on the connection handed over by storage.migrate (sync or async)."""

from __future__ import annotations

from alembic import context

from storage.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; use `platops db upgrade`")
run_migrations_online()
