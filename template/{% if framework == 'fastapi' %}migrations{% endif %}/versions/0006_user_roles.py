"""A role per user (NULL: none), for the models' per-role permissions.

A migration of its own, not part of 0001, so that `copier update` brings it to projects created before it.
It branches off 0004 like the other optional migrations: `alembic upgrade heads` applies them all.
It belongs to you now, like 0001.

Revision ID: 0006_user_roles
Revises: 0004_audit_events
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_user_roles"
down_revision: str | None = "0004_audit_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("role")
