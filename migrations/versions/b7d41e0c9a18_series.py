"""several series: today's questionnaire becomes the first series, with its current settings

The table `questionnaires` is renamed `series` (invitations and questions keep pointing at it
through `questionnaire_id`) and gains a slug, the typographic convention, the register and the
languages. The first series takes the blog-wide typography and register settings it was
published with (then removed from blog_settings); its slug comes from its French title.
Portrait addresses (/portraits/SLUG) do not change: slugs stay unique across series.

Revision ID: b7d41e0c9a18
Revises: b7d2e14a9c01
Create Date: 2026-11-30 09:50:00

"""
import json
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41e0c9a18'
down_revision = 'b7d2e14a9c01'
branch_labels = None
depends_on = None

CONVENTIONS = ("quebec", "france")
REGISTERS = ("tu", "vous")


def slugify(text):
    """Return a URL slug: ASCII letters and digits joined by hyphens (as intake does)."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def upgrade():
    op.rename_table('questionnaires', 'series')
    # Columns are only added (no table rebuild on SQLite, which the foreign keys pointing at
    # the series would refuse); their server defaults are filled in just below.
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slug', sa.String(length=80), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('typography', sa.String(length=10),
                                      server_default='quebec', nullable=False))
        batch_op.add_column(sa.Column('register', sa.String(length=10),
                                      server_default='tu', nullable=False))
        batch_op.add_column(sa.Column('languages', sa.JSON(),
                                      server_default='["fr", "en"]', nullable=False))
    move_settings_into_series()
    op.create_index(op.f('ix_series_slug'), 'series', ['slug'], unique=True)
    rename_constraints('questionnaires', 'series')


def rename_constraints(old, new):
    """On PostgreSQL, give the key, sequence and foreign keys of the renamed table the names
    the naming convention gives them (SQLite keeps the old names inside its table text)."""
    if op.get_bind().dialect.name == 'sqlite':
        return
    op.execute(f'ALTER TABLE {new} RENAME CONSTRAINT pk_{old} TO pk_{new}')
    op.execute(f'ALTER SEQUENCE {old}_id_seq RENAME TO {new}_id_seq')
    for table in ('invitations', 'questions'):
        op.execute(f'ALTER TABLE {table} RENAME CONSTRAINT fk_{table}_questionnaire_id_{old} '
                   f'TO fk_{table}_questionnaire_id_{new}')


def move_settings_into_series():
    """Give every series a slug and the languages; the first one the blog's settings."""
    connection = op.get_bind()
    settings = dict(connection.execute(sa.text(
        "SELECT key, value FROM blog_settings WHERE key IN ('typography', 'register')")).all())
    typography = settings.get('typography') if settings.get('typography') in CONVENTIONS \
        else 'quebec'
    register = settings.get('register') if settings.get('register') in REGISTERS else 'tu'
    taken = set()
    rows = connection.execute(sa.text("SELECT id, title_fr FROM series ORDER BY id")).all()
    for number, (series_id, title) in enumerate(rows):
        base = slugify(title) or f"serie-{series_id}"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        values = {"id": series_id, "slug": slug, "languages": json.dumps(["fr", "en"])}
        if number == 0:
            values.update(typography=typography, register=register)
            connection.execute(sa.text(
                "UPDATE series SET typography = :typography, register = :register "
                "WHERE id = :id"), values)
        connection.execute(sa.text(
            "UPDATE series SET slug = :slug, languages = :languages WHERE id = :id"), values)
    if rows:
        connection.execute(sa.text(
            "DELETE FROM blog_settings WHERE key IN ('typography', 'register')"))


def downgrade():
    connection = op.get_bind()
    first = connection.execute(sa.text(
        "SELECT typography, register FROM series ORDER BY id LIMIT 1")).first()
    if first is not None:
        for key, value in (("typography", first[0]), ("register", first[1])):
            connection.execute(sa.text("DELETE FROM blog_settings WHERE key = :key"),
                               {"key": key})
            connection.execute(sa.text(
                "INSERT INTO blog_settings (key, value) VALUES (:key, :value)"),
                {"key": key, "value": value})
    op.drop_index(op.f('ix_series_slug'), table_name='series')
    # Plain DROP COLUMN (SQLite 3.35 and later): a batch rebuild would drop the table that
    # invitations and questions point at, which SQLite's foreign keys refuse.
    for column in ('languages', 'register', 'typography', 'slug'):
        op.execute(f'ALTER TABLE series DROP COLUMN {column}')
    op.rename_table('series', 'questionnaires')
    rename_constraints('series', 'questionnaires')
