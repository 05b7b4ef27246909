"""What the bot says while a member shares data with the trust (/share) and shows what they
shared (/mydata): small pure functions from the data standard and the member's submissions to a
``Reply``. Values are shown in words: a choice by its label, money in pounds, yes/no as words."""

from babel.dates import format_date

from adapters.conversation.messages import Reply
from adapters.conversation.replies import in_a_sentence
from adapters.conversation.texts import Translate, day, ngettext
from domain.kernel.catalogue import Catalogue
from domain.kernel.standard import Field, Schema, Standard

SKIP = "share:skip:"  # share:skip:<field>
TYPED = ("number", "money", "percentage", "date", "text", "org-id")  # answered by typing, not by a choice


def title(catalogue: Catalogue, category: str) -> str:
    return catalogue.categories.get(category, category)


def value_words(_: Translate, spec: Field, value: object, language: str = "en") -> str:
    """A shared value as a member reads it, in their language's yes and no and dates."""
    locale = "en_GB" if language == "en" else language
    return spec.words(value, (_("Yes"), _("No")), lambda day: format_date(day, "long", locale=locale))


def overview(
    _: Translate, catalogue: Catalogue, categories: list[str], askable: list[str], last_shared: dict, language: str
) -> Reply:
    """Each category the member may share, with when they last did (or "not yet"); a choice for each asked here."""
    lines = [_("What you can share with the trust, and when you last did:")]
    for category in categories:
        when = last_shared.get(category)
        said = day(when, language) if when is not None else _("not yet")
        line = "• " + _("{label}: {answer}").format(label=title(catalogue, category), answer=said)
        if category not in askable:
            line += " " + elsewhere(_)
        lines.append(line)
    buttons = [[(_("Share: {title}").format(title=title(catalogue, code)), f"share:cat:{code}")] for code in askable]
    if buttons:
        lines += ["", _("Choose one to share. You can skip any question that is not required.")]
    return Reply("\n".join(lines), buttons)


def elsewhere(_: Translate) -> str:
    return _("(This is shared in the members' portal or with a caseworker, not in this chat.)")


def not_known(_: Translate) -> str:
    return _("There is no kind of data by that name to share here.")


def ask(_: Translate, spec: Field, number: int, count: int, short: bool = False) -> Reply:
    """One question of a check-in, with its choices; a skip for a field that is not required.
    By SMS a typed answer's skip is the word SKIP (a number there is the answer, never a choice)."""
    head = _("Question {number} of {count}").format(number=number, count=count) + ": " + spec.asked
    skip = [] if spec.required else [[(_("Skip this question"), f"{SKIP}{spec.code}")]]
    if spec.type in TYPED:
        if spec.required:
            return Reply(head + "\n" + _("Type your answer."))
        if short:
            return Reply(head + "\n" + _("Type your answer, or reply SKIP to skip it."))
        return Reply(head + "\n" + _("Type your answer, or skip it."), skip)
    choices = ("yes", "no") if spec.type == "yes-no" else spec.choices
    labels = {"yes": _("Yes"), "no": _("No")} if spec.type == "yes-no" else {}
    rows = [[(labels.get(c) or spec.choice_label(c), f"share:ans:{spec.code}:{c}")] for c in choices]
    if spec.type == "yes-no":
        rows = [[button for row in rows for button in row]]
    hint = _("Choose an answer.") if spec.required else _("Choose an answer, or skip it.")
    return Reply(head + "\n" + hint, [*rows, *skip])


def unclear(_: Translate, spec: Field, why: str, number: int, count: int, short: bool = False) -> Reply:
    """The question again, after an answer that does not fit, with the standard's sentence saying why."""
    if spec.type in ("choice", "yes-no"):
        sentence = _("{label}: please choose one of the answers shown.").format(label=spec.label)
    else:
        sentence = f"{spec.label} {why}."
    again = ask(_, spec, number, count, short)
    return Reply(
        _("Sorry, that is not an answer I can take here.") + " " + sentence + "\n\n" + again.text, again.buttons
    )


def check(_: Translate, catalogue: Catalogue, schema: Schema, values: dict, nonce: str, language: str) -> Reply:
    """What will be recorded, in words, to confirm or cancel."""
    lines = [_("You are sharing {category}:").format(category=in_a_sentence(_, [title(catalogue, schema.category)]))]
    for code, spec in schema.fields.items():
        shown = value_words(_, spec, values[code], language) if code in values else _("not answered")
        lines.append("• " + _("{label}: {answer}").format(label=spec.label, answer=shown))
    lines += ["", _("Shall the trust record this?")]
    return Reply(
        "\n".join(lines), [[(_("Yes, record it"), f"share:yes:{nonce}"), (_("No, cancel"), f"share:no:{nonce}")]]
    )


def recorded(_: Translate, catalogue: Catalogue, category: str) -> Reply:
    return Reply(
        _("Recorded: {title}. Thank you. See what you have shared with /mydata.").format(
            title=title(catalogue, category)
        )
    )


def cancelled(_: Translate) -> Reply:
    return Reply(_("Cancelled: nothing was recorded. Send /share whenever you want to share."))


def all_skipped(_: Translate) -> Reply:
    return Reply(_("You skipped every question, so there is nothing to record. Nothing was recorded."))


def refused(_: Translate, sentences: list[str]) -> Reply:
    """The standard refused the answers as a whole (shares that do not add up, say): nothing recorded."""
    return Reply(
        _("Sorry, the trust cannot record these answers:")
        + "\n"
        + "\n".join(f"• {sentence}" for sentence in sentences)
        + "\n"
        + _("Nothing was recorded. Send /share to begin again.")
    )


def what_i_shared(
    _: Translate, catalogue: Catalogue, standard: Standard, shared: dict, language: str, short: bool = False
) -> str:
    """Each category's latest values in words, under what /mydata already shows; the standard's
    version only where it is not the latest."""
    if not shared:
        return _("You have not shared any data with the trust yet. Send /share to share some.")
    blocks = []
    for category, submission in shared.items():
        schema = standard.schema(category, submission.version)
        heading = _("{title}, shared on {date}").format(
            title=title(catalogue, category), date=day(submission.shared_at, language)
        )
        if submission.version != standard.schema(category).version:
            heading += " " + _("(version {version} of the data standard)").format(version=submission.version)
        if isinstance(submission.values, list):
            count = len(submission.values)
            records = ngettext("{count} record", "{count} records", count, _).format(count=count)
            blocks.append(f"{heading}: {records}.")
            continue
        values = [
            _("{label}: {answer}").format(
                label=spec.label, answer=value_words(_, spec, submission.values[code], language)
            )
            for code, spec in schema.fields.items()
            if code in submission.values
        ]
        if short:
            blocks.append(f"{heading}: " + "; ".join(values) + ".")
        else:
            blocks.append(heading + ":\n" + "\n".join(f"• {value}" for value in values))
    if short:
        return _("You shared:") + " " + " ".join(blocks)
    return _("What you have shared:") + "\n" + "\n\n".join(blocks)
