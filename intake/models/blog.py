"""Blog-wide settings the blogger changes in the app (the defaults live in intake/config.py)."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.extensions import db


class BlogSetting(db.Model):
    """One blog-wide setting by name, such as the blog's time zone."""

    __tablename__ = "blog_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
