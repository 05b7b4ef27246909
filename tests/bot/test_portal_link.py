"""A member asks for a way into the members' web portal in the chat (/portal): a one-time link is
sent to the chat linked to them, and it signs them in, once."""

import re
from dataclasses import replace

import pytest

from adapters.settings import Settings
from adapters.web.factory import create_app
from tests.bot.conftest import join
from tests.support import nothing_recorded
from tests.web.conftest import Web

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
PUBLIC = "https://trust.example.org"
LINK = re.compile(r"https://trust\.example\.org(/portal/sign-in/[A-Za-z0-9_-]+)")


@pytest.fixture
def served(services):
    """The trust has said where its web forms are served."""
    services.settings = replace(services.settings, public_url=PUBLIC)
    return services


def test_a_member_gets_a_one_time_link_in_the_chat_and_it_signs_them_in_once(served, chat_with, views):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/help")
    assert "/portal — a link to the members' web portal" in mary.last_text
    mary.send("/portal")
    said = mary.last_text
    assert "Your link to the members' web portal, for you alone:" in said
    assert "It works once, within 30 minutes." in said and "Do not pass it on" in said
    path = LINK.search(said).group(1)
    web = Web(create_app(served).test_client())
    assert "Press the button to sign in" in web.text(web.get(path))
    assert web.post(path).headers["Location"] == "/portal"
    assert "Your data" in web.text(web.get("/portal"))
    member_id = views.members()[0]["member_id"]
    steps = [(e["what"], e["actor"]) for e in views.history(member_id) if "portal" in e["what"]]
    assert steps == [("portal link issued", "member:via bot"), ("portal sign-in", "member:via portal")]
    again = Web(create_app(served).test_client())
    again.get(path)
    assert again.post(path).status_code == 404  # used up


def test_a_newer_link_ends_the_older_one(served, chat_with):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/portal")
    older = LINK.search(mary.last_text).group(1)
    mary.send("/portal")
    web = Web(create_app(served).test_client())
    web.get(older)
    assert web.post(older).status_code == 404


def test_a_stranger_gets_no_link_and_nothing_is_recorded(served, chat_with):
    stranger = chat_with("Sam")
    with nothing_recorded(served):
        stranger.send("/portal")
    assert stranger.last_text == "This chat is not linked to a member of the trust. Send /start to join."


def test_without_the_trusts_web_address_the_chat_says_the_portal_is_not_open_here(services, chat_with):
    mary = chat_with("Mary")
    join(mary)
    with nothing_recorded(services):
        mary.send("/portal")
    assert "The members' web portal is not open on this trust's chat yet" in mary.last_text
    assert "send /ask to write to one" in mary.last_text


@pytest.mark.parametrize("given", ["http://trust.example.org", "trust.example.org", "ftp://trust.example.org"])
def test_a_public_address_a_link_could_leak_over_is_refused_when_the_service_starts(given):
    with pytest.raises(ValueError, match="DATATRUST_PUBLIC_URL must be an https:// address"):
        Settings.from_environment({"DATATRUST_PUBLIC_URL": given})


def test_a_public_address_on_this_machine_may_be_plain_http():
    assert Settings.from_environment({"DATATRUST_PUBLIC_URL": "http://127.0.0.1:8000/"}).public_url == (
        "http://127.0.0.1:8000"
    )
