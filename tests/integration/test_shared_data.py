"""Members share data once, under the trust's published standard; it is sealed, versioned and
read back only with the member's key."""

import shutil
from pathlib import Path
from uuid import uuid4

import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from domain.kernel.actors import Actor
from domain.kernel.catalogue import DEFAULT_CATALOGUE
from domain.kernel.errors import InvalidData, InvalidRequest, NotAllowedNow, NotInCatalogue, UnknownMember
from domain.trust import Audience
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.support import FakeClock, nothing_recorded

BUSINESS = "Quarry Lane Community Bakery"
PROFILE = {
    "org-id": "gb-mpr-30084r",
    "legal-form": "co-operative",
    "sector": "I",
    "area": "ca11",
    "year-founded": 2009,
    "employees": 6.5,
    "annual-income": 31250000,  # £312,500.00 in pence
    "income-trading": 80,
    "income-grants": 15,
    "income-donations": 5,
}
GRANT = {
    "grant-id": "360G-eden-2024-17",
    "title": "A second oven for the Penrith site",
    "funder": "GB-CHC-1123456",
    "amount": 1250000,
    "instrument": "grant",
    "date": "2024-03-25",
}


def a_business(trust):
    return trust.register_member(BUSINESS, CASEWORKER, channel="paper", kind="organisation-member", evidence_ref="PF-9")


def test_a_social_business_shares_its_profile_once_and_the_latest_counts(trust, clock):
    member = a_business(trust)
    first = trust.share_data(member, "organisation-profile", PROFILE, CASEWORKER, "paper", evidence_ref="PF-9")
    assert first.values["org-id"] == "GB-MPR-30084R" and first.values["area"] == "CA11"  # written as registers do
    assert first.version == "1"
    clock.advance(days=30)
    trust.share_data(member, "organisation-profile", {**PROFILE, "employees": 7}, MEMBER_THEMSELF, "portal")
    trust.share_data(member, "funding-history", [GRANT], OPERATOR, "import")
    latest = trust.shared_data(member)
    assert latest["organisation-profile"].values["employees"] == 7
    assert latest["organisation-profile"].channel == "portal"
    assert latest["funding-history"].values == [GRANT]
    personal, held = trust.held_data(member, ["organisation-profile"])  # what an API read opens, at once
    assert personal is not None and personal["name"] == BUSINESS
    assert list(held) == ["organisation-profile"] and held["organisation-profile"] == latest["organisation-profile"]
    history = trust.shared_history(member)
    assert [(s.category, s.channel, s.actor) for s in history] == [
        ("organisation-profile", "paper", str(CASEWORKER)),
        ("organisation-profile", "portal", str(MEMBER_THEMSELF)),
        ("funding-history", "import", str(OPERATOR)),
    ]
    assert history[0].values["employees"] == 6.5  # the earlier submission stays in the history


def test_the_members_history_says_what_was_shared_never_the_values(services, trust, views):
    member = trust.register_member("Ada Brown", MEMBER_THEMSELF, channel="bot")
    trust.share_data(
        member, "housing", {"tenure": "social-rent", "bedrooms": 2}, CASEWORKER, "paper", evidence_ref="PF-4"
    )
    [fact] = [row for row in views.history_in_words(member, trust.catalogue) if row["what"] == "data shared"]
    assert fact["text"] == "Shared Housing situation (version 1) on paper (form PF-4): bedrooms, tenure."
    assert "social-rent" not in str(views.history(member))


def test_values_written_by_a_person_are_read_as_they_meant_them(trust):
    member = trust.register_member("Ada Brown", MEMBER_THEMSELF, channel="bot")
    shared = trust.share_data(
        member,
        "household-finances",
        {"income-band": "£1,000 to £1,499", "behind-with-bills": "Yes", "benefits": "no"},
        MEMBER_THEMSELF,
        "sms",
        as_written=True,
    )
    assert shared.values == {"income-band": "1000-1499", "behind-with-bills": True, "benefits": False}
    business = a_business(trust)
    grants = trust.share_data(
        business,
        "funding-history",
        [{"funder": "gb-chc-1123456", "amount": "£12,500.50", "instrument": "Loan", "date": "25/3/2024"}],
        CASEWORKER,
        "paper",
        evidence_ref="PF-10",
        as_written=True,
    )
    assert grants.values == [
        {"funder": "GB-CHC-1123456", "amount": 1250050, "instrument": "loan", "date": "2024-03-25"}
    ]


