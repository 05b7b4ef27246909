"""Joining through the bot: the real PTB client against the fake Telegram."""

import pytest

from tests.bot.conftest import join

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def test_a_new_member_joins_with_terms_name_area_and_consents(chat_with, views, services):
    mary = chat_with("Mary")

    mary.send("/start from-a-poster")  # a deep link (t.me/<bot>?start=...) is /start too
    assert "Are you new" in mary.last_text
    mary.press("I'm new: join")
    assert "membership terms (version 2)" in mary.last_text
    # What is sold, and what never is, as the insight notice says too.
    assert "never sells it" in mary.last_text
    assert "does sell community insight reports, made only from anonymised counts" in mary.last_text
    mary.press("I agree")
    assert "name or nickname" in mary.last_text
    mary.send("Mary Dixon")
    assert "postcode district" in mary.last_text
    mary.send("ca1")
    assert "age band" in mary.last_text
    mary.press("25-34")
    # Choices in words, never the catalogue's codes.
    assert [label for label, _data in mary.last.buttons[:4]] == ["Woman", "Man", "Non-binary", "In another way"]
    mary.press("Skip this question")  # gender
    mary.press("Skip this question")  # household
    assert "You are a member now" in mary.messages[-2].text
    assert "Affordable credit" in mary.last_text
    # What her "yes" covers, in words: she chooses no categories here, and is not told she does.
    assert (
        "Your “yes” lets approved social lenders see how to reach you (name, phone, chat), your area, age band "
        "and the other panel questions you answered, and your household income and outgoings."
    ) in mary.last_text
    assert "you choose" not in mary.last_text
    mary.press("Yes")
    assert mary.messages[-2].text.startswith("✅ Affordable credit")
    mary.press("No")  # service planning
    mary.press("Yes")  # grants
    mary.press("No")  # research
    assert "Community insight" in mary.last_text
    # What is true of community insight: counts reach councils, never her answers.
    assert (
        "Your “yes” puts you in the pool from which the trust draws community panels. Approved councils get only "
        "anonymised counts of panel answers: never your answers, and never who you are."
    ) in mary.last_text
    assert "community panel questions" not in mary.last_text
    mary.press("Yes")  # community panels, for councils
    assert "Compare my well-being" in mary.last_text
    # A purpose used only inside the trust: her "yes" reaches no organisation.
    assert (
        "Your “yes” lets only the trust itself use your area, age band and the other panel questions you answered "
        "and how you say you are feeling, for this; no organisation sees them."
    ) in mary.last_text
    mary.press("No")  # comparing her well-being with her area's
    assert "All set" in mary.last_text

    [member] = views.members()
    card = views.member_card(member["member_id"])
    assert card["status"] == "active"
    assert card["profile"] == {"area": "CA1", "age-band": "25-34"}
    consents = views.consents(member["member_id"], services.clock())
    assert sorted((c["purpose"], c["audience"], c["via"]) for c in consents) == [
        ("affordable-credit", "every approved social-lender", "bot"),
        ("community-insight", "every approved council", "bot"),
        ("grant-making", "every approved funder", "bot"),
    ]
    history = [h["text"] for h in views.history(member["member_id"])]
    terms_hash = services.catalogue.terms_hash("2")
    assert any(f"membership terms, version 2 (text hash {terms_hash[:12]})" in line for line in history)


def test_join_helper_and_a_second_start(chat_with, views):
    owen = chat_with("Owen")
    join(owen, "Owen", consent={"affordable-credit": False})
    owen.send("/start")
    assert "already belongs to a member" in owen.last_text
    assert len(views.members()) == 1
