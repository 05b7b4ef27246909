"""A trustee registers an organisation with its org-id on the Organisations page and sees it there
and on the organisation's page; an identifier not in a scheme, or taken, is refused with a sentence."""

from tests.support import nothing_recorded


def test_a_trustee_registers_an_organisation_by_its_org_id(trustee, web_services):
    done = trustee.form(
        "/trustee/organisations", {"name": "Eden Valley Trust", "kind": "funder", "org_id": "gb-chc-1123456"}
    )
    assert done.status_code == 302
    page = trustee.text(trustee.get(done.headers["Location"]))
    assert "<dt>Identifier</dt><dd>GB-CHC-1123456</dd>" in page
    listing = trustee.text(trustee.get("/trustee/organisations"))
    assert 'data-label="Identifier">GB-CHC-1123456</td>' in listing


def test_an_org_id_not_in_a_scheme_or_already_taken_is_refused_and_nothing_recorded(trustee, web_services):
    trustee.form("/trustee/organisations", {"name": "Eden Valley Trust", "kind": "funder", "org_id": "GB-CHC-1123456"})
    with nothing_recorded(web_services):
        bad = trustee.form("/trustee/organisations", {"name": "Fell Fund", "kind": "funder", "org_id": "charity 42"})
        assert bad.status_code == 400
        assert (
            "The organisation&#39;s identifier &#39;charity 42&#39; is not in an org-id.guide scheme"
            in trustee.text(bad)
        )
        taken = trustee.form(
            "/trustee/organisations", {"name": "Fell Fund", "kind": "funder", "org_id": "GB-CHC-1123456"}
        )
        assert taken.status_code == 400
        assert "GB-CHC-1123456 is already the identifier of Eden Valley Trust" in trustee.text(taken)
