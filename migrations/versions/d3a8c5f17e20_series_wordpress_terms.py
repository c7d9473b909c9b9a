"""series WordPress categories and tags: each series names its posts' categories and tags

Both start empty: a series without its own names keeps the blog-wide WORDPRESS_CATEGORIES /
WORDPRESS_TAGS settings, so pushes go on as before the migration.

Revision ID: d3a8c5f17e20
Revises: b7d41e0c9a18
Create Date: 2026-11-30 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a8c5f17e20'
down_revision = 'b7d41e0c9a18'
branch_labels = None
depends_on = None

COLUMNS = ('wordpress_categories', 'wordpress_tags')


def upgrade():
    # Columns are only added (no table rebuild on SQLite, which the foreign keys pointing at
    # the series would refuse); existing series get the empty list.
    with op.batch_alter_table('series', schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, sa.JSON(), server_default='[]',
                                          nullable=False))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later): a batch rebuild would drop the table that
    # invitations and questions point at, which SQLite's foreign keys refuse.
    for column in reversed(COLUMNS):
        op.execute(f'ALTER TABLE series DROP COLUMN {column}')
