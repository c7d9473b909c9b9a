"""What a request body may hold, apart for files and for typed text.

- The body: MAX_CONTENT_LENGTH (a photo and the form around it); over it, 413.
- The number of fields: MAX_FORM_PARTS, for multipart bodies (Werkzeug) and, here, for
  urlencoded ones too (Werkzeug applies no count to them: 10,000 fields were parsed); over it,
  TooManyFields (413) with its own message, never the photo-size one.
- Text fields: no size of their own at parsing (MAX_FORM_MEMORY_SIZE = None; the body limit
  still bounds them). Each is held to its own limit by the code that stores it, which refuses
  that field alone, by name and with its limit (a 600 kB paste in one answer no longer makes
  every autosave fail), and saves the others.
"""

from flask import Request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser


class TooManyFields(RequestEntityTooLarge):
    """A form body with more fields than MAX_FORM_PARTS: refused whole, nothing read."""

    title = _l("Formulaire trop long")

    def __init__(self, limit: int | None):
        super().__init__()
        self.limit = limit or 0

    @property
    def message(self):
        """Return the sentence that says why, with the limit."""
        return _l("Ce formulaire envoie plus de %(max)d champs\u00a0: rien n’a été enregistré. "
                  "Rechargez la page, puis réessayez.", max=self.limit)


class FormParser(FormDataParser):
    """Werkzeug's form parser, counting the fields of urlencoded bodies too."""

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        """Refuse an urlencoded body of more than max_form_parts fields, before parsing it."""
        body = stream.read()
        if self.max_form_parts is not None and body.count(b"&") >= self.max_form_parts:
            raise TooManyFields(self.max_form_parts)
        return super()._parse_urlencoded(_Replay(body), mimetype, content_length, options)

    def _parse_multipart(self, stream, mimetype, content_length, options):
        """Parse a multipart body; without a text-field size, too many parts is the only 413
        left there: say so."""
        try:
            return super()._parse_multipart(stream, mimetype, content_length, options)
        except RequestEntityTooLarge:
            if self.max_form_memory_size is not None:
                raise
            raise TooManyFields(self.max_form_parts) from None


class _Replay:
    """A stream that gives back bytes already read."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_size) -> bytes:
        """Return the bytes, once."""
        data, self.data = self.data, b""
        return data


class LimitedRequest(Request):
    """The app's request: its form parser counts urlencoded fields too."""

    form_data_parser_class = FormParser
