"""The tasks service's unit of work: its repositories and its outbox in one transaction."""
from __future__ import annotations

from crm_shared.unit_of_work import UnitOfWork

from crm_tasks.adapters import tables
from crm_tasks.adapters.catalog import SettingsRepository, StatusRepository, TypeRepository
from crm_tasks.adapters.collaboration import CommentRepository, ShareRepository
from crm_tasks.adapters.copies import RecordCopies, UserNames
from crm_tasks.adapters.feeds import FeedRepository, PostSaleRuns
from crm_tasks.adapters.task_repository import TaskRepository
from crm_tasks.adapters.templates import SpaceRepository, TemplateRepository
from crm_tasks.declaration import SERVICE as DECLARATION


class TasksUnitOfWork(UnitOfWork, service=DECLARATION.name, outbox=tables.outbox):
    """A transaction over the tasks tables that commits its events to the outbox."""

    types: TypeRepository
    statuses: StatusRepository
    settings: SettingsRepository
    tasks: TaskRepository
    comments: CommentRepository
    shares: ShareRepository
    templates: TemplateRepository
    spaces: SpaceRepository
    records: RecordCopies
    users: UserNames
    feeds: FeedRepository
    post_sale: PostSaleRuns
