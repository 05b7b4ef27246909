"""What the bot says to a member about their consents, their data, leaving and
erasure: small pure functions from facts (read-model rows) to a ``Reply``."""

from adapters.conversation.replies import (
    Reply,
    anonymised_only,
    audience_words,
    categories_in,
    categories_sentence,
    title_of,
    what_yes_covers,
)
from adapters.conversation.texts import Translate, day, moment, ngettext
from domain.kernel.catalogue import PREFER_NOT_TO_SAY, Catalogue
from projections.staff.read_handlers import STAFF_READ

ACTIVE = "active"
INDIVIDUAL = "individual"
SHOWN_ORGANISATIONS = 15
SHOWN_READS = 20  # a Telegram message holds 4,096 characters; the file has every read


def by_purpose(catalogue: Catalogue, consents: list[dict], kind: str = INDIVIDUAL) -> list[tuple[str, list[dict]]]:
    """Each purpose in the catalogue's order with its active consents: every purpose offered to a
    member of this ``kind`` (given or not), then any other purpose the member has an active consent
    for. The order is the purposes', never the consents' state, so a choice keeps its place after a tap."""
    active = [c for c in consents if c["status"] == ACTIVE]
    offered = {p.code for p in catalogue.offered_purposes(kind)}
    order = [code for code in catalogue.purposes if code in offered or any(c["purpose"] == code for c in active)]
    order += sorted({c["purpose"] for c in active} - set(order))
    return [(code, [c for c in active if c["purpose"] == code]) for code in order]


def consents_overview(
    _: Translate,
    catalogue: Catalogue,
    consents: list[dict],
    language: str = "en",
    short: bool = False,
    kind: str = INDIVIDUAL,
) -> Reply:
    """Each purpose in the catalogue's order: its active consents, each with a one-tap "withdraw", or,
    for a purpose offered to a member of this ``kind`` not given, a one-tap "give". ``short`` (SMS):
    titles only, the choices say the rest."""
    if short:
        return _consents_short(_, catalogue, consents, kind)
    entries, buttons = [], []
    grouped = by_purpose(catalogue, consents, kind)
    for code, active in grouped:
        title = title_of(catalogue, code)
        purpose = catalogue.purposes.get(code)
        for consent in active:
            entries.append(_consent_line(_, catalogue, title, purpose, consent, language))
            buttons.append([(_("Withdraw: {title}").format(title=title), f"withdraw:{consent['consent_id'].hex}")])
        if not active and purpose is not None:
            notice = purpose.notices[purpose.latest_notice]
            entries.append(
                f"▫️ {purpose.title}: " + _("not given.") + f" {notice} " + what_yes_covers(_, catalogue, purpose)
            )
            buttons.append([(_("Give: {title}").format(title=purpose.title), f"give:{purpose.code}")])
    head = [_("Your consents:")]
    if not any(active for _code, active in grouped):
        head.append(_("You have not given any consent at the moment."))
    footer = _("One tap gives or withdraws. A withdrawal takes effect at once.")
    return Reply("\n".join(head) + "\n" + "\n\n".join(entries) + "\n\n" + footer, buttons)


def _consent_line(_: Translate, catalogue: Catalogue, title: str, purpose, consent: dict, language: str) -> str:  # type: ignore[no-untyped-def]
    since = day(consent["given_at"], language)
    if purpose is not None and purpose.panels:
        what = anonymised_only(_, catalogue, consent.get("audience_organisation"), consent.get("audience_kind"))
        return _("✅ {title}: {what} (Since {since}.)").format(title=title, what=what, since=since)
    return _("✅ {title}: {audience} may see {categories} (since {since}).").format(
        title=title,
        audience=audience_words(_, catalogue, consent.get("audience_organisation"), consent.get("audience_kind")),
        categories=categories_sentence(_, catalogue, consent["categories"]),
        since=since,
    )


