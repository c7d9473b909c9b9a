"""Every state and status, the moves allowed between states, and every label, in one place.

Values are the strings stored in the database (StrEnum: a member equals its string).
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class State(StrEnum):
    """Where a submission stands in the flow drawn in DESIGN.md."""

    INVITED = "invited"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    REVOKED = "revoked"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


TRANSITIONS: dict[State, frozenset[State]] = {
    State.INVITED: frozenset(
        {State.IN_PROGRESS, State.REVOKED, State.EXPIRED, State.WITHDRAWN}
    ),
    State.IN_PROGRESS: frozenset(
        {State.SUBMITTED, State.WITHDRAWN, State.REVOKED, State.EXPIRED}
    ),
    State.SUBMITTED: frozenset({State.APPROVED, State.CHANGES_REQUESTED, State.REJECTED}),
    State.CHANGES_REQUESTED: frozenset({State.SUBMITTED, State.WITHDRAWN, State.REVOKED}),
    State.APPROVED: frozenset({State.PUBLISHED, State.CHANGES_REQUESTED, State.REJECTED}),
    State.PUBLISHED: frozenset({State.APPROVED}),
    State.EXPIRED: frozenset({State.INVITED, State.IN_PROGRESS}),
    State.REVOKED: frozenset(),
    State.WITHDRAWN: frozenset(),
    State.REJECTED: frozenset(),
}

# States in which the invitee's link opens an editable questionnaire.
EDITABLE = frozenset({State.INVITED, State.IN_PROGRESS, State.CHANGES_REQUESTED})
# States in which the invitee's link still opens something (read-only or editable).
LINK_ALIVE = EDITABLE | {State.SUBMITTED, State.APPROVED, State.PUBLISHED, State.REJECTED}
# States in which automatic reminders may still go out.
REMINDABLE = frozenset({State.INVITED, State.IN_PROGRESS})
# States in which the blogger may push an invitation's expiry back.
EXTENDABLE = REMINDABLE | {State.EXPIRED, State.CHANGES_REQUESTED}
# Invitations whose link the blogger may still renew (extend, regenerate): never one that was
# revoked, withdrawn or rejected.
RENEWABLE = (LINK_ALIVE - {State.REJECTED}) | {State.EXPIRED}


# States in which the blogger may send the person a proof of the edited portrait.
PROOF_STATES = frozenset({State.SUBMITTED, State.APPROVED})
# States in which the blogger can open the post and its PDF as they will be published.
PREVIEW_STATES = frozenset({State.SUBMITTED, State.APPROVED, State.PUBLISHED})
# States in which the blogger has something the person sent to look at.
REVIEWABLE = frozenset(State) - {State.INVITED, State.IN_PROGRESS, State.REVOKED, State.EXPIRED}


def can_move(from_state: State | str, to_state: State | str) -> bool:
    """Say whether the flow allows moving from one state to another."""
    return State(to_state) in TRANSITIONS[State(from_state)]


class Decision(StrEnum):
    """A blogger's decision on a submission: one move of TRANSITIONS, named for its button."""

    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    REJECT = "reject"


# Where each decision moves a submission, in the order the review page offers them.
DECISION_TARGETS = {
    Decision.REQUEST_CHANGES: State.CHANGES_REQUESTED,
    Decision.APPROVE: State.APPROVED,
    Decision.PUBLISH: State.PUBLISHED,
    Decision.UNPUBLISH: State.APPROVED,
    Decision.REJECT: State.REJECTED,
}


def allowed_decisions(state: State | str) -> list[Decision]:
    """Return the decisions the flow allows from a state, in their order on the review page.

    Moving back from PUBLISHED to APPROVED is unpublishing; from anywhere else, approving.
    """
    state = State(state)
    return [decision for decision, target in DECISION_TARGETS.items()
            if target in TRANSITIONS[state]
            and (decision == Decision.UNPUBLISH) == (state == State.PUBLISHED)]


class ProofStatus(StrEnum):
    """Where the proof sent to the person stands (empty while none was sent)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMMENTED = "commented"


class OutboxStatus(StrEnum):
    """Where an email of the outbox stands."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class RenditionStatus(StrEnum):
    """Where a stored rendition (the PDF) of a published portrait stands."""

    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class PushStatus(StrEnum):
    """Where a queued push of a portrait to WordPress stands."""

    QUEUED = "queued"
    PUSHING = "pushing"
    DONE = "done"
    FAILED = "failed"


class PushAction(StrEnum):
    """What a queued push does: send the portrait, move its WordPress post to draft, or delete
    the post and its media (the person was erased)."""

    PUSH = "push"
    UNPUBLISH = "unpublish"
    ERASE = "erase"


class WordPressStatus(StrEnum):
    """The status the blogger chooses for the WordPress post."""

    DRAFT = "draft"
    PUBLISH = "publish"
    FUTURE = "future"


class PhotoKind(StrEnum):
    """The photos a person may send: a portrait (required to submit) and their workspace."""

    PORTRAIT = "portrait"
    WORKSPACE = "workspace"


class Register(StrEnum):
    """How the invitee is addressed in French: « tu », as the seeds' questions do, or « vous »."""

    TU = "tu"
    VOUS = "vous"


class Actor(StrEnum):
    """Who did something in the audit trail when it was not a blogger (a blogger's email)."""

    SYSTEM = "system"
    INVITEE = "invitee"


class MailKind(StrEnum):
    """The kinds of email, each written by templates/email/KIND.*."""

    INVITATION = "invitation"
    REMINDER = "reminder"
    RECEIPT = "receipt"
    NEW_SUBMISSION = "new_submission"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"
    LINK_REGENERATED = "link_regenerated"
    PROOF = "proof"
    NEW_LINK_REQUESTED = "new_link_requested"
    PROOF_ANSWERED = "proof_answered"


