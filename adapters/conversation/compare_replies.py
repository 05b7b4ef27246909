"""What the chat says when an individual asks how their well-being compares with their area's
(/compare, COMPARE): each of their four answers against the area's middle answer (the median), in
words; or why there is nothing to compare (too few in the area, no area, nothing shared, not agreed)."""

from adapters.conversation.messages import Reply
from adapters.conversation.texts import Translate, ngettext
from domain.kernel.catalogue import Catalogue
from domain.reports.wellbeing import PURPOSE, QUESTIONS, WellbeingComparison


def _labels(_: Translate) -> dict[str, str]:
    return {
        "life-satisfaction": _("Life satisfaction"),
        "worthwhile": _("Feeling that the things you do are worthwhile"),
        "happiness": _("Happiness yesterday"),
        "anxiety": _("Anxiety yesterday"),
    }


def number(value: float) -> str:
    """An answer or a median as a person writes it: 7, 6.5."""
    return f"{value:g}"


def _line(_: Translate, label: str, own: float | None, compared) -> str:  # type: ignore[no-untyped-def]
    if compared.withheld is not None or compared.median is None:
        return _("{label}: too few members in your area answered this to compare it.").format(label=label)
    middle = number(compared.median)
    if own is None:
        text = _("{label}: you did not answer this; your area's middle answer is {middle}.")
    elif own < compared.median:
        text = _("{label}: you said {own}, below your area's middle answer of {middle}.")
    elif own > compared.median:
        text = _("{label}: you said {own}, above your area's middle answer of {middle}.")
    else:
        text = _("{label}: you said {own}, the same as your area's middle answer.")
    return text.format(label=label, own=number(own) if own is not None else "", middle=middle)


def compared(_: Translate, comparison: WellbeingComparison, short: bool = False) -> Reply:
    """The member's answers against their area's, or why the area is not compared."""
    if comparison.area is None:
        return Reply(
            _(
                "Your profile does not say which area you live in, so there is no area to compare with. "
                "Send /details to add it."
            )
        )
    area = comparison.area
    if comparison.withheld is not None:
        only = ngettext(
            "Only {count} member in the {area} postcode area agreed to compare their well-being, you included.",
            "Only {count} members in the {area} postcode area agreed to compare their well-being, you included.",
            comparison.peers,
            _,
        ).format(count=comparison.peers, area=area)
        why = _(
            "Answers are compared once there are at least {minimum}, so that no one's answers can be read "
            "from the comparison. Ask again later."
        ).format(minimum=comparison.rules.min_cell)
        return Reply(only + " " + why)
    labels = _labels(_)
    lines = [_("How your well-being compares with members' in the {area} postcode area:").format(area=area)]
    for code, _lower in QUESTIONS:
        lines.append("• " + _line(_, labels[code], comparison.own.get(code), comparison.answers[code]))
    lines.append(_("For anxiety, a lower answer is the better one."))
    among = ngettext(
        "Compared with the answers of {count} member who agreed to compare, you included.",
        "Compared with the answers of {count} members who agreed to compare, you included.",
        comparison.peers,
        _,
    ).format(count=comparison.peers)
    lines.append(among)
    if not short:
        lines.append(_("Only the middle answer of the area is shown, never anyone's own answers."))
    return Reply("\n".join(lines))


def not_agreed(_: Translate, catalogue: Catalogue) -> Reply:
    """Not agreed to the comparison: what it is, and one choice to agree."""
    purpose = catalogue.purpose(PURPOSE)
    text = _(
        "To see how your well-being compares with your area's, agree to {title}. {notice} "
        "Then share how you are feeling with /share."
    ).format(title=purpose.title, notice=purpose.notices[purpose.latest_notice])
    return Reply(text, [[(_("Give: {title}").format(title=purpose.title), f"give:{purpose.code}")]])


def nothing_shared(_: Translate) -> Reply:
    return Reply(
        _(
            "There is nothing to compare yet: share how you are feeling with /share (the well-being questions), "
            "then ask again. Your agreement to compare covers your answers and your area only."
        )
    )


def for_businesses(_: Translate) -> Reply:
    return Reply(
        _(
            "An organisation sees how it compares with its peers in the members' portal, under "
            '"How you compare": send /portal for a link.'
        )
    )
