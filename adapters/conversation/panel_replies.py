"""What the bot says about community panels: the invitation, each question, the
summary before sending, and the thanks. Pure functions from facts to a ``Reply``."""

from datetime import datetime

from adapters.conversation.replies import Reply
from adapters.conversation.texts import Translate, moment, ngettext
from domain.insight.disclosure.release import Question

CHOSEN = "✅ "


def no_panels(_: Translate) -> Reply:
    return Reply(
        _(
            "You are not on an open community panel just now. When the trust draws a panel that "
            "includes you, you will get a message here."
        )
    )


def invitation(_: Translate, invitation, min_cell: int, language: str) -> Reply:  # type: ignore[no-untyped-def]
    """One open panel this member sits on, with what they can do about it."""
    questions = len(invitation.questions)
    lines = [
        _("Community panel: {title}").format(title=invitation.title),
        ngettext(
            "{count} question, open until {closes}.", "{count} questions, open until {closes}.", questions, _
        ).format(count=questions, closes=moment(invitation.closes_at, language)),
        _(
            "Your answers are counted anonymously: the organisation that asked sees only totals for "
            "groups of at least {min_cell} members, never who said what."
        ).format(min_cell=min_cell),
    ]
    if invitation.answered:
        lines.append(_("You have answered; you can change your answers until it closes."))
        start = _("Change my answers")
    else:
        start = _("Answer now")
    hexed = invitation.request_id.hex
    return Reply(
        "\n\n".join(lines),
        [[(start, f"panel:go:{hexed}")], [(_("Leave this panel"), f"panel:leave:{hexed}")]],
    )


def question(_: Translate, questions: list[Question], index: int, ticked: list[str] | None = None) -> Reply:
    asked = questions[index]
    heading = _("Question {number} of {count}").format(number=index + 1, count=len(questions))
    text = f"{heading}\n\n{asked.text}"
    skip = [(_("Skip this question"), f"panel:skip:{index}")]
    if asked.kind == "text":
        hint = _("Type your answer in one message (up to 1,000 characters), or skip it.")
        return Reply(f"{text}\n\n{hint}", [skip])
    if asked.kind == "multiple":
        ticked = ticked or []
        rows = [
            [((CHOSEN if option in ticked else "") + option, f"panel:t:{index}:{number}")]
            for number, option in enumerate(asked.options)
        ]
        hint = _("Choose every answer that applies, then Done.")
        return Reply(f"{text}\n\n{hint}", [*rows, [(_("Done"), f"panel:done:{index}")], skip])
    rows = [[(option, f"panel:a:{index}:{number}")] for number, option in enumerate(asked.options)]
    if asked.kind == "scale":
        rows = [[(option, f"panel:a:{index}:{number}") for number, option in enumerate(asked.options)]]
    return Reply(text, [*rows, skip])


def summary(_: Translate, questions: list[Question], answers: dict) -> Reply:
    lines = [_("Your answers:")]
    for asked in questions:
        given = answers.get(asked.code)
        if given is None or given == []:
            shown = _("(skipped)")
        elif isinstance(given, list):
            shown = ", ".join(given)
        else:
            shown = given
        lines.append(f"• {asked.text}\n  {shown}")
    again = [(_("Start again"), "panel:again")]
    if not any(given not in (None, []) for given in answers.values()):
        lines.append(_("You skipped every question, so there is nothing to send."))
        return Reply("\n".join(lines), [again])
    return Reply("\n".join(lines), [[(_("Send my answers"), "panel:send")], again])


def recorded(_: Translate, closes_at: datetime, language: str) -> Reply:
    return Reply(
        _("Thank you: your answers are recorded. You can change them with /panel until {closes}.").format(
            closes=moment(closes_at, language)
        )
    )


def use_the_buttons(_: Translate) -> Reply:
    return Reply(_("Please answer this question with the buttons above, or skip it."))


def too_long(_: Translate) -> Reply:
    return Reply(_("That is longer than 1,000 characters; please shorten it and send it again."))


def leave_question(_: Translate, title: str, hexed: str) -> Reply:
    return Reply(
        _(
            "Leave the panel “{title}”? Your answers for it will not be counted, and another member may be "
            "invited to take your place."
        ).format(title=title),
        [[(_("Yes, leave this panel"), f"panel:left:{hexed}")], [(_("No, stay"), "panel:stay")]],
    )


def left_panel(_: Translate) -> Reply:
    return Reply(
        _("You have left this panel. To stop being drawn for panels at all, withdraw “Community insight” in /consents.")
    )


def stayed(_: Translate) -> Reply:
    return Reply(_("You are still on the panel. Send /panel to answer."))


def refused(reason: str) -> Reply:
    return Reply(reason)
