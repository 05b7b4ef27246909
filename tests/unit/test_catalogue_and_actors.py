import pytest

from domain.kernel.actors import Actor
from domain.kernel.catalogue import load_catalogue
from domain.kernel.errors import InvalidRequest, NotInCatalogue


@pytest.fixture
def catalogue():
    return load_catalogue()


def test_an_unknown_purpose_error_lists_the_valid_ones(catalogue):
    with pytest.raises(NotInCatalogue) as error:
        catalogue.purpose("marketing")
    assert "research" in str(error.value) and "affordable-credit" in str(error.value)


def test_an_unknown_category_error_lists_the_valid_ones(catalogue):
    with pytest.raises(NotInCatalogue, match="household-finances"):
        catalogue.check_categories(["shoe-size"])


def test_every_profile_question_accepts_prefer_not_to_say(catalogue):
    answers = {code: "prefer-not-to-say" for code in catalogue.profile}
    assert catalogue.clean_profile(answers) == answers


def test_an_area_is_normalised_and_checked(catalogue):
    assert catalogue.clean_profile({"area": " ca1 "}) == {"area": "CA1"}
    with pytest.raises(InvalidRequest, match="not a valid answer for area"):
        catalogue.clean_profile({"area": "Carlisle"})


def test_notice_versions_are_hashed(catalogue):
    purpose = catalogue.purpose("research")
    assert len(purpose.notice_hash(purpose.latest_notice)) == 64
    with pytest.raises(NotInCatalogue):
        purpose.notice_hash("99")


def test_actors_parse_and_refuse_unknown_roles():
    assert str(Actor.parse("caseworker:alice")) == "caseworker:alice"
    with pytest.raises(InvalidRequest, match="role"):
        Actor.parse("hacker:eve")
    with pytest.raises(InvalidRequest, match="role:name"):
        Actor.parse("alice")


def test_one_person_has_one_spelling_as_an_actor():
    assert Actor.parse(" Caseworker : Cal  ") == Actor("caseworker", "cal")


def test_membership_terms_are_versioned_and_hashed_like_notices(catalogue):
    import hashlib

    assert catalogue.latest_terms == "2"
    assert catalogue.terms_hash("1") == hashlib.sha256(catalogue.terms["1"].encode()).hexdigest()
    assert catalogue.terms_hash("2") == hashlib.sha256(catalogue.terms["2"].encode()).hexdigest()
    assert catalogue.terms_hash("1") != catalogue.terms_hash("2")
    with pytest.raises(NotInCatalogue):
        catalogue.terms_hash("3")


def test_the_terms_say_what_the_insight_notice_says_the_trust_sells(catalogue):
    """Members' data is never sold; the anonymous insight reports are, and the terms say both."""
    latest = catalogue.latest_terms
    insight = catalogue.purposes["community-insight"]
    assert "sold" in insight.notices[insight.latest_notice]
    assert "never sells it" in catalogue.terms[latest]
    assert "does sell community insight reports" in catalogue.terms[latest]
    summary = catalogue.terms_summary(latest)
    assert "never sells your data" in summary and "it sells only insight reports of anonymised counts" in summary


def test_the_bot_offers_only_purposes_with_an_offer_in_catalogue_order(catalogue):
    offered = catalogue.offered_purposes()
    codes = ["affordable-credit", "service-planning", "grant-making", "research", "community-insight"]
    assert [p.code for p in offered] == [*codes, "wellbeing-comparison"]
    assert offered[0].offer.kind == "social-lender" and offered[-2].offer.kind == "council"
    assert offered[-1].offer.kind == "trust"  # comparing one's well-being with one's area's: inside the trust
    business = ["funding-applications", "benchmarking", "fund-news"]
    assert [p.code for p in catalogue.offered_purposes("organisation-member")] == business


def test_only_community_insight_is_answered_by_panels(catalogue):
    assert [code for code, purpose in catalogue.purposes.items() if purpose.panels] == ["community-insight"]


def test_an_offer_to_an_unknown_kind_or_category_is_refused_when_the_catalogue_loads(tmp_path):
    from domain.kernel.catalogue import DEFAULT_CATALOGUE

    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    for broken in (
        text.replace('kind = "social-lender"', 'kind = "loan-shark"'),
        text.replace('categories = ["profile"]', 'categories = ["shoe-size"]'),
    ):
        path = tmp_path / "catalogue.toml"
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(NotInCatalogue):
            load_catalogue(path)