@pytest.mark.parametrize(
    ("category", "values", "says"),
    [
        ("wellbeing", {"life-satisfaction": 11}, "Life satisfaction must be from 0 to 10."),
        ("wellbeing", {"life-satisfaction": True}, "Life satisfaction must be a number."),
        ("wellbeing", {"mood": 3}, "has no field mood"),
        ("wellbeing", {}, "Give at least one field of wellbeing."),
        ("housing", {"tenure": "castle"}, "Tenure must be one of"),
        ("household-finances", {"benefits": "yes"}, "Receives benefits must be true or false."),
        ("organisation-profile", {"org-id": "GB-CHC-12"}, "does not look like a Charity Commission"),
        ("organisation-profile", {"legal-form": "cio"}, "Identifier is required."),
        ("organisation-profile", {**PROFILE, "income-grants": 50}, "must add up to 100%; they add up to 135%"),
        ("organisation-profile", {**PROFILE, "year-founded": 2090}, "Year founded must be from 1800 to"),
        ("organisation-profile", {**PROFILE, "annual-income": "£300"}, "must be a whole number of pence"),
        ("funding-history", [{**GRANT, "date": "2099-01-01"}], "Record 1: Date awarded cannot be in the future."),
        ("funding-history", [GRANT, GRANT], "Record 2: '360G-eden-2024-17' is given twice."),
        ("funding-history", GRANT, "Give funding-history as a list of records."),
    ],
)
def test_data_the_standard_refuses_is_refused_with_a_sentence_and_nothing_recorded(
    services, trust, category, values, says
):
    individual = trust.register_member("Ada Brown", MEMBER_THEMSELF, channel="bot")
    business = a_business(trust)
    member = business if category in ("organisation-profile", "funding-history") else individual
    with nothing_recorded(services), pytest.raises(InvalidData) as refused:
        trust.share_data(member, category, values, CASEWORKER, "paper", evidence_ref="PF-1")
    assert says in str(refused.value)
    assert trust.shared_history(member) == []


def test_every_problem_is_named_at_once_with_its_field(trust):
    member = a_business(trust)
    with pytest.raises(InvalidData) as refused:
        trust.share_data(member, "organisation-profile", {"org-id": "nope", "employees": -1}, OPERATOR, "import")
    fields = [field for field, _sentence in refused.value.problems]
    assert fields == ["org-id", "employees"]


def test_who_may_share_what_and_when_is_the_trusts_rule_on_every_channel(services, trust, clock):
    individual = trust.register_member("Ada Brown", MEMBER_THEMSELF, channel="bot")
    business = a_business(trust)
    refusals = [
        (
            individual,
            "organisation-profile",
            PROFILE,
            CASEWORKER,
            "paper",
            "PF-1",
            InvalidRequest,
            "is not asked of an individual",
        ),
        (
            business,
            "wellbeing",
            {"happiness": 5},
            CASEWORKER,
            "paper",
            "PF-1",
            InvalidRequest,
            "is not asked of an organisation member",
        ),
        (
            individual,
            "wellbeing",
            {"happiness": 5},
            Actor("organisation", "api"),
            "portal",
            None,
            NotAllowedNow,
            "An organisation may not",
        ),
        (
            individual,
            "wellbeing",
            {"happiness": 5},
            CASEWORKER,
            "paper",
            None,
            InvalidRequest,
            "needs the form's reference",
        ),
        (individual, "wellbeing", {"happiness": 5}, CASEWORKER, "fax", None, InvalidRequest, "Unknown channel 'fax'"),
        (
            individual,
            "shoes",
            {"size": 5},
            CASEWORKER,
            "paper",
            "PF-1",
            NotInCatalogue,
            "Unknown category with a data standard 'shoes'",
        ),
        (
            individual,
            "contact",
            {"name": "x"},
            CASEWORKER,
            "paper",
            "PF-1",
            NotInCatalogue,
            "give one of funding-history",
        ),
    ]
    for member, category, values, actor, channel, ref, error, says in refusals:
        with nothing_recorded(services), pytest.raises(error, match=says):
            trust.share_data(member, category, values, actor, channel, evidence_ref=ref)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="never published version '7' of wellbeing"):
        trust.share_data(individual, "wellbeing", {"happiness": 5}, MEMBER_THEMSELF, "bot", version="7")
    trust.member_leaves(individual, MEMBER_THEMSELF)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="who has left"):
        trust.share_data(individual, "wellbeing", {"happiness": 5}, MEMBER_THEMSELF, "bot")
    trust.erase_member(business, TRUSTEE)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="who has been erased"):
        trust.share_data(business, "organisation-profile", PROFILE, OPERATOR, "import")
    with pytest.raises(UnknownMember):
        trust.share_data(OPERATOR_ID, "wellbeing", {"happiness": 5}, OPERATOR, "import")


