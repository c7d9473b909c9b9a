"""Whole numbers read from URLs, query strings and forms, kept within what the database stores.

Python reads `10**30` happily; SQLite and PostgreSQL refuse it in the middle of a query, which
used to end in a 500. Every number a request carries goes through one of these two gates.
"""

import re

from flask import abort
from werkzeug.routing import IntegerConverter, ValidationError

# The largest INTEGER column value both databases accept (PostgreSQL's int4).
DB_INT_MAX = 2**31 - 1
DB_INT_MIN = -(2**31)
INTEGER = re.compile(r"[+-]?[0-9]+")


class DatabaseIntConverter(IntegerConverter):
    """The `<int:…>` URL converter, matching only ids the database can hold (else 404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        """Return the id, or refuse the match (404) for one too long to be a stored id."""
        if len(value.lstrip("+-").lstrip("0")) > len(str(DB_INT_MAX)):
            raise ValidationError()
        return super().to_python(value)


def bounded_int(value: str) -> int:
    """Parse a query or form value as a whole number the database can store.

    Use as `request.args.get(name, default, type=bounded_int)`: text that is not a number
    raises ValueError (so the default applies); a number out of the database's range answers
    400.
    """
    text = (value or "").strip()
    if not INTEGER.fullmatch(text):
        raise ValueError(f"not a whole number: {text[:20]!r}")
    if len(text.lstrip("+-").lstrip("0")) > len(str(DB_INT_MAX)):
        abort(400)
    number = int(text)
    if not DB_INT_MIN <= number <= DB_INT_MAX:
        abort(400)
    return number
