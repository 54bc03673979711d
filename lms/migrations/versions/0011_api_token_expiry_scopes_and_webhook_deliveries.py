"""API token expiry and scopes, webhook deliveries

API tokens get an expiry, scopes, a name and the time they were revoked. Tokens issued before
(which never expired, and could do everything) keep both scopes and expire 90 days after this
migration: a grace period for the scripts that use them, not a token that lives forever.

``webhook_deliveries`` remembers the content-webhook deliveries accepted in the last few
minutes, so that a captured signed request cannot be played again.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-20 10:00:00

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column(
            'scopes', sa.String(length=100), nullable=False, server_default='read submit'
        ))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))

    grace_ends = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=90)
    tokens = sa.table('api_tokens', sa.column('expires_at', sa.DateTime()))
    op.execute(tokens.update().values(expires_at=grace_ends))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)

    op.create_table('webhook_deliveries',
    sa.Column('delivery_id', sa.String(length=100), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('delivery_id')
    )
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_signed_at'), ['signed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_signed_at'))
    op.drop_table('webhook_deliveries')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scopes')
        batch_op.drop_column('name')
