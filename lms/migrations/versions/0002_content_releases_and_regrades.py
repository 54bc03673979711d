"""content release status and ref; submissions that re-grade another

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("content_releases") as batch:
        batch.add_column(sa.Column("status", sa.String(20), nullable=False,
                                   server_default="working-tree"))
        batch.add_column(sa.Column("ref", sa.String(200), nullable=True))
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("regrade_of", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_submissions_regrade_of", "submissions", ["regrade_of"],
                                 ["id"])


def downgrade():
    with op.batch_alter_table("submissions") as batch:
        batch.drop_constraint("fk_submissions_regrade_of", type_="foreignkey")
        batch.drop_column("regrade_of")
    with op.batch_alter_table("content_releases") as batch:
        batch.drop_column("ref")
        batch.drop_column("status")