OPERATOR_ID = __import__("uuid").UUID("00000000-0000-4000-8000-000000000000")


def test_an_individual_is_never_asked_for_a_social_businesss_funding_applications(trust):
    individual = trust.register_member("Ada Brown", MEMBER_THEMSELF, channel="bot")
    assert "funding-applications" not in [p.code for p in trust.catalogue.offered_purposes()]
    with pytest.raises(InvalidRequest, match="Funding applications is only for organisation members"):
        trust.grant_consent(
            individual, "funding-applications", ["organisation-profile"], Audience(kind="funder"), MEMBER_THEMSELF
        )


def test_shared_data_is_sealed_and_goes_with_the_members_key(tmp_path):
    path = tmp_path / "trust.sqlite3"
    services = bootstrap(
        Settings.from_environment({"DATATRUST_DATABASE_URL": f"sqlite:///{path}", "DATATRUST_VAR": str(tmp_path)}),
        clock=FakeClock(),
    )
    trust = services.trust
    member = a_business(trust)
    trust.share_data(member, "funding-history", [GRANT], OPERATOR, "import")
    trust.share_data(member, "organisation-profile", PROFILE, OPERATOR, "import")
    stored = b"".join(f.read_bytes() for f in tmp_path.glob("trust.sqlite3*"))
    for secret in ("second oven", "30084R", "GB-CHC-1123456"):
        assert secret.encode() not in stored  # neither the log nor a read model holds it in the clear
    history = [row["what"] for row in services.views.history(member)]
    assert history.count("data shared") == 2
    trust.erase_member(member, TRUSTEE)
    assert trust.shared_data(member) == {} and trust.shared_history(member) == []
    assert trust.held_data(member) == (None, {})
    with pytest.raises(UnknownMember):
        trust.held_data(uuid4())
    assert [row["what"] for row in services.views.history(member)].count("data shared") == 2  # the facts stay
    services.close()


def test_a_new_version_of_a_schema_leaves_earlier_submissions_in_theirs(tmp_path):
    folder = tmp_path / "catalogue"
    folder.mkdir()
    shutil.copy(DEFAULT_CATALOGUE, folder / "catalogue.toml")
    standard = Path(DEFAULT_CATALOGUE).with_name("data-standard.toml").read_text(encoding="utf-8")
    standard += (
        "\n[wellbeing.2]\n"
        'fields.life-satisfaction = { type = "number", minimum = 0, maximum = 10, label = "Life satisfaction" }\n'
        'fields.lonely = { type = "choice", choices = ["often", "sometimes", "never"], label = "Lonely" }\n'
    )
    (folder / "data-standard.toml").write_text(standard, encoding="utf-8")
    settings = Settings.from_environment(
        {
            "DATATRUST_DATABASE_URL": f"sqlite:///{tmp_path / 'trust.sqlite3'}",
            "DATATRUST_VAR": str(tmp_path / "var"),
            "DATATRUST_CATALOGUE": str(folder / "catalogue.toml"),
        }
    )
    services = bootstrap(settings, clock=FakeClock())
    trust = services.trust
    member = trust.register_member("Ada Brown", MEMBER_THEMSELF, channel="bot")
    trust.share_data(member, "wellbeing", {"happiness": 6, "anxiety": 3}, MEMBER_THEMSELF, "bot", version="1")
    with pytest.raises(InvalidData, match="Version 2 of wellbeing has no field happiness"):
        trust.share_data(member, "wellbeing", {"happiness": 6}, MEMBER_THEMSELF, "bot")
    trust.share_data(member, "wellbeing", {"lonely": "never"}, MEMBER_THEMSELF, "bot")
    old, new = trust.shared_history(member)
    assert (old.version, old.values) == ("1", {"happiness": 6, "anxiety": 3})
    assert (new.version, new.values) == ("2", {"lonely": "never"})
    services.close()


@pytest.mark.parametrize("huge", [10**40, 1e308, "1e999999"])
def test_a_number_too_large_to_be_right_is_refused_with_a_sentence(services, trust, huge):
    member = a_business(trust)
    values = {"org-id": "GB-CHC-1123456", "annual-income" if isinstance(huge, int) else "employees": huge}
    with nothing_recorded(services), pytest.raises(InvalidData, match="is too large to be right"):
        trust.share_data(member, "organisation-profile", values, OPERATOR, "import")
    with nothing_recorded(services), pytest.raises(InvalidData, match="Annual income is too large to be right"):
        trust.share_data(
            member,
            "organisation-profile",
            {"org-id": "GB-CHC-1123456", "annual-income": "£1e30"},
            OPERATOR,
            "import",
            as_written=True,
        )
