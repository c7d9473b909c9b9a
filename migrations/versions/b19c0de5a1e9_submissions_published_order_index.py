"""submissions: an index for readers' lists, newest first (issue 19)

The index and the feed read one page of published portraits at a time, newest first; both
SQLite and PostgreSQL read its ids from this index alone (it holds every column the query
needs), backwards, instead of sorting every portrait. A published portrait without a
publication date gets the day it was published (the order has no NULLS clause).

Revision ID: b19c0de5a1e9
Revises: d3a8c5f17e20
Create Date: 2026-11-30 10:25:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b19c0de5a1e9'
down_revision = 'd3a8c5f17e20'
branch_labels = None
depends_on = None

def upgrade():
    # Lists order by publication date with no NULLS clause (the index serves them on both
    # databases): give a published portrait that lost its date the day it was published (UTC).
    op.execute("UPDATE submissions SET publication_date = date(published_at) "
               "WHERE state = 'published' AND publication_date IS NULL "
               "AND published_at IS NOT NULL")
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_published_order',
                              ['state', 'publication_date', 'published_at', 'id', 'slug',
                               'invitation_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_published_order')
