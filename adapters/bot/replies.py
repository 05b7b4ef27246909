"""What the bot says while someone joins or confirms: small pure functions from
facts to a ``Reply`` (text and buttons). Every sentence is marked for translation;
``_`` is the member's language."""

from dataclasses import dataclass, field

from adapters.bot.texts import Translate
from domain.kernel.catalogue import Catalogue, ProfileQuestion, Purpose

Button = tuple[str, str]  # (label, callback data)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)


def title_of(catalogue: Catalogue, purpose: str) -> str:
    return catalogue.purposes[purpose].title if purpose in catalogue.purposes else purpose


def categories_in(catalogue: Catalogue, codes: list[str] | tuple[str, ...]) -> str:
    """Data categories in the catalogue's words: "Your housing situation; How you say you are feeling"."""
    return "; ".join(catalogue.categories.get(code, code) for code in codes)


def announcement_message(text: str, _: Translate) -> str:
    """An announcement as a chat shows it (Telegram, WhatsApp free-form): who it is from, then the text."""
    return _("From the trust:") + "\n\n" + text


def commands_list(_: Translate) -> str:
    return "\n".join(
        (
            _("/consents — see and change who may see your data"),
            _("/mydata — what the trust holds about you, and who has read it"),
            _("/vote — vote on the trust's proposals"),
            _("/panel — answer the community panels you are on"),
            _("/leave — leave the trust"),
            _("/forget — leave and have your personal data destroyed"),
            _("/help — this list"),
        )
    )


def welcome(_: Translate) -> Reply:
    return Reply(
        _(
            "Welcome to the data trust. 👋\n\n"
            "Members share data with the trust and decide, purpose by purpose, which organisations "
            "may see it. Every read is recorded and you can see it here. Joining takes about two minutes.\n\n"
            "Are you new, or did a caseworker give you a reference code?"
        ),
        [[(_("I'm new: join"), "start:new")], [(_("I have a reference code"), "start:code")]],
    )


def terms(_: Translate, catalogue: Catalogue) -> Reply:
    version = catalogue.latest_terms
    return Reply(
        _("The membership terms (version {version}):").format(version=version)
        + "\n\n"
        + catalogue.terms[version]
        + "\n\n"
        + _("Do you agree?"),
        [[(_("I agree"), "terms:yes"), (_("Not now"), "terms:no")]],
    )


def not_now(_: Translate) -> Reply:
    return Reply(_("That's fine: nothing has been recorded. Send /start whenever you want to join."))


def ask_name(_: Translate) -> Reply:
    return Reply(_("What name or nickname should the trust use for you? Please type it."))


def name_refused(_: Translate, limit: int) -> Reply:
    return Reply(_("Please type a name of 1 to {limit} letters, on one line.").format(limit=limit))


def ask_question(_: Translate, question: ProfileQuestion) -> Reply:
    skip = [(_("Skip this question"), f"skip:{question.code}")]
    if question.pattern:
        return Reply(question.question + "\n" + _("Type your answer, or skip it."), [skip])
    rows = [[(choice, f"answer:{question.code}:{choice}")] for choice in question.choices]
    return Reply(question.question + "\n" + _("Tap an answer, or skip it."), [*rows, skip])


def answer_refused(_: Translate, question: ProfileQuestion) -> Reply:
    reply = ask_question(_, question)
    return Reply(_("Sorry, that is not an answer I can take here.") + "\n\n" + reply.text, reply.buttons)


def joined(_: Translate, code: str) -> Reply:
    return Reply(
        _(
            "You are a member now. Thank you! 🎉\n"
            "Your reference code is {code}. Keep it: a caseworker can find you with it."
        ).format(code=code)
    )


def offer(_: Translate, catalogue: Catalogue, purpose: Purpose) -> Reply:
    assert purpose.offer is not None
    kind = catalogue.organisation_kinds[purpose.offer.kind]
    categories = categories_in(catalogue, purpose.offer.categories)
    return Reply(
        f"{purpose.title}\n{purpose.notices[purpose.latest_notice]}\n\n"
        + _("Who: every approved organisation of the kind “{kind}”.").format(kind=kind)
        + "\n"
        + _("What: {categories}.").format(categories=categories)
        + "\n\n"
        + _("Do you agree to this?"),
        [[(_("Yes"), f"offer:{purpose.code}:yes"), (_("No"), f"offer:{purpose.code}:no")]],
    )


def offer_answered(_: Translate, purpose: Purpose, given: bool) -> str:
    if given:
        return _("✅ {title}: given.").format(title=purpose.title)
    return _("▫️ {title}: not given.").format(title=purpose.title)


def all_set(_: Translate) -> Reply:
    return Reply(_("All set. You can change any of these choices at any time.") + "\n\n" + commands_list(_))


def ask_code(_: Translate) -> Reply:
    return Reply(_("Please type the reference code from your form. It looks like ABCD-EFGH."))


def code_refused(_: Translate) -> Reply:
    return Reply(
        _(
            "That code does not match a membership waiting to be confirmed. "
            "Check it and type it again, or ask your caseworker."
        )
    )


def too_many_codes(_: Translate, minutes: int) -> Reply:
    return Reply(
        _("Too many wrong codes from this chat. Please wait {minutes} minutes and try again.").format(minutes=minutes)
    )


def confirmed(_: Translate) -> Reply:
    return Reply(
        _(
            "Thank you: your membership is confirmed. The choices on your form now apply. "
            "You can see or change them with /consents."
        )
        + "\n\n"
        + commands_list(_)
    )


def already_member(_: Translate) -> Reply:
    return Reply(_("This chat already belongs to a member of the trust.") + "\n\n" + commands_list(_))


def not_a_member(_: Translate) -> Reply:
    return Reply(_("This chat is not linked to a member of the trust. Send /start to join."))


def help_text(_: Translate) -> Reply:
    return Reply(_("Here is what I can do:") + "\n" + _("/start — join the trust") + "\n" + commands_list(_))


def not_understood(_: Translate) -> Reply:
    return Reply(_("Sorry, I did not understand that.") + "\n\n" + help_text(_).text)


def stale_button(_: Translate) -> str:
    return _("That button is from an earlier message; nothing was changed.")


def slow_down(_: Translate) -> Reply:
    return Reply(_("You are sending messages faster than I can read them. I will answer again in a moment."))


def went_wrong(_: Translate) -> Reply:
    return Reply(_("Sorry, something went wrong on our side. Please try again in a moment."))
