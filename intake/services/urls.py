"""Absolute links for emails and exports, always on BASE_URL."""

from flask import current_app


def absolute_url(endpoint: str, **values) -> str:
    """Return BASE_URL + the path of an endpoint, with or without a request."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"] + path
