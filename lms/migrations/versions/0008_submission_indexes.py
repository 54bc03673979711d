"""submission indexes for national scale

Measured with bench/national.py on 4.5 million submissions: the cohort grid, best scores and
re-grade progress become index-only scans; grading-failure alerts read a small partial index.
Building them locks the table for writes for a few seconds per index at that size (9, 2, 2 s
here): run the upgrade in a maintenance window, or create them CONCURRENTLY by hand first.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 02:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(
            'ix_submissions_learner_exercise_id',
            ['learner_id', 'exercise_id', 'id'],
            unique=False,
            postgresql_include=['status', 'score'],
        )
        batch_op.drop_index('ix_submissions_learner_exercise')
        batch_op.create_index(
            'ix_submissions_learner_errors',
            ['learner_id', 'id'],
            unique=False,
            postgresql_where=sa.text("status = 'error'"),
            sqlite_where=sa.text("status = 'error'"),
        )
        batch_op.create_index(
            'ix_submissions_learner_regrades',
            ['learner_id', 'id'],
            unique=False,
            postgresql_where=sa.text('regrade_of IS NOT NULL'),
            sqlite_where=sa.text('regrade_of IS NOT NULL'),
        )
        batch_op.create_index('ix_submissions_finished_at', ['finished_at'], unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_finished_at')
        batch_op.drop_index('ix_submissions_learner_regrades')
        batch_op.drop_index('ix_submissions_learner_errors')
        batch_op.create_index(
            'ix_submissions_learner_exercise', ['learner_id', 'exercise_id'], unique=False
        )
        batch_op.drop_index('ix_submissions_learner_exercise_id')
