"""outbox leases and retry period; renditions.requested_at (PDFs rendered by the worker)

The worker claims one message at a time under a lease: `claim_token` names the claim, so an
outcome is written only by the worker that still holds it. `retry_since` is when a message
first met a passing failure; it keeps being retried until MAIL_RETRY_DAYS after that.
`renditions.requested_at` is when a new PDF was last asked for: the worker keeps its render
only if no newer request came in while it rendered.

Revision ID: b7d2e14a9c01
Revises: 7b1e2f3a9c10
Create Date: 2026-11-30 09:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2e14a9c01'
down_revision = '7b1e2f3a9c10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('retry_since', sa.DateTime(), nullable=True))
    with op.batch_alter_table('renditions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('renditions', schema=None) as batch_op:
        batch_op.drop_column('requested_at')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('retry_since')
        batch_op.drop_column('claim_token')
