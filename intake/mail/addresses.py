"""Email addresses and header values: check an address, fold a value onto one line."""

import re

from email_validator import EmailNotValidError, validate_email

from intake.text import clean_line

LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\v\f]+")


class MailError(Exception):
    """A message that cannot be queued (bad address), with a reason for the person."""


def one_line(value: str, limit: int = 300) -> str:
    """Return a header-safe value: typed text cleaned (intake/text.py), its line breaks and
    runs of spaces folded into one space, cut at `limit`."""
    return clean_line(value)[:limit]


def checked_address(address: str) -> str:
    """Return a normalised email address, or raise MailError if it is not one."""
    if LINE_BREAKS.search(address or ""):
        raise MailError("line break in address")
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise MailError(str(error)) from error
