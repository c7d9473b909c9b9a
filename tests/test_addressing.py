"""One register per audience: the invitee is addressed « tu » (or « vous » when the blog says so)
in every email and page; English has one register; emails are signed with the blogger's name."""

import re

import pytest
from sqlalchemy import select

from intake.addressing import blog_register, set_blog_register
from intake.auth.accounts import create_user
from intake.extensions import db
from intake.invitations.emails import queue_invitation_email
from intake.invitations.operations import create_invitation
from intake.mail.invitee import expiry_text, invitee_context
from intake.mail.link_slots import link_slot
from intake.mail.outbox import render_email
from intake.models import User
from intake.questionnaire.series import default_series
from tests.support.factories import BLOGGER_NAME, invite, make_invitation, outbox_rows
from tests.support.http import without_csrf_token

N = "\u00a0"  # the no-break space of Québec typography, before « : » and inside « »
SERIES = "Portrait de gestionnaire de communauté"
INVITEE_KINDS = ("invitation", "reminder", "link_regenerated", "proof", "receipt",
                 "changes_requested", "approved", "rejected", "published")


def invitation_text(register: str, link: str, expires: str, signer: str) -> str:
    """Return the whole French invitation email we expect in a register."""
    tu = register == "tu"
    return (
        "Bonjour Camille Roy,\n\n"
        f"Je prépare une série d’entrevues, «{N}{SERIES}{N}», et j’aimerais beaucoup que "
        + ("tu en fasses partie.\n\n" if tu else "vous en fassiez partie.\n\n")
        + (f"Le questionnaire se remplit en ligne, à ton rythme{N}: tes réponses sont "
           "enregistrées au fur et à mesure et tu peux y revenir autant de fois que tu le "
           "veux avant de l’envoyer.\n\n" if tu else
           f"Le questionnaire se remplit en ligne, à votre rythme{N}: vos réponses sont "
           "enregistrées au fur et à mesure et vous pouvez y revenir autant de fois que vous "
           "le voulez avant de l’envoyer.\n\n")
        + (f"Ton lien personnel{N}:\n" if tu else f"Votre lien personnel{N}:\n")
        + f"{link}\n\n"
        f"Ce lien est valable jusqu’au {expires}. "
        + (f"Il t’est réservé{N}: " if tu else f"Il vous est réservé{N}: ")
        + "merci de ne pas le transférer.\n\n"
        + ("Au plaisir de te lire,\n" if tu else "Au plaisir de vous lire,\n")
        + signer
    )


def test_invitation_says_tu_and_is_signed_by_the_blogger_who_created_it(app, blogger):
    editor = create_user("editrice@example.org", "a long enough password", name="Édith Éditrice")
    invitation, _token = create_invitation(name="Camille Roy", email="camille@example.org",
                                           created_by=editor)
    queue_invitation_email(invitation)
    db.session.commit()
    message = outbox_rows("invitation")[0]
    assert blog_register() == "tu"
    assert message.subject == f"Invitation{N}: {SERIES}"
    assert message.text_body == invitation_text(
        "tu", link_slot(invitation), expiry_text(invitation), "Édith Éditrice")
    assert "<p>Au plaisir de te lire,<br>Édith Éditrice</p>" in message.html_body


def test_invitation_says_vous_when_the_blog_says_so(app, blogger):
    set_blog_register("vous")
    invitation, _token = invite()  # made by a command: signed by the first welcomed blogger
    message = outbox_rows("invitation")[0]
    assert message.text_body == invitation_text(
        "vous", link_slot(invitation), expiry_text(invitation), BLOGGER_NAME)
    assert f"<p>Au plaisir de vous lire,<br>{BLOGGER_NAME}</p>" in message.html_body


