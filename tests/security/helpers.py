"""Walk the URL map: build a concrete URL for every rule."""


from intake.links import token_for


def sample_values(submission) -> dict:
    """Return a value for every URL argument name the app uses."""
    return {
        "submission_id": submission.id,
        "invitation_id": submission.invitation_id,
        "token": token_for(submission.invitation),
        "kind": "portrait",
        "action": "approve",
        "slug": submission.slug or "x",
        "series_slug": submission.invitation.series.slug,
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
