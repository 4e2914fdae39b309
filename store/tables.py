"""The store's tables, as this version of mobwatch declares them.

One `metadata` for them all: opening a store creates what is missing and adds the columns a
newer version declares (`schema.py`). Each module of the store reads and writes its own.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),
    sa.Column("indicator", sa.String(40), nullable=False, index=True),
    sa.Column("event_date", sa.Date, nullable=False, index=True),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
    sa.Column("marker", sa.String(60), nullable=False),
    sa.Column("severity", sa.String(10), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("fired_on", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("basis", sa.Text, nullable=False),
    sa.Column("observation_key", sa.String(300)),
    sa.Column("audience", sa.String(20), nullable=False),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("alert_id", sa.ForeignKey("alerts.id"), primary_key=True),
    sa.Column("channel", sa.String(40), primary_key=True),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    # A failed delivery waits until then before its next try (the outbox's backoff).
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
)

# Per delivery channel, like source_health: the failure streak behind `channel_failing`.
channel_health = sa.Table(
    "channel_health",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("last_run", sa.DateTime(timezone=True)),
    sa.Column("last_success", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("failing_since", sa.DateTime(timezone=True)),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, default=0),
)

bodies = sa.Table(
    "bodies",
    metadata,
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content_type", sa.String(200), nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),  # zlib-compressed
)

fetches = sa.Table(
    "fetches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.String(200), nullable=False, index=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("hash", sa.String(64)),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
)

validators = sa.Table(
    "validators",
    metadata,
    sa.Column("url", sa.String(2000), primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
)

source_health = sa.Table(
    "source_health",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("last_run", sa.DateTime(timezone=True)),
    sa.Column("last_success", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("last_error_at", sa.DateTime(timezone=True)),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, default=0),
    sa.Column("items_seen", sa.Integer, nullable=False, default=0),
    sa.Column("last_items", sa.Integer, nullable=False, default=0),
)

# The shared pacer's book (fetching/shared_pacing.py): per host, the earliest moment the
# next request may go, in seconds since the epoch on the database's clock.
host_pacing = sa.Table(
    "host_pacing",
    metadata,
    sa.Column("host", sa.String(300), primary_key=True),
    sa.Column("next_at", sa.Double, nullable=False),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# Silences (store/silences.py): a marker muted, optionally in one region or about one
# source, until a moment; `expired_at` when ended sooner.
silences = sa.Table(
    "silences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("marker", sa.String(60), nullable=False),
    sa.Column("region", sa.String(20)),
    sa.Column("source", sa.String(200)),
    sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expired_at", sa.DateTime(timezone=True)),
)

# Why an alert was held back and sent nowhere: "silenced" or "inhibited", once per alert.
alert_holds = sa.Table(
    "alert_holds",
    metadata,
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
)
