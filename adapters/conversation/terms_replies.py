"""What the bot says when the membership terms changed since a member agreed to them: that they
changed, in a sentence, the new version's text (on SMS its summary, with /terms for the whole
text), and the question; then what agreeing, or not yet, means. Every sentence is marked for
translation; ``_`` is the member's language."""

from adapters.conversation.messages import Reply
from adapters.conversation.replies import help_text
from adapters.conversation.texts import Translate
from domain.kernel.catalogue import Catalogue

AGREE, NOT_NOW = "newterms:yes:", "newterms:no:"  # + the version shown: a tap agrees to the text it was shown with


def question(_: Translate, version: str) -> Reply:
    return Reply(
        _(
            "Do you agree to version {version}? Until you do, everything works as before; "
            "if you do not agree, you can leave the trust with /leave."
        ).format(version=version),
        [[(_("I agree"), AGREE + version), (_("Not now"), NOT_NOW + version)]],
    )


def terms_changed(_: Translate, catalogue: Catalogue, agreed: str, short: bool) -> Reply:
    """The terms changed since the member agreed to version ``agreed``: the latest, and the question."""
    version = catalogue.latest_terms
    said = _("The membership terms have changed since you agreed to version {agreed}.").format(agreed=agreed)
    summary = catalogue.terms_summary(version) if short else None
    if summary:
        text = (
            said
            + " "
            + _("Version {version}, in short:").format(version=version)
            + " "
            + summary
            + "\n"
            + _("Reply /terms for the whole text.")
        )
    else:
        text = said + " " + _("Here is version {version}:").format(version=version) + "\n\n" + catalogue.terms[version]
    asked = question(_, version)
    return Reply(text + "\n\n" + asked.text, asked.buttons)


def agreed(_: Translate, version: str) -> Reply:
    return Reply(_("Thank you: you have agreed to version {version} of the membership terms.").format(version=version))


def agreed_then_help(_: Translate, version: str, short: bool) -> Reply:
    """Agreed, with nothing else asked for: what the member can do here."""
    return Reply(agreed(_, version).text + "\n\n" + help_text(_, short).text)


def already_agreed(_: Translate, version: str) -> Reply:
    return Reply(
        _("You have already agreed to version {version} of the membership terms; nothing was changed.").format(
            version=version
        )
    )


def not_now(_: Translate) -> Reply:
    return Reply(
        _(
            "That's fine: nothing was recorded, and everything works as before. I will ask again another day. "
            "If you do not agree with the new terms, you can leave the trust with /leave, or leave and have "
            "your personal data destroyed with /forget."
        )
    )
