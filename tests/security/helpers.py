"""Walk the URL map: build a concrete URL for every rule, and log in with CSRF on."""

import re

from intake.links import token_for
from tests.conftest import BLOGGER_EMAIL, BLOGGER_PASSWORD


def sample_values(submission) -> dict:
    """Return a value for every URL argument name the app uses."""
    return {
        "submission_id": submission.id,
        "invitation_id": submission.invitation_id,
        "token": token_for(submission.invitation),
        "kind": "portrait",
        "action": "approve",
        "slug": submission.slug or "x",
        "message_id": 1,
        "question_id": 1,
        "filename": "css/app.css",
    }


def concrete_rules(app, submission, methods=("POST",)):
    """Yield (method, url, endpoint) for every rule answering one of the methods."""
    values = sample_values(submission)
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        for method in sorted(set(methods) & rule.methods):
            args = {name: values.get(name, 1) for name in rule.arguments}
            yield method, adapter.build(rule.endpoint, args, method=method), rule.endpoint


def csrf_token_from(html: str) -> str:
    """Return the CSRF token found in a page."""
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def log_in_with_csrf(client) -> None:
    """Log in through the real form, CSRF token included."""
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": BLOGGER_EMAIL, "password": BLOGGER_PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 303