def _consents_short(_: Translate, catalogue: Catalogue, consents: list[dict], kind: str) -> Reply:
    grouped = by_purpose(catalogue, consents, kind)
    titles = [title_of(catalogue, code) for code, active in grouped if active]
    text = (
        _("Your consents: {titles}.").format(titles=", ".join(titles))
        if titles
        else _("You have not given any consent at the moment.")
    )
    buttons = []
    for code, active in grouped:
        title = title_of(catalogue, code)
        buttons += [[(_("Withdraw: {title}").format(title=title), f"withdraw:{c['consent_id'].hex}")] for c in active]
        if not active and code in catalogue.purposes:
            buttons.append([(_("Give: {title}").format(title=title), f"give:{code}")])
    return Reply(text, buttons)


def withdrawn(_: Translate, catalogue: Catalogue, purpose: str) -> str:
    return _("Withdrawn: {title}. From now on no organisation can read your data for this.").format(
        title=title_of(catalogue, purpose)
    )


def given(_: Translate, catalogue: Catalogue, purpose: str) -> str:
    return _("Given: {title}.").format(title=title_of(catalogue, purpose))


def my_data(
    _: Translate,
    catalogue: Catalogue,
    held: dict,
    could_see: list[dict],
    reads: list[dict],
    language: str = "en",
    short: bool = False,
    stopped: list[str] | tuple[str, ...] = (),
) -> Reply:
    """What the trust holds, who could see it, who read it. ``short`` (SMS): counts and the latest
    few, without the profile answers; ``stopped``: the channels the member stopped messages on."""
    if short:
        return _my_data_short(_, catalogue, held, could_see, reads, language, stopped)
    lines = [_("What the trust holds about you:")]
    lines.append(_("Name: {name}").format(name=held.get("name", "—")))
    lines.append(_("Reference code: {code}").format(code=held["reference_code"]))
    for code, answer in _profile_answers(_, catalogue, held):
        label = catalogue.profile[code].short_label if code in catalogue.profile else code
        lines.append(_("{label}: {answer}").format(label=label, answer=answer))
    if held.get("contact"):
        lines.append(_("How to reach you: {contact}").format(contact=held["contact"]))
    if held.get("telegram_chat") is not None:
        lines.append(_("This chat, to reach you."))
    if held.get("sms_number"):
        lines.append(_("Your number for text messages: {number}").format(number=held["sms_number"]))
    if held.get("whatsapp_number"):
        lines.append(_("Your number for WhatsApp: {number}").format(number=held["whatsapp_number"]))
    lines += _stopped_lines(_, stopped)
    lines += ["", _("Who could see it now:")]
    if len(could_see) > SHOWN_ORGANISATIONS:
        lines.append(
            ngettext(
                "{shown} of {count} organisation (the file has them all):",
                "{shown} of {count} organisations (the file has them all):",
                len(could_see),
                _,
            ).format(shown=SHOWN_ORGANISATIONS, count=len(could_see))
        )
    for entry in could_see[:SHOWN_ORGANISATIONS]:
        readable = _readable_categories(catalogue, entry)
        if not readable:  # a panels purpose only: the organisation gets counts, never the data
            lines.append(
                _("• {organisation}: only anonymised counts of panel answers").format(
                    organisation=entry["organisation"]
                )
            )
            continue
        lines.append(
            _("• {organisation}: {categories}").format(
                organisation=entry["organisation"], categories=categories_in(catalogue, readable)
            )
        )
    if not could_see:
        lines.append(_("Nobody outside the trust."))
    lines += ["", _("Who has read it:")]
    if len(reads) > SHOWN_READS:
        lines.append(
            ngettext(
                "The latest {shown} of {count} read (the file has them all):",
                "The latest {shown} of {count} reads (the file has them all):",
                len(reads),
                _,
            ).format(shown=SHOWN_READS, count=len(reads))
        )
    for read in reads[-SHOWN_READS:]:
        if read["what"] == STAFF_READ:  # by the day only, already in the text
            lines.append(f"• {read['text']}")
        else:
            lines.append(f"• {moment(read['recorded_at'], language)}: {read['text']}")
    if not reads:
        lines.append(_("Nobody has read it."))
    return Reply("\n".join(lines), [[(_("Download all of it as a file"), "mydata:file")]])


