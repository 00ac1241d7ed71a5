"""Alembic environment: migrations run on the connection handed over in config.attributes."""

from __future__ import annotations

from alembic import context

from bot.db.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run with the connection that bot.db.migrate.upgrade opened."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `xinqiao migrate`")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