def test_each_notice_says_which_organisation_kinds_it_covers(catalogue):
    covered = {code: purpose.covered_kinds("1") for code, purpose in catalogue.purposes.items()}
    assert covered == {
        "affordable-credit": ("social-lender",),
        "service-planning": ("council",),
        "grant-making": ("funder",),
        "research": ("researcher",),
        "community-insight": ("council",),
        "funding-applications": ("funder", "social-lender", "investor"),
        "benchmarking": ("trust",),  # used only inside the trust: no organisation kind
        "fund-news": ("trust",),  # so is matching funds to the members who asked to hear of them
        "wellbeing-comparison": ("trust",),  # and an individual's well-being against their area's
    }


def test_a_purpose_used_inside_the_trust_is_never_read_by_an_organisation(catalogue):
    benchmarking = catalogue.purpose("benchmarking")
    assert benchmarking.within_trust and catalogue.kind_label("trust") == "The trust itself"
    with pytest.raises(InvalidRequest, match="used only inside the trust; no organisation reads it"):
        catalogue.readable_purpose("benchmarking")
    with pytest.raises(InvalidRequest, match="its consent names no organisation"):
        catalogue.check_audience(benchmarking, "1", "funder")
    with pytest.raises(InvalidRequest, match="Only a purpose used inside the trust is given to the trust itself"):
        catalogue.check_audience(catalogue.purpose("research"), "1", "trust")
    catalogue.check_audience(benchmarking, "1", "trust")  # the one audience it has


def test_the_trust_itself_is_never_an_organisation_kind(tmp_path):
    from domain.kernel.catalogue import DEFAULT_CATALOGUE

    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    path = tmp_path / "catalogue.toml"
    path.write_text(text.replace('social-lender = "Social lender"', 'trust = "A trust"'), encoding="utf-8")
    with pytest.raises(InvalidRequest, match="names the trust itself"):
        load_catalogue(path)
    path.write_text(text.replace("within_trust = true", "within_trust = true\npanels = true"), encoding="utf-8")
    with pytest.raises(InvalidRequest, match="used only inside the trust: it has no panels"):
        load_catalogue(path)


def test_an_older_catalogue_without_coverage_still_loads_and_covers_only_the_offer_kind(tmp_path):
    import re

    from domain.kernel.catalogue import DEFAULT_CATALOGUE

    older = re.sub(r"\[purposes\.[a-z-]+\.covers\]\n1 = \[[^\]]*\]\n", "", DEFAULT_CATALOGUE.read_text("utf-8"))
    older += '\n[purposes.marketing]\ntitle = "Marketing"\nsummary = "s"\n[purposes.marketing.notices]\n1 = "n"\n'
    assert "\n[purposes.research.covers]" not in older
    path = tmp_path / "older.toml"
    path.write_text(older, encoding="utf-8")
    catalogue = load_catalogue(path)
    assert catalogue.purpose("service-planning").covered_kinds("1") == ("council",)
    assert catalogue.purpose("marketing").covered_kinds("1") == ()  # no offer, no coverage: nobody
    with pytest.raises(InvalidRequest, match=r"covers only no organisation, not every council\.$"):
        catalogue.check_audience_kind(catalogue.purpose("marketing"), "1", "council")


def test_a_coverage_naming_an_unknown_kind_or_notice_is_refused_when_the_catalogue_loads(tmp_path):
    from domain.kernel.catalogue import DEFAULT_CATALOGUE

    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    path = tmp_path / "broken.toml"
    for broken in (
        text.replace('[purposes.research.covers]\n1 = ["researcher"]', '[purposes.research.covers]\n1 = ["spy"]'),
        text.replace('[purposes.research.covers]\n1 = ["researcher"]', '[purposes.research.covers]\n3 = ["funder"]'),
    ):
        assert broken != text
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(NotInCatalogue):
            load_catalogue(path)
    bot_offer_too_wide = text.replace(  # the latest notice, which the bot offers, names only funders
        '[purposes.research.covers]\n1 = ["researcher"]',
        '[purposes.research.covers]\n1 = ["researcher"]\n2 = ["funder"]',
    )
    path.write_text(bot_offer_too_wide, encoding="utf-8")
    with pytest.raises(
        InvalidRequest, match=r"^The Research notice \(version 2\) covers only funders, not every researcher\.$"
    ):
        load_catalogue(path)
