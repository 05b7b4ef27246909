"""One-tap renewal in the chat: the trust's offer arrives with a Renew button, a tap keeps
the consent for its term again (once, however often it is pressed or delivered), and a
stale, foreign or forged button, or one for a consent that has ended, changes nothing."""

import time
from datetime import timedelta

import pytest

from domain.kernel.actors import SCHEDULER, Actor
from domain.trust import Audience
from tests.bot.conftest import STALE, Chat, start_bot
from tests.conftest import OPERATOR
from tests.support import nothing_recorded

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
VIA_BOT = Actor("member", "via bot")
TERM = timedelta(days=90)


@pytest.fixture
def bot_options() -> dict:
    return {"check_announcements_every": 0.1}  # an offer goes out as soon as it is recorded


@pytest.fixture
def lender(trust, clock):
    organisation = trust.register_organisation("Eden Valley Credit Union", "social-lender", OPERATOR)
    trust.approve_organisation(organisation, "DSA-1", clock().date(), OPERATOR)
    return organisation


def joined(fake, trust, name: str) -> tuple[Chat, object]:
    chat = Chat(fake, fake.user(name))
    return chat, trust.join_by_chat(chat.user.chat_id, name, {}, "1", VIA_BOT)


def expiring(trust, clock, member, lender):
    return trust.grant_consent(
        member, "affordable-credit", ["housing"], Audience(lender), OPERATOR, expires_at=clock() + TERM
    )


def offered(chat: Chat, count: int = 1):
    """Wait until ``count`` messages with a Renew button have come; the newest of them."""
    deadline = time.monotonic() + 15
    while True:
        offers = [m for m in chat.messages if any(label == "Renew" for label, _ in m.buttons)]
        if len(offers) >= count:
            return offers[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no renewal offer came; the bot last said: {chat.last_text!r}")
        time.sleep(0.02)


def expiry_of(views, clock, member, consent):
    [row] = [c for c in views.consents(member, clock()) if c["consent_id"] == consent]
    return row["expires_at"]


def test_an_offer_comes_with_a_renew_button_and_one_tap_renews(fake, bot, trust, views, clock, lender):
    mary, member = joined(fake, trust, "Mary")
    consent = expiring(trust, clock, member, lender)
    old_expiry = clock() + TERM
    clock.now = old_expiry - timedelta(days=30)
    trust.offer_renewal(consent, 30, SCHEDULER)

    offer = offered(mary)
    assert offer.text.startswith("From the trust:\n\nYour consent for Affordable credit to Eden Valley Credit Union")
    assert "in 30 days. Tap Renew to keep it for another 3 months" in offer.text
    [(label, data)] = offer.buttons
    assert data == f"renew:{consent.hex}:{int(old_expiry.timestamp())}" and len(data.encode()) <= 64

    mary.press("Renew", offer)
    assert expiry_of(views, clock, member, consent) == old_expiry + TERM
    assert offer.edited and offer.buttons == []
    assert offer.text.endswith(
        "\n\n✅ Renewed: Affordable credit for Eden Valley Credit Union, now until 29 August 2026, 10:00."
    )
    # The organisation's reads go on past the old expiry.
    clock.now = old_expiry + timedelta(minutes=1)
    assert trust.record_access(lender, member, "affordable-credit", ["housing"], OPERATOR).granted == {
        "housing": consent
    }


def test_a_second_tap_or_a_redelivered_one_renews_once(fake, bot, services, trust, views, clock, lender):
    mary, member = joined(fake, trust, "Mary")
    consent = expiring(trust, clock, member, lender)
    old_expiry = clock() + TERM
    trust.offer_renewal(consent, 30, SCHEDULER)
    offer = offered(mary)
    [(_label, data)] = offer.buttons
    pressed = mary.press("Renew", offer)

    with nothing_recorded(services):
        mary.press_data(offer, data)  # tapped again (e.g. from a second device showing the old button)
    assert mary.toasts[-1] == (
        "Already renewed: Affordable credit runs until 29 August 2026, 10:00. Nothing was changed."
    )
    with nothing_recorded(services):
        fake.redeliver(pressed["update_id"])
        mary.send("/help")
    bot.stop()  # after a restart the bot remembers no update it saw; the trust does
    restarted = start_bot(services, fake)
    try:
        with nothing_recorded(services):
            fake.redeliver(pressed["update_id"])
            mary.send("/help")
    finally:
        restarted.stop()
    assert expiry_of(views, clock, member, consent) == old_expiry + TERM
    assert "went wrong" not in "".join(m.text or "" for m in mary.messages)


def test_a_stale_foreign_or_forged_button_changes_nothing(fake, bot, services, trust, views, clock, lender):
    mary, mary_id = joined(fake, trust, "Mary")
    owen, owen_id = joined(fake, trust, "Owen")
    marys = expiring(trust, clock, mary_id, lender)
    owens = expiring(trust, clock, owen_id, lender)
    trust.offer_renewal(marys, 30, SCHEDULER)
    trust.offer_renewal(owens, 30, SCHEDULER)
    marys_offer, owens_offer = offered(mary), offered(owen)
    [(_label, marys_data)] = marys_offer.buttons
    expiry = clock() + TERM
    for forged in (
        marys_data,  # Mary's consent, pressed in Owen's chat
        "renew:",
        "renew:nonsense",
        f"renew:{marys.hex}",
        f"renew:{owens.hex}:x",
        f"renew:{owens.hex}:99999999999999999999",
        f"renew:{'0' * 32}:{int(expiry.timestamp())}",
    ):
        with nothing_recorded(services):
            owen.press_data(owens_offer, forged)
        assert owen.toasts[-1] == STALE, forged
    assert expiry_of(views, clock, mary_id, marys) == expiry_of(views, clock, owen_id, owens) == expiry
    owen.press("Renew", owens_offer)  # his own button still works
    assert expiry_of(views, clock, owen_id, owens) == expiry + TERM
    assert expiry_of(views, clock, mary_id, marys) == expiry


@pytest.mark.parametrize("ending", ["expired", "withdrawn"])
def test_a_consent_that_has_ended_is_not_renewed_and_the_member_is_told_why(
    fake, bot, services, trust, views, clock, lender, ending
):
    mary, member = joined(fake, trust, "Mary")
    consent = expiring(trust, clock, member, lender)
    expiry = clock() + TERM
    trust.offer_renewal(consent, 30, SCHEDULER)
    offer = offered(mary)
    if ending == "expired":
        clock.advance(days=90)  # its expiry has come, whether or not the scheduler has recorded it yet
    else:
        trust.revoke_consent(consent, VIA_BOT)
    with nothing_recorded(services):
        mary.press("Renew", offer)
    how = "has already ended" if ending == "expired" else "was withdrawn"
    assert mary.last_text == (
        f"Your consent for Affordable credit {how}, so it cannot be renewed; nothing was changed. "
        "You can give it again with /consents."
    )
    [row] = views.consents(member, clock())
    assert (row["status"], row["expires_at"]) == (ending, expiry)
