"""What the bot says while someone joins or confirms: small pure functions from
facts to a ``Reply`` (text and buttons). Every sentence is marked for translation;
``_`` is the member's language."""

from adapters.conversation.messages import NOTICE, Button, Reply
from adapters.conversation.texts import Translate, ngettext
from domain.kernel.catalogue import THE_TRUST, Catalogue, ProfileQuestion, Purpose

__all__ = ["Button", "Reply"]


def title_of(catalogue: Catalogue, purpose: str) -> str:
    return catalogue.purposes[purpose].title if purpose in catalogue.purposes else purpose


def categories_in(catalogue: Catalogue, codes: list[str] | tuple[str, ...]) -> str:
    """Data categories in the catalogue's words: "Your housing situation; How you say you are feeling"."""
    return "; ".join(catalogue.categories.get(code, code) for code in codes)


def in_a_sentence(_: Translate, items: list[str]) -> str:
    """Items in a sentence: "a and b", "a, b, and c" (the catalogue's titles begin with a capital: lowered here)."""
    words = [item[:1].lower() + item[1:] for item in items]
    if len(words) <= 1:
        return "".join(words)
    if len(words) == 2:
        return _("{first} and {last}").format(first=words[0], last=words[1])
    return _("{items}, and {last}").format(items=", ".join(words[:-1]), last=words[-1])


def categories_sentence(_: Translate, catalogue: Catalogue, codes: list[str] | tuple[str, ...]) -> str:
    """Data categories in the catalogue's words, in a sentence: "how to reach you and your housing situation"."""
    return in_a_sentence(_, [catalogue.categories.get(code, code) for code in codes])


def kind_plural(catalogue: Catalogue, kind: str) -> str:
    """An organisation kind as the catalogue names it, in the plural: "social lenders"."""
    return catalogue.kind_label(kind).lower() + "s"


def audience_words(
    _: Translate, catalogue: Catalogue, organisation: str | None, kind: str | None, begins: bool = True
) -> str:
    """Who a consent reaches: "Eden Valley Credit Union", "Approved social lenders" (``begins`` a
    sentence) or "approved social lenders"."""
    if organisation:
        return organisation
    if kind == THE_TRUST:
        return _("Only the trust itself, for anonymised comparisons,") if begins else _("only the trust itself")
    kinds = kind_plural(catalogue, kind or "")
    return _("Approved {kinds}").format(kinds=kinds) if begins else _("approved {kinds}").format(kinds=kinds)


def announcement_message(text: str, _: Translate) -> str:
    """An announcement as a chat shows it (Telegram, WhatsApp free-form): who it is from, then the text."""
    return _("From the trust:") + "\n\n" + text


def commands_list(_: Translate) -> str:
    return "\n".join(
        (
            _("/consents — see and change who may see your data"),
            _("/mydata — what the trust holds about you, and who has read it"),
            _("/share — share your data with the trust, a few questions at a time"),
            _("/compare — how your well-being compares with your area's"),
            _("/details — change your area and your other answers"),
            _("/vote — vote on the trust's proposals"),
            _("/panel — answer the community panels you are on"),
            _("/ask — write to a person at the trust (a caseworker)"),
            _("/portal — a link to the members' web portal"),
            _("/here — get the trust's news here rather than on your other channels"),
            _("/leave — leave the trust"),
            _("/forget — leave and have your personal data destroyed"),
            _("/help — this list"),
        )
    )


