"""fair grading queue: submissions' cohort, grading turns, the learner's pending index

The cohort a submission was made in (its share of the grading workers), when each cohort and
learner was last served (the fair order), and a small partial index the per-learner cap of
waiting submissions counts in. Submissions queued before the upgrade have no cohort: they
share the workers as the group of no cohort until they are graded.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

PENDING = "status IN ('queued', 'running') AND regrade_of IS NULL"


def upgrade():
    op.create_table(
        'grading_turns',
        sa.Column(
            'scope',
            sa.Enum('cohort', 'learner', name='turnscope', native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column('owner_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('served_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'owner_id'),
    )
    # PostgreSQL adds a nullable column without a default without rewriting the table (4.5
    # million rows at national scale); SQLite copies the table to add the reference (batch).
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohort_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_submissions_cohort_id_cohorts', 'cohorts', ['cohort_id'], ['id']
        )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(
            'ix_submissions_learner_pending',
            ['learner_id'],
            unique=False,
            postgresql_where=sa.text(PENDING),
            sqlite_where=sa.text(PENDING),
        )


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_learner_pending')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint('fk_submissions_cohort_id_cohorts', type_='foreignkey')
        batch_op.drop_column('cohort_id')
    op.drop_table('grading_turns')
