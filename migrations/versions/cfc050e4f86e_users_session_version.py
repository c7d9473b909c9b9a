"""users.session_version ends sessions on logout and password change

Every session carries `<user id>:<session version>`; logout and a new password raise the
version, so a copied cookie or a session on another device stops opening the blogger pages.
Sessions opened before this migration log in once more.

Revision ID: cfc050e4f86e
Revises: 4cfa1d792b41
Create Date: 2026-11-30 06:40:35.685449

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cfc050e4f86e'
down_revision = '4cfa1d792b41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
