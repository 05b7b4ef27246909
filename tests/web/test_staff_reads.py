"""A caseworker opening a member's page reads their name and contact: the read is
recorded first (who, when, which member, which page), or the page is not shown."""

import csv
import io
import uuid

from domain.kernel.errors import StoreBusy
from tests.support import nothing_recorded
from tests.web.conftest import PAPER_FORM


def register(caseworker) -> str:
    response = caseworker.form("/members/new", PAPER_FORM)
    assert response.status_code == 302, caseworker.text(response)
    return response.headers["Location"].rsplit("/", 1)[1]


def staff_reads(web_services, member_id) -> list[dict]:
    return [h for h in web_services.views.history(uuid.UUID(member_id)) if h["what"] == "read by staff"]


def test_opening_a_members_page_records_one_read_with_the_caseworker_the_page_and_the_time(
    caseworker, web_services, web_clock
):
    member_id = register(caseworker)  # registering redirects to the page; nothing read yet
    assert staff_reads(web_services, member_id) == []
    opened_at = web_clock.advance(minutes=3)

    page = caseworker.text(caseworker.get(f"/members/{member_id}"))

    assert "Mary Atkinson" in page and "07700 900123" in page
    [read] = staff_reads(web_services, member_id)
    assert (read["actor"], read["recorded_at"]) == ("caseworker:cal", opened_at)
    assert read["text"] == "Read by the trust's staff: the member's page."


def test_the_read_shows_in_the_trustees_history_and_its_csv(caseworker, trustee, web_services):
    member_id = register(caseworker)
    caseworker.get(f"/members/{member_id}")
    caseworker.get(f"/members/{member_id}/profile")

    page = trustee.text(trustee.get(f"/trustee/audit/history?member={member_id}"))
    rows = list(
        csv.DictReader(io.StringIO(trustee.text(trustee.get(f"/trustee/audit/history?member={member_id}&format=csv"))))
    )

    assert "Read by the trust&#39;s staff: the member&#39;s page." in page and "caseworker:cal" in page
    read_rows = [(r["text"], r["actor"]) for r in rows if r["what"] == "read by staff"]
    assert read_rows == [
        ("Read by the trust's staff: the member's page.", "caseworker:cal"),
        ("Read by the trust's staff: the profile form.", "caseworker:cal"),
        # the history page names the member: the trustee's read is recorded too
        ("Read by the trust's staff: an audit answer (the member's history).", "trustee:tess"),
    ]


def test_an_unknown_members_page_answers_404_and_records_nothing(caseworker, web_services):
    register(caseworker)
    for url in (f"/members/{uuid.uuid4()}", f"/members/{uuid.uuid4()}/withdraw", f"/members/{uuid.uuid4()}/panels"):
        with nothing_recorded(web_services):
            assert caseworker.get(url).status_code == 404, url


def test_search_results_record_a_read_of_each_member_listed(caseworker, web_services):
    mary = register(caseworker)
    other = register(caseworker)  # a second Mary Atkinson (another paper form)

    with nothing_recorded(web_services):
        assert "0 members found" in caseworker.text(caseworker.get("/members?q=Nobody"))
    found = caseworker.text(caseworker.get("/members?q=atkin"))

    assert mary in found and other in found
    for member_id in (mary, other):
        [read] = staff_reads(web_services, member_id)
        assert read["text"] == "Read by the trust's staff: search results."
    history = web_services.views.history(uuid.UUID(mary))
    assert "atkin" not in repr(history)  # the page code, never what was searched for


def test_a_read_that_cannot_be_recorded_is_not_shown(caseworker, web_services, monkeypatch):
    member_id = register(caseworker)

    def busy(*args, **kwargs):
        raise StoreBusy()

    monkeypatch.setattr(web_services.trust, "record_staff_reads", busy)
    for url in (f"/members/{member_id}", "/members?q=atkin", "/members/pending"):
        response = caseworker.get(url)
        assert response.status_code == 503, url
        assert "Mary Atkinson" not in caseworker.text(response) and "07700" not in caseworker.text(response)
        assert "store is busy" in caseworker.text(response)


def test_the_trustee_asks_who_read_a_member_and_gets_it_as_csv(caseworker, trustee, web_services):
    member_id = register(caseworker)
    caseworker.get(f"/members/{member_id}")

    url = f"/trustee/audit/who-read?member={member_id}"
    page = trustee.text(trustee.get(url))
    rows = list(csv.DictReader(io.StringIO(trustee.text(trustee.get(url + "&format=csv")))))

    assert "Who read a member" in page and "caseworker:cal" in page
    assert [(r["reader"], r["text"]) for r in rows] == [
        ("caseworker:cal", "Read by the trust's staff: the member's page."),
        # the page names the member: the trustee's own read is recorded before the CSV is asked for
        ("trustee:tess", "Read by the trust's staff: an audit answer (who read the member's data)."),
    ]


def test_a_form_sent_without_opening_the_members_page_is_a_recorded_read(caseworker, web_services):
    member_id = register(caseworker)  # the session holds a form token now, but opened none of the member's pages
    response = caseworker.post(f"/members/{member_id}/profile", {"signed_on": "x"})
    assert response.status_code == 400 and "Mary Atkinson" in caseworker.text(response)
    [read] = staff_reads(web_services, member_id)
    assert read["text"] == "Read by the trust's staff: the profile form."

    caseworker.get(f"/members/{member_id}/profile")  # opened: a second read
    with nothing_recorded(web_services):  # the same form sent back with mistakes shows what its opening recorded
        assert caseworker.post(f"/members/{member_id}/profile", {"signed_on": "x"}).status_code == 400
    assert len(staff_reads(web_services, member_id)) == 2
