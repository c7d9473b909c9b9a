"""submissions: an index for readers' lists, newest first (issue 19)

The index and the feed read one page of published portraits at a time, newest first; both
SQLite and PostgreSQL read its ids from this index alone (it holds every column the query
needs), backwards, instead of sorting every portrait.

Revision ID: b19c0de5a1e9
Revises: cfc050e4f86e
Create Date: 2026-11-30 10:25:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b19c0de5a1e9'
down_revision = 'cfc050e4f86e'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_published_order',
                              ['state', 'publication_date', 'published_at', 'id', 'slug'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_published_order')
