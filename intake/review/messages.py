"""Messages that explain a refused edit or move to the blogger."""

from flask_babel import gettext as _

from intake.enums import state_label
from intake.models import Submission
from intake.submissions.editing import EditError
from intake.workflow.transitions import WorkflowError


def workflow_error_message(error: WorkflowError, submission: Submission) -> str:
    """Explain why a move was not applied, naming the submission's current state."""
    if error.code == "stale":
        return _("Ce portrait a changé pendant que vous le regardiez : il est maintenant "
                 "« %(state)s ». Rien n’a été appliqué ; vérifiez et recommencez au besoin.",
                 state=state_label(submission.state))
    return _("Cette action n’est pas possible quand le portrait est « %(state)s ».",
             state=state_label(submission.state))


def edit_error_message(error: EditError) -> str:
    """Explain a refused edit."""
    messages = {
        "slug": _("L’adresse ne peut contenir que des lettres minuscules sans accents, des "
                  "chiffres et des traits d’union."),
        "taken": _("Un autre portrait utilise déjà cette adresse."),
        "no_photo": _("Il n’y a pas encore de photo de portrait à recadrer."),
        "range": _("Le recadrage doit rester dans l’image (valeurs de 0 à 1)."),
        "no_consent": _("La personne n’a pas donné son consentement à la publication."),
        "state": _("L’épreuve s’envoie quand le portrait est soumis ou approuvé."),
        "not_pending": _("Aucune épreuve n’attend de réponse."),
        "invalid": _("Vérifiez les champs du formulaire."),
    }
    return messages.get(error.message, messages["invalid"])