# Labels ----------------------------------------------------------------------------------

STATE_LABELS = {
    State.INVITED: _l("Invité"),
    State.IN_PROGRESS: _l("En cours"),
    State.SUBMITTED: _l("Soumis"),
    State.CHANGES_REQUESTED: _l("Modifications demandées"),
    State.APPROVED: _l("Approuvé"),
    State.PUBLISHED: _l("Publié"),
    State.REVOKED: _l("Révoqué"),
    State.EXPIRED: _l("Expiré"),
    State.WITHDRAWN: _l("Retiré"),
    State.REJECTED: _l("Refusé"),
}


# How the invitee's page names where their portrait stands once sent.
INVITEE_STATE_LABELS = {
    State.SUBMITTED: _l("Envoyé"),
    State.APPROVED: _l("Approuvé"),
    State.PUBLISHED: _l("Publié"),
    State.REJECTED: _l("Non retenu"),
}

DECISION_LABELS = {
    Decision.REQUEST_CHANGES: _l("Demander des modifications"),
    Decision.APPROVE: _l("Approuver"),
    Decision.PUBLISH: _l("Publier"),
    Decision.UNPUBLISH: _l("Retirer du site"),
    Decision.REJECT: _l("Refuser"),
}

PROOF_LABELS = {
    ProofStatus.PENDING: _l("en attente"),
    ProofStatus.CONFIRMED: _l("confirmée"),
    ProofStatus.COMMENTED: _l("commentée"),
}

OUTBOX_LABELS = {
    OutboxStatus.QUEUED: _l("En attente"),
    OutboxStatus.SENDING: _l("En cours d’envoi"),
    OutboxStatus.SENT: _l("Envoyé"),
    OutboxStatus.FAILED: _l("Échec"),
}

PUSH_LABELS = {
    PushStatus.QUEUED: _l("En attente"),
    PushStatus.PUSHING: _l("En cours d’envoi"),
    PushStatus.DONE: _l("Envoyé"),
    PushStatus.FAILED: _l("Échec"),
}

WORDPRESS_STATUS_LABELS = {
    WordPressStatus.DRAFT: _l("Brouillon"),
    WordPressStatus.PUBLISH: _l("Publié tout de suite"),
    WordPressStatus.FUTURE: _l("Planifié à une date"),
}

MAIL_KIND_LABELS = {
    MailKind.INVITATION: _l("Invitation"),
    MailKind.REMINDER: _l("Rappel"),
    MailKind.RECEIPT: _l("Accusé de réception"),
    MailKind.NEW_SUBMISSION: _l("Nouveau portrait reçu"),
    MailKind.CHANGES_REQUESTED: _l("Retouches demandées"),
    MailKind.APPROVED: _l("Portrait accepté"),
    MailKind.REJECTED: _l("Portrait refusé"),
    MailKind.PUBLISHED: _l("Portrait publié"),
    MailKind.LINK_REGENERATED: _l("Nouveau lien"),
    MailKind.PROOF: _l("Épreuve à relire"),
    MailKind.NEW_LINK_REQUESTED: _l("Nouveau lien demandé"),
    MailKind.PROOF_ANSWERED: _l("Épreuve relue"),
}

REGISTER_LABELS = {
    Register.TU: _l("Tutoiement (« tu », comme les questions de la série)"),
    Register.VOUS: _l("Vouvoiement (« vous »)"),
}

ACTOR_LABELS = {
    Actor.SYSTEM: _l("système"),
    Actor.INVITEE: _l("la personne invitée"),
}


def label(labels: dict, value, default: str | None = None) -> str:
    """Return the label of a value in the page language; `default`, else the value, if none."""
    found = labels.get(value)
    if found is not None:
        return str(found)
    return str(value or "") if default is None else default


def state_label(state: str) -> str:
    """Return the blogger's label of a state in the page language."""
    return label(STATE_LABELS, state)


def invitee_state_label(state: str) -> str:
    """Return how the invitee's page names a state once sent ('' for the others)."""
    return label(INVITEE_STATE_LABELS, state, "")


def decision_label(decision: str) -> str:
    """Return the button label of a decision in the page language."""
    return label(DECISION_LABELS, decision)


def proof_label(status: str) -> str:
    """Return the label of a proof status in the page language."""
    return label(PROOF_LABELS, status)


def outbox_label(status: str) -> str:
    """Return the label of an outbox status in the page language."""
    return label(OUTBOX_LABELS, status)


def mail_kind_label(kind: str) -> str:
    """Return the label of an email kind in the page language."""
    return label(MAIL_KIND_LABELS, kind)


def actor_label(actor: str) -> str:
    """Return who did something as the audit trail shows it: a role's label, else the email."""
    return label(ACTOR_LABELS, actor)


ACTION_LABELS = {
    "invited": _l("Invitation créée"),
    "email": _l("Courriel mis en file"),
    "link_regenerated": _l("Nouveau lien"),
    "extended": _l("Échéance prolongée"),
    "settings": _l("Billet modifié"),
    "edit_answers": _l("Réponses retouchées"),
    "crop": _l("Recadrage de la photo"),
    "proof_sent": _l("Épreuve envoyée"),
    "proof_confirmed": _l("Épreuve confirmée"),
    "proof_commented": _l("Épreuve commentée"),
}


def action_label(action: str) -> str:
    """Return the label of an audit action in the page language, the code when unknown."""
    return label(ACTION_LABELS, action)


def push_label(status: str) -> str:
    """Return the label of a WordPress push status in the page language."""
    return label(PUSH_LABELS, status)


def wordpress_status_label(status: str) -> str:
    """Return the label of a WordPress post status in the page language."""
    return label(WORDPRESS_STATUS_LABELS, status)