# The subject and the closing words of every email to the invitee, in each register.
SUBJECTS_AND_CLOSINGS = {
    "invitation": (f"Invitation{N}: {SERIES}", f"Invitation{N}: {SERIES}",
                   "Au plaisir de te lire,", "Au plaisir de vous lire,"),
    "reminder": (f"Rappel{N}: {SERIES}", f"Rappel{N}: {SERIES}",
                 "Merci, et au plaisir de te lire,", "Merci, et au plaisir de vous lire,"),
    "link_regenerated": (f"Ton nouveau lien{N}: {SERIES}", f"Votre nouveau lien{N}: {SERIES}",
                         "Au plaisir de te lire,", "Au plaisir de vous lire,"),
    "proof": ("Ton portrait à relire avant la publication",
              "Votre portrait à relire avant la publication", "Merci!", "Merci!"),
    "receipt": ("Merci! Tes réponses sont bien reçues", "Merci! Vos réponses sont bien reçues",
                "À bientôt,", "À bientôt,"),
    "changes_requested": ("Quelques retouches à ton portrait",
                          "Quelques retouches à votre portrait",
                          "Merci d’avance,", "Merci d’avance,"),
    "approved": ("Ton portrait est accepté", "Votre portrait est accepté",
                 "Merci encore pour ta générosité!", "Merci encore pour votre générosité!"),
    "rejected": ("À propos de ton portrait", "À propos de votre portrait",
                 "Merci encore de ta confiance.", "Merci encore de votre confiance."),
    "published": ("Ton portrait est publié!", "Votre portrait est publié!",
                  "Merci encore pour ta générosité!", "Merci encore pour votre générosité!"),
}
VOUS_WORDS = re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE)
TU_WORDS = re.compile(r"\b(tu|te|t’|ton|ta|tes|toi)\b", re.IGNORECASE)


def render_all(invitation, language: str, register: str) -> dict[str, tuple[str, str, str]]:
    """Render every email to the invitee in a language and register."""
    set_blog_register(register)
    context = invitee_context(invitation, message="Une précision, s’il te plaît.",
                              post_url="https://portraits.example.org/portraits/camille",
                              pdf_url="https://portraits.example.org/portraits/camille.pdf")
    return {kind: render_email(kind, language, submission=invitation.submission, **context)
            for kind in INVITEE_KINDS}


@pytest.mark.parametrize("register", ["tu", "vous"])
def test_every_invitee_email_speaks_one_register_and_ends_with_the_signature(
        app, blogger, register):
    invitation, _token = invite()
    for kind, (subject, text, html) in render_all(invitation, "fr", register).items():
        tu_subject, vous_subject, tu_closing, vous_closing = SUBJECTS_AND_CLOSINGS[kind]
        closing = tu_closing if register == "tu" else vous_closing
        assert subject == (tu_subject if register == "tu" else vous_subject), kind
        assert text.rstrip("\n").split("\n")[-2:] == [closing, BLOGGER_NAME], kind
        assert f"<p>{closing}<br>{BLOGGER_NAME}</p>" in html, kind
        body = text.replace("Une précision, s’il te plaît.", "")
        other = VOUS_WORDS if register == "tu" else TU_WORDS
        assert other.findall(body) == [], kind


def test_english_emails_are_the_same_in_both_registers(app, blogger):
    invitation, _token = invite(language="en")
    tu, vous = render_all(invitation, "en", "tu"), render_all(invitation, "en", "vous")
    assert tu == vous
    subject, text, _html = tu["invitation"]
    assert subject == "Invitation: Community manager portrait"
    assert text.split("\n\n")[1:3] == [
        "I am preparing a series of interviews, “Community manager portrait”, and I would very "
        "much like you to be part of it.",
        "You fill in the questionnaire online, at your own pace: your answers are saved as you "
        "go and you can come back to it as often as you like before sending it."]
    assert text.rstrip("\n").split("\n")[-2:] == ["Looking forward to reading you,",
                                                  BLOGGER_NAME]


def test_signature_is_one_line_and_escaped_in_html(app, blogger):
    blogger.name = "Anne <b>Roy</b>\nhttps://evil.example"
    db.session.commit()
    invitation, _token = invite()
    message = outbox_rows("invitation")[0]
    assert message.text_body.split("\n")[-1] == "Anne <b>Roy</b> https://evil.example"
    assert ("<p>Au plaisir de te lire,<br>Anne &lt;b&gt;Roy&lt;/b&gt; https://evil.example</p>"
            in message.html_body)


