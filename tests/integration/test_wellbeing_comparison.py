"""An individual's well-being answers against their area's median: only from the answers of members
who agreed to the comparison, in the same peer-group machinery as the benchmarked reports (sealed),
an area with fewer such members than the minimum cell size withheld with the reason."""

import pytest
from sqlalchemy import select

from domain.kernel.errors import InvalidRequest
from domain.sealing.vault import SEAL_PREFIX
from domain.trust import Audience
from projections.reports.tables import peer_figures, peer_groups
from projections.reports.tags import open_group
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.integration.wellbeing_support import PURPOSE, agree, individual, neighbours
from tests.support import nothing_recorded


def comparison(services, member):
    return services.views.wellbeing_comparison(member, services.clock(), services.trust.disclosure_rules())


def test_a_member_s_answers_stand_against_the_median_of_their_area(services, trust):
    members = neighbours(trust, 10)  # life satisfaction 5,6,7,8,9,5,6,7,8,9; anxiety 2,3,4,5,2,3,4,5,2,3
    individual(trust, 50, area="LA9")  # another area: not among them
    individual(trust, 51, agrees=False)  # shared answers in CA1, never agreed: not among them either
    seen = comparison(services, members[0])
    assert (seen.area, seen.peers, seen.withheld) == ("CA", 10, None)
    assert seen.own == {"life-satisfaction": 5, "worthwhile": 7, "happiness": 6, "anxiety": 2}
    assert seen.answers["life-satisfaction"].median == 7.0 and seen.answers["life-satisfaction"].quarter == 1
    assert seen.answers["anxiety"].median == 3.0 and seen.answers["worthwhile"].median == 7.0


def test_too_few_in_the_area_is_withheld_with_the_reason(services, trust):
    members = neighbours(trust, 9)
    seen = comparison(services, members[0])
    assert seen.answers == {} and seen.peers == 9
    assert seen.withheld.startswith("Only 9 members in CA agreed to compare, you included")


def test_only_who_agrees_now_is_compared_and_a_withdrawal_takes_them_out(services, trust, clock):
    members = neighbours(trust, 10)
    outsider = individual(trust, 99, agrees=False)
    assert comparison(services, outsider) is None
    [consent] = [c for c in services.views.consents(members[9], clock()) if c["purpose"] == PURPOSE]
    trust.revoke_consent(consent["consent_id"], MEMBER_THEMSELF)
    assert comparison(services, members[9]) is None
    assert comparison(services, members[0]).peers == 9
    trust.member_leaves(members[8], MEMBER_THEMSELF)
    assert comparison(services, members[0]).peers == 8
    trust.erase_member(members[7], TRUSTEE)
    assert comparison(services, members[0]).peers == 7
    with services.views.reading() as conn:
        assert conn.execute(select(peer_figures).where(peer_figures.c.member_id == members[7])).first() is None


def test_moving_area_moves_the_answers_and_a_profile_without_an_area_says_so(services, trust):
    members = neighbours(trust, 11)
    trust.update_profile(members[10], {"area": "LA9"}, MEMBER_THEMSELF)
    assert comparison(services, members[0]).peers == 10
    moved = comparison(services, members[10])
    assert (moved.area, moved.peers) == ("LA", 1)
    trust.update_profile(members[10], {"area": "prefer-not-to-say"}, MEMBER_THEMSELF)
    unsaid = comparison(services, members[10])
    assert unsaid.area is None and unsaid.answers == {}


def test_the_answers_are_sealed_in_the_read_models(services, trust):
    members = neighbours(trust, 10)
    with services.views.reading() as conn:
        rows = conn.execute(select(peer_figures)).all()
        groups = conn.execute(select(peer_groups)).all()
    for row in rows:  # answers and area sealed under the member's key; the group only a keyed digest
        assert row.profile.startswith(SEAL_PREFIX) and row.compared.startswith(SEAL_PREFIX)
        assert row.sector_tag is None and row.size_tag is None and row.in_groups == [row.area_tag]
    [tag] = {row.area_tag for row in rows}
    assert len(tag) == 32 and set(tag) <= set("0123456789abcdef")
    opened = {}
    for group in groups:
        assert group.figures.startswith(SEAL_PREFIX)
        opened.update(open_group(services.views.vault, tag, group.bucket, group.figures))
    assert set(opened) == {str(member) for member in members}  # under the trust's peer-group key only


def test_a_consent_for_an_organisation_or_by_a_business_is_refused_and_records_nothing(services, trust):
    business = trust.register_member("Cafe", MEMBER_THEMSELF, channel="web", kind="organisation-member")
    member = individual(trust, 1, agrees=False)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="only for individuals"):
        agree(trust, business)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="used only inside the trust"):
        trust.grant_consent(member, PURPOSE, ["wellbeing"], Audience(kind="council"), MEMBER_THEMSELF)
