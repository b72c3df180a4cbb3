"""The tasks service's tables.

A task is stored whole as JSON (`body`, times with their zones) beside the columns lists
filter on; its members and links also live in index tables so that tasks can be found by
member (visibility) and by linked record (the consumer, the `link_*` filter).
"""
from __future__ import annotations

import sqlalchemy as sa

from crm_shared.columns import record_copy, record_key, stamps as stamp_columns
from crm_shared.inbox import inbox_table
from crm_shared.outbox import outbox_table
from crm_shared.types import JSONValue, UTCDateTime

metadata = sa.MetaData()


task_types = sa.Table(
    "task_types", metadata,
    *record_key(),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("suggest_next", JSONValue, nullable=True),
    sa.Column("position", sa.Integer(), nullable=False),
)

task_statuses = sa.Table(
    "task_statuses", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
)

#: one row, id 1: the installation's task settings
task_settings = sa.Table(
    "task_settings", metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("statuses_enabled", sa.Boolean(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
)

tasks = sa.Table(
    "tasks", metadata,
    *record_key(),
    sa.Column("body", JSONValue, nullable=False),
    sa.Column("type_id", sa.String(36), nullable=False),
    sa.Column("status_id", sa.String(36), nullable=True),
    sa.Column("responsible_id", sa.String(64), nullable=False),
    sa.Column("private", sa.Boolean(), nullable=False),
    sa.Column("done", sa.Boolean(), nullable=False),
    # the due time, or the start of a timed task: what due_from / due_to filter on
    sa.Column("at", UTCDateTime(), nullable=True),
    *stamp_columns(),
    sa.Index("ix_tasks_responsible", "responsible_id", "created_at", "id"),
    sa.Index("ix_tasks_created", "created_at", "id"),
    sa.Index("ix_tasks_type", "type_id"),
    sa.Index("ix_tasks_status", "status_id"),
    sa.Index("ix_tasks_at", "at"),
)

task_members = sa.Table(
    "task_members", metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Index("ix_task_members_user", "user_id"),
)

task_links = sa.Table(
    "task_links", metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("link_type", sa.String(10), primary_key=True),
    sa.Column("link_id", sa.String(64), nullable=False),
    sa.Index("ix_task_links_record", "link_id", "link_type"),
)

task_comments = sa.Table(
    "task_comments", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("task_id", sa.String(36), nullable=False),
    sa.Column("author_id", sa.String(64), nullable=False),
    sa.Column("author_name", sa.String(200), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Index("ix_task_comments_task", "task_id", "created_at", "id"),
)

#: what `owner_id` shares of their tasks with `grantee_id`
task_shares = sa.Table(
    "task_shares", metadata,
    sa.Column("owner_id", sa.String(64), primary_key=True),
    sa.Column("grantee_id", sa.String(64), primary_key=True),
    sa.Column("level", sa.String(10), nullable=False),
    sa.Column("per_type", JSONValue, nullable=False),
    sa.Index("ix_task_shares_grantee", "grantee_id"),
)

task_templates = sa.Table(
    "task_templates", metadata,
    *record_key(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("items", JSONValue, nullable=False),
    *stamp_columns(),
)

spaces = sa.Table(
    "spaces", metadata,
    *record_key(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("member_ids", JSONValue, nullable=False),
    *stamp_columns(),
)

#: the copy of the persons, companies and deals tasks link, kept from their events
records = sa.Table("records", metadata, *record_copy())

#: the users' names, kept from the gateway's user events (the audit shows names)
user_names = sa.Table(
    "user_names", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("sequence", sa.Integer(), nullable=False),
)

#: a user's calendar feed: the SHA-256 of its secret (the secret itself is never stored)
task_feeds = sa.Table(
    "task_feeds", metadata,
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

#: the closes of deals whose post-sale template was applied: (deal, the event's sequence)
post_sale_runs = sa.Table(
    "post_sale_runs", metadata,
    sa.Column("deal_id", sa.String(36), primary_key=True),
    sa.Column("sequence", sa.Integer(), primary_key=True),
    sa.Column("template_id", sa.String(36), nullable=False),
    sa.Column("applied_at", UTCDateTime(), nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
