"""issue numbers are unique

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _renumber_repeats()
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issues_number"))
        batch_op.create_index(batch_op.f("ix_issues_number"), ["number"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issues_number"))
        batch_op.create_index(batch_op.f("ix_issues_number"), ["number"], unique=False)


def _renumber_repeats() -> None:
    """Two writers could once give two issues one number; number them in order."""
    connection = op.get_bind()
    repeats = connection.execute(
        sa.text("SELECT count(*) - count(DISTINCT number) FROM issues")
    ).scalar_one()
    if not repeats:
        return
    ids = connection.execute(
        sa.text("SELECT id FROM issues ORDER BY number, created_at, id")
    ).scalars()
    for number, issue_id in enumerate(list(ids), start=1):
        connection.execute(
            sa.text("UPDATE issues SET number = :number WHERE id = :id"),
            {"number": number, "id": issue_id},
        )
