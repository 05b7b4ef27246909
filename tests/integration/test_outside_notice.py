"""Trustees find consents that reach further than the notice the member was shown."""

import json

from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.outside_notice_support import record_as_before


def test_consents_outside_their_notice_are_listed_by_code_never_by_name(services, cli_run, clock, approved_lender):
    trust, views = services.trust, services.views
    member = trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")
    trust.grant_consent(member, "affordable-credit", ["contact"], Audience(approved_lender), MEMBER_THEMSELF)
    trust.grant_consent(member, "service-planning", ["profile"], Audience(kind="council"), MEMBER_THEMSELF)
    assert views.consents_outside_notice(services.catalogue, services.clock()) == []
    assert "Every consent stays within the notice" in cli_run("consent", "outside-notice").output

    widened = record_as_before(trust, member, "service-planning", kind="social-lender")
    clock.advance(minutes=1)  # listed oldest first
    named = record_as_before(trust, member, "research", organisation_id=approved_lender)
    code = views.member_card(member)["reference_code"]
    rows = json.loads(cli_run("consent", "outside-notice", "--json").output)
    assert rows == [
        {
            "consent_id": str(widened),
            "reference_code": code,
            "purpose": "service-planning",
            "notice_version": "1",
            "audience": "every approved social lender",
            "notice_covers": ["council"],
            "status": "active",
        },
        {
            "consent_id": str(named),
            "reference_code": code,
            "purpose": "research",
            "notice_version": "1",
            "audience": "Eden Valley Credit Union (a social lender)",
            "notice_covers": ["researcher"],
            "status": "active",
        },
    ]
    words = cli_run("consent", "outside-notice")
    assert words.exit_code == 0 and words.output.startswith("2 consents reach further than the notice")
    assert f"{widened} member {code}: service-planning notice v1 covers council" in words.output
    assert "Ada" not in words.output + json.dumps(rows)

    trust.revoke_consent(widened, TRUSTEE)
    statuses = [r["status"] for r in views.consents_outside_notice(services.catalogue, services.clock())]
    assert statuses == ["withdrawn", "active"]  # still listed: reads may have happened under it
