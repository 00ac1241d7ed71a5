"""senders keyed by keyed hash: nothing in a dump links a sender to a note without the server key

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:40:00

conversations: keyed by a keyed hash of (channel, address); crisis memory sealed into data; no time
but the idle expiry, rounded up to the minute. inbound_records: keyed hash of the message id, an
expiry instead of the time it came. webchat_messages: keyed hash of the address, replies to notes
carry their thread and no time. outbox: replies to a sender's own message sealed (address, text,
options). Existing rows are converted with the server key (bot.db.migrate.upgrade hands it over);
a database holding such rows cannot be migrated without it.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import context, op

from bot.db.base import UTCDateTime, minute_after
from bot.services.messaging.sealing import Sealer

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

IDLE = timedelta(minutes=30)  # the default idle expiry; a school's own setting applies from the next message
RETRY_WINDOW = timedelta(hours=24)
_meta = sa.MetaData()
old_conversations = sa.Table(
    'conversations', _meta, sa.Column('channel', sa.String(16)), sa.Column('external_id', sa.String(200)),
    sa.Column('state', sa.String(32)), sa.Column('data', sa.JSON()), sa.Column('crisis_level', sa.String(8)),
    sa.Column('crisis_at', UTCDateTime()), sa.Column('updated_at', UTCDateTime()), sa.Column('held', sa.Boolean()))
old_inbound = sa.Table(
    'inbound_records', _meta, sa.Column('channel', sa.String(16)), sa.Column('dedupe_key', sa.String(200)),
    sa.Column('replies', sa.JSON()), sa.Column('created_at', UTCDateTime()))
old_webchat = sa.Table(
    'webchat_messages', _meta, sa.Column('id', sa.Integer()), sa.Column('user_id', sa.String(200)),
    sa.Column('kind', sa.String(16)), sa.Column('text', sa.Text()), sa.Column('options', sa.JSON()),
    sa.Column('case_id', sa.Integer()), sa.Column('created_at', UTCDateTime()))
threads = sa.Table('threads', _meta, sa.Column('id', sa.Integer()), sa.Column('case_id', sa.Integer()),
                   sa.Column('closed_at', UTCDateTime()))
outbox = sa.Table('outbox', _meta, sa.Column('id', sa.Integer()), sa.Column('channel', sa.String(16)),
                  sa.Column('address', sa.String(200)), sa.Column('person_id', sa.Integer()),
                  sa.Column('thread_id', sa.Integer()), sa.Column('kind', sa.String(16)), sa.Column('text', sa.Text()),
                  sa.Column('options', sa.JSON()), sa.Column('state', sa.String(16)), sa.Column('sealed', sa.Text()))


def _sealer(conn: sa.Connection) -> Sealer | None:
    key = context.config.attributes.get("secret_key")
    if key:
        return Sealer(key)
    has_rows = any(conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()
                   for t in (old_conversations, old_inbound, old_webchat))
    if has_rows:
        raise RuntimeError("migration 0008 converts senders' rows with the server key: run it through "
                           "`xinqiao migrate` or `xinqiao serve` with the same XINQIAO_SECRET_KEY / data dir")
    return None


def _conversations(conn: sa.Connection, sealer: Sealer | None) -> list[dict]:
    rows: list[dict] = []
    if sealer is None:
        return rows
    for r in conn.execute(sa.select(old_conversations)).mappings():
        data = sealer.open_stored(r["data"] or {})
        readable = isinstance(data, dict)
        data = dict(data) if readable else {}
        if r["crisis_level"] and r["crisis_at"] is not None:
            data["_crisis"] = {"level": r["crisis_level"], "at": r["crisis_at"].isoformat()}
        state = r["state"] if readable else "menu"
        rows.append({"channel": r["channel"],
                     "sender_key": sealer.sender_key("conversation", r["channel"], r["external_id"]),
                     "state": state, "data": sealer.seal_stored(data), "held": bool(r["held"]),
                     "idle_until": minute_after(r["updated_at"] + IDLE) if state != "menu" and r["updated_at"]
                     else None})
    return rows


def _inbound(conn: sa.Connection, sealer: Sealer | None, now: datetime) -> list[dict]:
    if sealer is None:
        return []
    fresh = conn.execute(sa.select(old_inbound).where(old_inbound.c.created_at >= now - RETRY_WINDOW)).mappings()
    return [{"channel": r["channel"], "dedupe_key": sealer.keyed("inbound", r["channel"], r["dedupe_key"]),
             "replies": r["replies"], "expires_at": minute_after(r["created_at"] + RETRY_WINDOW)} for r in fresh]


def _webchat(conn: sa.Connection, sealer: Sealer | None) -> list[dict]:
    if sealer is None:
        return []
    thread_of_case = {case_id: (thread_id, closed) for thread_id, case_id, closed in conn.execute(
        sa.select(threads.c.id, threads.c.case_id, threads.c.closed_at))}
    rows = []
    for r in conn.execute(sa.select(old_webchat).order_by(old_webchat.c.id)).mappings():
        thread = thread_of_case.get(r["case_id"]) if r["kind"] == "reply" else None
        if thread is not None and thread[1] is not None:
            continue  # a reply of a closed thread: forgotten, as closing now forgets them
        rows.append({"id": r["id"], "kind": r["kind"], "text": r["text"], "options": r["options"],
                     "case_id": r["case_id"], "thread_id": thread[0] if thread else None,
                     "user_key": sealer.sender_key("thread-inbox" if thread else "inbox", "web", r["user_id"]),
                     "created_at": None if thread else r["created_at"]})
    return rows


def _create_new_tables() -> tuple[sa.Table, sa.Table, sa.Table]:
    conversations = op.create_table(
        'conversations',
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('sender_key', sa.String(length=64), nullable=False),
        sa.Column('state', sa.String(length=32), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('idle_until', UTCDateTime(), nullable=True),
        sa.Column('held', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint('channel', 'sender_key', name=op.f('pk_conversations')))
    inbound = op.create_table(
        'inbound_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('replies', sa.JSON(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_records')),
        sa.UniqueConstraint('channel', 'dedupe_key', name=op.f('uq_inbound_records_channel')))
    op.create_index('ix_inbound_records_expires_at', 'inbound_records', ['expires_at'])
    webchat = op.create_table(
        'webchat_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_key', sa.String(length=64), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webchat_messages')))
    op.create_index('ix_webchat_user', 'webchat_messages', ['user_key', 'id'])
    op.create_index('ix_webchat_messages_thread_id', 'webchat_messages', ['thread_id'])
    return conversations, inbound, webchat


def _seal_outbox_replies(conn: sa.Connection, sealer: Sealer | None) -> None:
    own = sa.and_(outbox.c.kind == 'reply', outbox.c.person_id.is_(None), outbox.c.thread_id.is_(None),
                  outbox.c.address.is_not(None))
    waiting = sa.and_(own, outbox.c.state.in_(('pending', 'sending', 'undeliverable')), outbox.c.text != '')
    if sealer is None:
        if conn.execute(sa.select(outbox.c.id).where(waiting).limit(1)).first():
            raise RuntimeError("migration 0008 seals queued replies with the server key: run it through "
                               "`xinqiao migrate`")
    else:
        for r in conn.execute(sa.select(outbox).where(waiting)).mappings():
            conn.execute(outbox.update().where(outbox.c.id == r["id"]).values(sealed=sealer.seal_json(
                {"channel": r["channel"], "address": r["address"], "text": r["text"], "options": r["options"]})))
    conn.execute(outbox.update().where(own).values(address=None, text='', options=[]))


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC)
    sealer = _sealer(conn)
    conversations, inbound, webchat = _conversations(conn, sealer), _inbound(conn, sealer, now), _webchat(conn, sealer)
    with op.batch_alter_table('webchat_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_webchat_user')
    for name in ('conversations', 'inbound_records', 'webchat_messages'):
        op.drop_table(name)
    new_conversations, new_inbound, new_webchat = _create_new_tables()
    for table, rows in ((new_conversations, conversations), (new_inbound, inbound), (new_webchat, webchat)):
        if rows:
            op.bulk_insert(table, rows)
    if conn.dialect.name == "postgresql" and webchat:  # ids were copied: the sequence continues after them
        op.execute("SELECT setval(pg_get_serial_sequence('webchat_messages', 'id'), "
                   "(SELECT max(id) FROM webchat_messages))")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed', sa.Text(), nullable=True))
    _seal_outbox_replies(conn, sealer)
    op.execute(sa.text("DELETE FROM sealed_addresses WHERE expires_at < :now").bindparams(
        sa.bindparam("now", now, type_=UTCDateTime())))


def downgrade() -> None:
    # Hashes cannot be turned back into addresses: the three tables come back empty.
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('sealed')
    for name in ('conversations', 'inbound_records', 'webchat_messages'):
        op.drop_table(name)
    op.create_table(
        'conversations',
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('external_id', sa.String(length=200), nullable=False),
        sa.Column('state', sa.String(length=32), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('crisis_level', sa.String(length=8), nullable=True),
        sa.Column('crisis_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('held', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint('channel', 'external_id', name=op.f('pk_conversations')))
    op.create_table(
        'inbound_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('replies', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_records')),
        sa.UniqueConstraint('channel', 'dedupe_key', name=op.f('uq_inbound_records_channel')))
    op.create_table(
        'webchat_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webchat_messages')))
    op.create_index('ix_webchat_user', 'webchat_messages', ['user_id', 'id'])
