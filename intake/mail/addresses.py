"""Email addresses and header values: check an address, fold a value onto one line."""

import re

from email_validator import EmailNotValidError, validate_email

from intake.text import clean_text

LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\v\f]+")
FOLDED_SPACE = re.compile(r"[^\S\u00a0\u202f]+")  # any whitespace but the no-break spaces


class MailError(Exception):
    """A message that cannot be queued (bad address), with a reason for the person."""


def one_line(value: str, limit: int = 300) -> str:
    """Return a header-safe value: typed text cleaned (intake/text.py), runs of spaces folded
    into one space (the no-break spaces of French typography, before « : » and inside « »,
    stay), cut at `limit`."""
    return FOLDED_SPACE.sub(" ", clean_text(value)).strip()[:limit]


def checked_address(address: str) -> str:
    """Return a normalised email address, or raise MailError if it is not one."""
    if LINE_BREAKS.search(address or ""):
        raise MailError("line break in address")
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise MailError(str(error)) from error
