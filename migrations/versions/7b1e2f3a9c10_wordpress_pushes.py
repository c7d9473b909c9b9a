"""WordPress: the post and media ids on each portrait, and the queue of pushes

Pushing again updates the same post and reuses media whose bytes did not change
(submissions.wp_post_id, wp_media, wp_pushed_at); each push is a row retried with backoff.

Revision ID: 7b1e2f3a9c10
Revises: 845bc0d0aba1
Create Date: 2026-11-30 09:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b1e2f3a9c10'
down_revision = '845bc0d0aba1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wp_post_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('wp_media', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('wp_pushed_at', sa.DateTime(), nullable=True))
    op.create_table(
        'wordpress_pushes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=True),
        sa.Column('erase_ids', sa.JSON(), nullable=True),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('post_status', sa.String(length=20), nullable=False),
        sa.Column('post_date', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('error_code', sa.String(length=40), nullable=False),
        sa.Column('error_detail', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_wordpress_pushes_submission_id_submissions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wordpress_pushes')),
    )
    with op.batch_alter_table('wordpress_pushes', schema=None) as batch_op:
        batch_op.create_index('ix_wordpress_pushes_status_next', ['status', 'next_attempt_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_wordpress_pushes_submission_id'),
                              ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wordpress_pushes_created_at'), ['created_at'],
                              unique=False)


def downgrade():
    op.drop_table('wordpress_pushes')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('wp_pushed_at')
        batch_op.drop_column('wp_media')
        batch_op.drop_column('wp_post_id')