def _profile_answers(_: Translate, catalogue: Catalogue, held: dict) -> list[tuple[str, str]]:
    """The member's profile answers in catalogue order, each in words ("In another way", "Prefer not to say")."""
    answers = held.get("profile", {})
    order = [code for code in catalogue.profile if code in answers] + sorted(set(answers) - set(catalogue.profile))
    shown = []
    for code in order:
        answer = answers[code]
        if answer == PREFER_NOT_TO_SAY:
            shown.append((code, _("Prefer not to say")))
        elif code in catalogue.profile:
            shown.append((code, catalogue.profile[code].choice_label(answer)))
        else:
            shown.append((code, answer))
    return shown


def _readable_categories(catalogue: Catalogue, entry: dict) -> list[str]:
    """The categories an organisation could read: not those it has only under a panels purpose
    (community insight), which gives it anonymised counts and never a member's data."""
    consents = entry.get("consents")
    if not consents:
        return list(entry["categories"])
    found: list[str] = []
    for consent in consents:
        purpose = catalogue.purposes.get(consent["purpose"])
        if purpose is not None and purpose.panels:
            continue
        found += [code for code in consent["categories"] if code not in found]
    return [code for code in entry["categories"] if code in found]


NETWORK_NAMES = {"telegram": "Telegram", "sms": "SMS", "whatsapp": "WhatsApp"}


def _stopped_lines(_: Translate, stopped: list[str] | tuple[str, ...]) -> list[str]:
    """Stopping messages is not withdrawing consent: say both."""
    if not stopped:
        return []
    where = ", ".join(NETWORK_NAMES.get(network, network) for network in stopped)
    return [_("You stopped the trust's messages on {where}. Your consents are unchanged.").format(where=where)]


def _my_data_short(
    _: Translate,
    catalogue: Catalogue,
    held: dict,
    could_see: list[dict],
    reads: list[dict],
    language: str,
    stopped: list[str] | tuple[str, ...],
) -> Reply:
    lines = [
        _("The trust holds your name ({name}), reference {code}.").format(
            name=held.get("name", "—"), code=held["reference_code"]
        )
    ]
    if could_see:
        names = ", ".join(entry["organisation"] for entry in could_see[:3])
        more = len(could_see) - 3
        lines.append(
            _("Could see it now: {names}.").format(names=names)
            if more <= 0
            else _("Could see it now: {names} and {more} more.").format(names=names, more=more)
        )
    else:
        lines.append(_("Nobody outside the trust could see it now."))
    answers = [answer for _code, answer in _profile_answers(_, catalogue, held)]
    if answers:
        lines.append(_("Your answers: {answers}.").format(answers=", ".join(answers)))
    if reads:
        latest = reads[-1]
        if latest["what"] == STAFF_READ:  # by the day only, already in the text
            last = latest["text"]
        else:
            last = f"{moment(latest['recorded_at'], language)}, {latest['text']}"
        read = ngettext("Read {count} time; latest: {last}.", "Read {count} times; latest: {last}.", len(reads), _)
        lines.append(read.format(count=len(reads), last=last))
    else:
        lines.append(_("Nobody has read it."))
    lines += _stopped_lines(_, stopped)
    lines.append(_("For all of it, ask a caseworker."))
    return Reply(" ".join(lines))


def leave_question(_: Translate, member: str) -> Reply:
    return Reply(
        _(
            "Leaving the trust means:\n"
            "• every consent stops at once, so no organisation can read your data any more;\n"
            "• your data stays sealed in the trust, with the record of what you agreed and who read it, "
            "so the trustees can answer for it;\n"
            "• this chat is no longer linked to you.\n\n"
            "If you want your personal data destroyed as well, use /forget instead.\n\n"
            "Do you want to leave?"
        ),
        [[(_("Yes, leave"), f"leave:yes:{member}"), (_("No, stay"), f"leave:no:{member}")]],
    )


