"""series: a questions stamp, renewed at every change to a series' questions (issue 19)

The questionnaire page keeps each series' questions per process under (series, stamp);
every flush that adds, changes or deletes a question gives the series a new random stamp
(Series.questions_stamp). Existing series start at 0: no process running the code that
reads it has kept anything yet.

Revision ID: e5c1a7b3d904
Revises: b19c0de5a1e9
Create Date: 2026-11-30 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5c1a7b3d904'
down_revision = 'b19c0de5a1e9'
branch_labels = None
depends_on = None


def upgrade():
    # Only added (no table rebuild on SQLite, which the foreign keys pointing at the series
    # would refuse).
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('questions_stamp', sa.BigInteger(), server_default='0',
                                      nullable=False))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later), as d3a8c5f17e20 does.
    op.execute('ALTER TABLE series DROP COLUMN questions_stamp')
