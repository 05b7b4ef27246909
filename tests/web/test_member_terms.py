"""The membership terms on the staff pages: the trustees' dashboard says how many current members
have not yet agreed to the latest version, and a caseworker records a member's agreement to it from
a signed paper form on the member's page (a form without its reference records nothing)."""

import re
from uuid import UUID

from domain.kernel.actors import Actor
from tests.support import nothing_recorded
from tests.web.test_casework import register

VIA_BOT = Actor("member", "via bot")


def _row(page: str, heading: str) -> str:
    return next(row for row in page.split("<tr") if heading in row)


def _cell(row: str) -> str:
    return re.search(r'<td role="cell"[^>]*>(\d+)</td>', row).group(1)


def test_the_dashboard_counts_current_members_by_the_terms_they_last_agreed_to(trustee, caseworker, web_services):
    trust = web_services.trust
    on_1 = [trust.join_by_chat(7100 + n, f"Member {n}", {}, "1", VIA_BOT) for n in range(3)]  # joined under version 1
    trust.join_by_chat(7200, "Newcomer", {}, "2", VIA_BOT)
    trust.member_leaves(on_1[2], VIA_BOT)  # no longer a member: not counted
    register(caseworker)  # on paper: no agreement recorded yet
    page = trustee.text(trustee.get("/trustee"))
    assert "<strong>2 current members have not yet agreed to version 2</strong>, the latest" in page
    assert "The chat asks each of them when they next write (at most once a day)" in page
    assert "1 current member has no agreement to the terms recorded (registered on paper or by the" in page
    assert _cell(_row(page, "Version 2 (the latest)")) == "1"
    assert _cell(_row(page, "Version 1<")) == "2"
    assert _cell(_row(page, "No agreement recorded")) == "1"
    trust.agree_to_terms(on_1[0], "2", VIA_BOT)
    page = trustee.text(trustee.get("/trustee"))
    assert "<strong>1 current member has not yet agreed to version 2</strong>" in page
    assert _cell(_row(page, "Version 2 (the latest)")) == "2"


def test_a_caseworker_records_an_agreement_from_a_signed_form_once(caseworker, web_services):
    member_id = register(caseworker)
    page = caseworker.text(caseworker.get(f"/members/{member_id}"))
    assert '<dt>Membership terms</dt><dd class="terms-agreed">no agreement recorded</dd>' in page
    assert "Record agreement to the membership terms (version 2) from a signed form" in page
    form_page = caseworker.text(caseworker.get(f"/members/{member_id}/terms"))
    assert web_services.catalogue.terms["2"].split(":")[0] in form_page  # the text the signed form must print
    with nothing_recorded(web_services):
        refused = caseworker.post(f"/members/{member_id}/terms", {"signed_on": "2026-03-01", "form_ref": ""})
    assert refused.status_code == 400 and "Enter the form&#39;s reference." in caseworker.text(refused)
    with nothing_recorded(web_services):
        refused = caseworker.post(f"/members/{member_id}/terms", {"signed_on": "2099-01-01", "form_ref": "PF-77"})
    assert refused.status_code == 400 and "The date cannot be in the future." in caseworker.text(refused)
    done = caseworker.post(f"/members/{member_id}/terms", {"signed_on": "2026-03-02", "form_ref": "PF-77"})
    assert done.status_code == 302
    page = caseworker.text(caseworker.get(f"/members/{member_id}"))
    assert "Agreement to version 2 of the membership terms recorded." in page
    assert "agreed to version 2, the latest" in page
    assert "Record agreement to the membership terms" not in page
    history = [h["text"] for h in web_services.views.history(UUID(member_id)) if h["what"] == "terms accepted"]
    assert len(history) == 1 and history[0].endswith("on a signed paper form (form PF-77).")
    with nothing_recorded(web_services):
        again = caseworker.post(f"/members/{member_id}/terms", {"signed_on": "2026-03-02", "form_ref": "PF-77"})
    assert again.status_code == 302
    page = caseworker.text(caseworker.get(f"/members/{member_id}"))
    assert "already recorded; nothing was changed" in page


def test_a_member_on_version_1_shows_so_on_her_page(caseworker, web_services):
    mary = web_services.trust.join_by_chat(7300, "Mary Dixon", {}, "1", VIA_BOT)
    page = caseworker.text(caseworker.get(f"/members/{mary}"))
    assert "last agreed to version 1; not yet to version 2, the latest" in page