def left(_: Translate) -> str:
    return _(
        "You have left the trust. No organisation can read your data any more. "
        "Thank you for being a member. To have your data destroyed, ask a caseworker."
    )


def forget_question(_: Translate, member: str) -> Reply:
    return Reply(
        _(
            "Forgetting you means you leave the trust and:\n"
            "Destroyed: your name, your contact details, your panel answers and this chat's link to you. "
            "The key that opens them is destroyed, so nobody can ever read them again.\n"
            "Kept: facts that no longer say who you are: that a member joined and left, which consents "
            "existed and when, and which organisations read which kinds of data, and when. The trustees "
            "must be able to answer for those.\n\n"
            "This cannot be undone. Do you want your personal data destroyed?"
        ),
        [[(_("Yes, destroy my data"), f"forget:yes:{member}"), (_("No, keep it"), f"forget:no:{member}")]],
    )


def forgotten(_: Translate) -> str:
    return _("Done: your personal data has been destroyed and this chat is no longer linked to you. Goodbye.")


def kept(_: Translate) -> str:
    return _("Nothing has changed: you are still a member.")


def _answer_words(_: Translate, question, answer: str | None) -> str:  # type: ignore[no-untyped-def]
    if answer is None:
        return _("not answered")
    if answer == PREFER_NOT_TO_SAY:
        return _("Prefer not to say")
    return question.choice_label(answer)


def my_details(_: Translate, catalogue: Catalogue, held: dict) -> Reply:
    """The member's profile answers, each with a choice to change it."""
    answers = held.get("profile", {})
    lines = [_("Your details:")]
    buttons = []
    for code, question in catalogue.profile.items():
        lines.append(
            _("{label}: {answer}").format(
                label=question.short_label, answer=_answer_words(_, question, answers.get(code))
            )
        )
        buttons.append([(_("Change: {label}").format(label=question.short_label), f"detail:{code}")])
    lines += ["", _("Which do you want to change?")]
    return Reply("\n".join(lines), buttons)


def ask_detail(_: Translate, question) -> Reply:  # type: ignore[no-untyped-def]
    not_say = [(_("Prefer not to say"), f"detail:{question.code}:{PREFER_NOT_TO_SAY}")]
    if question.pattern:
        return Reply(question.question + "\n" + _("Type your answer."), [not_say])
    rows = [[(question.choice_label(choice), f"detail:{question.code}:{choice}")] for choice in question.choices]
    return Reply(question.question + "\n" + _("Choose an answer."), [*rows, not_say])


def detail_changed(_: Translate, question, answer: str) -> Reply:  # type: ignore[no-untyped-def]
    return Reply(
        _("Changed: {label} is now “{answer}”. See everything the trust holds with /mydata.").format(
            label=question.short_label, answer=_answer_words(_, question, answer)
        )
    )


def read_words(_: Translate, catalogue: Catalogue, entry: dict) -> str:
    """An organisation's read of the member's data, in the catalogue's words."""
    organisation = entry.get("organisation") or _("An organisation")
    title = title_of(catalogue, entry["purpose"])
    if entry["what"] == "read refused" or not entry.get("categories"):
        return _("{organisation} was refused {categories} for {title}.").format(
            organisation=organisation,
            categories=categories_sentence(_, catalogue, entry.get("refused", [])),
            title=title,
        )
    text = _("{organisation} read {categories} for {title}.").format(
        organisation=organisation, categories=categories_sentence(_, catalogue, entry["categories"]), title=title
    )
    if entry.get("refused"):
        text += " " + _("Refused: {categories}.").format(categories=categories_sentence(_, catalogue, entry["refused"]))
    return text
