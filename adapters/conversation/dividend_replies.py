"""What the trust says about a member's dividend from the co-op's surplus (in /mydata): the
amount and where it goes, with a choice to give it to a community project instead. Pure
functions from facts to a ``Reply``."""

from adapters.conversation.messages import Reply
from adapters.conversation.texts import Translate

PREFIX = "dividend:"  # dividend:<year>, then dividend:<year>:<project number>


def pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def dividends(_: Translate, rows: list[dict]) -> Reply:
    """Each year's dividend, the latest first; one choice per year still paid to the member."""
    lines, buttons = [], []
    for row in rows:
        amount = pounds(row["amount_pence"])
        if row["given_to"]:
            lines.append(
                _("Your dividend from the {year} surplus: {amount}. You gave it to {project}.").format(
                    year=row["year"], amount=amount, project=row["given_to"]
                )
            )
            continue
        lines.append(
            _("Your dividend from the {year} surplus: {amount}. It will be paid to you.").format(
                year=row["year"], amount=amount
            )
        )
        if row["projects"]:
            label = _("Give my {year} dividend to a community project").format(year=row["year"])
            buttons.append([(label, f"{PREFIX}{row['year']}")])
    return Reply("\n".join(lines), buttons)


def projects(_: Translate, row: dict) -> Reply:
    text = _(
        "Which community project should have your {year} dividend of {amount}? Once given, it cannot be taken back."
    ).format(year=row["year"], amount=pounds(row["amount_pence"]))
    buttons = [[(project, f"{PREFIX}{row['year']}:{n}")] for n, project in enumerate(row["projects"])]
    return Reply(text, buttons)


def given(_: Translate, row: dict, project: str) -> Reply:
    return Reply(
        _("Thank you: your {year} dividend of {amount} goes to {project}.").format(
            year=row["year"], amount=pounds(row["amount_pence"]), project=project
        )
    )