def welcome(_: Translate, short: bool = False) -> Reply:
    buttons = [[(_("I'm new: join"), "start:new")], [(_("I have a reference code"), "start:code")]]
    if short:
        return Reply(
            _(
                "Welcome to the data trust. Members decide, purpose by purpose, which organisations may see "
                "their data, and see every read. Are you new, or did a caseworker give you a reference code?"
            ),
            buttons,
        )
    return Reply(
        _(
            "Welcome to the data trust. 👋\n\n"
            "Members share data with the trust and decide, purpose by purpose, which organisations "
            "may see it. Every read is recorded and you can see it here. Joining takes about two minutes.\n\n"
            "Are you new, or did a caseworker give you a reference code?"
        ),
        buttons,
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


def agree_question(_: Translate) -> Reply:
    return Reply(_("Do you agree?"), [[(_("I agree"), "terms:yes"), (_("Not now"), "terms:no")]])


def terms_summary(_: Translate, catalogue: Catalogue) -> Reply:
    """For SMS: the terms' short summary; TERMS sends the whole text (recorded with the agreement)."""
    version = catalogue.latest_terms
    return Reply(
        _("The membership terms (version {version}), in short:").format(version=version)
        + " "
        + (catalogue.terms_summary(version) or "")
        + "\n"
        + _("Reply /terms for the whole text.")
        + " "
        + _("Do you agree?"),
        agree_question(_).buttons,
    )


def whole_terms(_: Translate, catalogue: Catalogue) -> Reply:
    version = catalogue.latest_terms
    return Reply(
        _("The membership terms (version {version}):").format(version=version) + "\n\n" + catalogue.terms[version]
    )


def whole_notice(_: Translate, catalogue: Catalogue, purpose: Purpose) -> Reply:
    """The whole notice of a purpose, then its question again."""
    question = offer(_, catalogue, purpose, short=True)
    return Reply(f"{purpose.title}: {purpose.notices[purpose.latest_notice]}", question.buttons)


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
    rows = [[(question.choice_label(choice), f"answer:{question.code}:{choice}")] for choice in question.choices]
    return Reply(question.question + "\n" + _("Choose an answer, or skip it."), [*rows, skip])


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


def offer(_: Translate, catalogue: Catalogue, purpose: Purpose, short: bool = False) -> Reply:
    """One yes/no question for an offered purpose. ``short`` (SMS): its one-line summary, with
    the whole notice as a third choice."""
    assert purpose.offer is not None
    if short:
        return Reply(
            f"{purpose.title}: {purpose.summary} " + _("Do you agree?"),
            [
                [(_("Yes"), f"offer:{purpose.code}:yes"), (_("No"), f"offer:{purpose.code}:no")],
                [(_("Read the whole notice"), f"offer:{purpose.code}:notice")],
            ],
        )
    return Reply(
        f"{purpose.title}\n{purpose.notices[purpose.latest_notice]}\n\n"
        + what_yes_covers(_, catalogue, purpose)
        + "\n\n"
        + _("Do you agree to this?"),
        [[(_("Yes"), f"offer:{purpose.code}:yes"), (_("No"), f"offer:{purpose.code}:no")]],
    )


def what_yes_covers(_: Translate, catalogue: Catalogue, purpose: Purpose) -> str:
    """What a "yes" in the chat gives, in a sentence: members choose no categories here. For a
    panels purpose, what is true: organisations get only anonymised counts, never the answers."""
    assert purpose.offer is not None
    if purpose.panels:
        return _("Your “yes” puts you in the pool from which the trust draws community panels. {audience}").format(
            audience=anonymised_only(_, catalogue, None, purpose.offer.kind)
        )
    if purpose.within_trust:
        return _("Your “yes” lets only the trust itself use {categories}, for this; no organisation sees them.").format(
            categories=categories_sentence(_, catalogue, purpose.offer.categories)
        )
    return _("Your “yes” lets {audience} see {categories}.").format(
        audience=audience_words(_, catalogue, None, purpose.offer.kind, begins=False),
        categories=categories_sentence(_, catalogue, purpose.offer.categories),
    )


def anonymised_only(_: Translate, catalogue: Catalogue, organisation: str | None, kind: str | None) -> str:
    """What a panels purpose lets organisations have: counts, never a member's answers."""
    return _(
        "{audience} get only anonymised counts of panel answers: never your answers, and never who you are."
    ).format(audience=audience_words(_, catalogue, organisation, kind))


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
    wait = ngettext(
        "Too many wrong codes from this chat. Please wait {minutes} minute and try again.",
        "Too many wrong codes from this chat. Please wait {minutes} minutes and try again.",
        minutes,
        _,
    )
    return Reply(wait.format(minutes=minutes))


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


def number_already_member(_: Translate) -> Reply:
    return Reply(
        _(
            "This number already belongs to a member of the trust. If it was someone else's and a "
            "caseworker gave you a reference code, choose below."
        ),
        [[(_("I have a reference code"), "start:code")]],
    )


def not_a_member(_: Translate) -> Reply:
    return Reply(_("This chat is not linked to a member of the trust. Send /start to join."))


def help_text(_: Translate, short: bool = False) -> Reply:
    """What the trust can do here. ``short`` (SMS): one text, which also says what carriers require
    of a HELP answer: who is writing and how to stop messages."""
    if short:
        return Reply(
            _(
                "Data trust: reply /consents, /mydata, /details, /vote, /panel, /ask, /leave or /forget, "
                "or /start to join. "
                "STOP stops our messages (your consents stay as they are)."
            )
            + " "
            + _("Reply /share to share your data with the trust.")
        )
    return Reply(_("Here is what I can do:") + "\n" + _("/start — join the trust") + "\n" + commands_list(_))


def news_here(_: Translate, already: bool) -> Reply:
    if already:
        return Reply(_("The trust's news already comes to you here. Nothing was changed."))
    return Reply(_("From now on the trust's news comes to you here first. Your consents are unchanged."))


def stop_line(_: Translate) -> str:
    return _("STOP — stop the trust's messages here (your consents stay as they are)")


def not_understood(_: Translate, short: bool = False) -> Reply:
    return Reply(_("Sorry, I did not understand that.") + "\n\n" + help_text(_, short).text)


def messages_stopped(_: Translate) -> Reply:
    return Reply(
        _(
            "You will get no more of the trust's messages here. Your consents are as they were: "
            "to withdraw one, send /consents. Send START to get messages again."
        )
    )


def messages_started(_: Translate) -> Reply:
    return Reply(
        _("You will get the data trust's messages here again. Your consents are as they were. Send STOP to stop.")
    )


def stale_choice(_: Translate) -> str:
    return _("That choice is from an earlier message, or no longer open; nothing was changed.")


def stale(_: Translate) -> Reply:
    """A choice that is stale, forged or no longer open: a notice (on Telegram, the tap's answer)."""
    return Reply(stale_choice(_), shown=NOTICE)


def answer_above(_: Translate) -> str:
    return _("Please answer the question above, or send /cancel to stop.")


def no_choice_waiting(_: Translate, short: bool = False) -> Reply:
    return Reply(_("There is nothing to choose just now; nothing was changed.") + "\n\n" + help_text(_, short).text)


def not_a_choice(_: Translate, count: int) -> Reply:
    return Reply(_("Please reply with a number from 1 to {count}.").format(count=count))


def slow_down(_: Translate) -> Reply:
    return Reply(_("You are sending messages faster than I can read them. I will answer again in a moment."))


def went_wrong(_: Translate) -> Reply:
    return Reply(_("Sorry, something went wrong on our side. Please try again in a moment."))