def test_signer_falls_back_to_the_first_welcomed_blogger_then_to_no_name(app, blogger):
    gone = create_user("parti@example.org", "a long enough password", name="Paul Parti")
    invitation, _token = create_invitation(name="Camille Roy", email="camille@example.org",
                                           created_by=gone)
    gone.active = False
    db.session.commit()
    assert invitee_context(invitation)["signer"] == BLOGGER_NAME
    for user in db.session.scalars(select(User)):
        user.name = ""
    db.session.commit()
    _subject, text, html = render_email("invitation", "fr", submission=invitation.submission,
                                        **invitee_context(invitation))
    assert text.split("\n")[-1] == "Au plaisir de te lire,"
    assert "<p>Au plaisir de te lire,</p>" in html


def test_invitation_editor_default_text_and_preview_are_signed(blogger_client):
    page = blogger_client.post("/admin/invitations/preview", data={
        "name": "Camille Roy", "email": "camille@example.org", "language": "fr",
        "expires_days": "30"}).get_data(as_text=True)
    body = page.split('name="body"')[1].split("</textarea>")[0]
    assert body.endswith(f"Au plaisir de te lire,\n{BLOGGER_NAME}")
    assert "{lien}" in body
    preview = page.split('<section class="panel email-preview"')[1].split("</pre>")[0]
    assert preview.endswith(f"Au plaisir de te lire,\n{BLOGGER_NAME}")


def test_series_settings_choose_the_register(blogger_client):
    page = blogger_client.get("/admin/questionnaire").get_data(as_text=True)
    assert '<option selected value="tu">' in page
    settings = {"title_fr": SERIES, "title_en": "", "intro_fr": "", "intro_en": "",
                "reading_list": "", "reminder_days": "7, 14", "max_reminders": "2"}
    refused = blogger_client.post("/admin/questionnaire/settings",
                                  data={**settings, "register": "toi"})
    assert refused.status_code == 422
    assert f"Choisissez «{N}tu{N}» ou «{N}vous{N}»." in refused.get_data(as_text=True)
    assert default_series().register == "tu"
    response = blogger_client.post("/admin/questionnaire/settings",
                                   data={**settings, "register": "vous"})
    assert response.status_code == 303
    db.session.expire_all()
    assert default_series().register == "vous"
    page = blogger_client.get("/admin/questionnaire").get_data(as_text=True)
    assert '<option selected value="vous">' in page


def questionnaire_page(client, token: str) -> str:
    """Return the questionnaire page without its per-request form tokens."""
    html = client.get(f"/r/{token}").get_data(as_text=True)
    return re.sub(r'(name="csrf_token" type="hidden" value|name="csrf-token" content)="[^"]*"',
                  r'\1=""', html)


def test_questionnaire_says_tu_by_default_and_vous_when_set(client):
    _invitation, token = make_invitation()
    tu = questionnaire_page(client, token)
    set_blog_register("vous")
    db.session.commit()
    vous = questionnaire_page(client, token)
    for tu_text, vous_text in [
            ("</span> Toi</legend>", "</span> Vous</legend>"),
            ("</span> Tes réseaux</legend>", "</span> Vos réseaux</legend>"),
            ("Tape ton nom d’utilisateur (par exemple @nom) ou colle l’adresse de ton profil. "
             "Laisse vide ce que tu n’utilises pas.",
             "Tapez votre nom d’utilisateur (par exemple @nom) ou collez l’adresse de votre "
             "profil. Laissez vide ce que vous n’utilisez pas."),
            ("<summary>Tu ne souhaites plus participer?</summary>",
             "<summary>Vous ne souhaitez plus participer?</summary>"),
            ('<label for="display_name">Ton nom, tel qu’il doit paraître',
             '<label for="display_name">Votre nom, tel qu’il doit paraître')]:
        assert (tu_text in tu, tu_text in vous) == (True, False)
        assert (vous_text in tu, vous_text in vous) == (False, True)


def test_english_questionnaire_is_the_same_in_both_registers(client):
    _invitation, token = make_invitation(language="en")
    tu = questionnaire_page(client, token)
    set_blog_register("vous")
    db.session.commit()
    assert without_csrf_token(questionnaire_page(client, token)) == without_csrf_token(tu)
    assert "</span> You</legend>" in tu
