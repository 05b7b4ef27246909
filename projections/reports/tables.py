"""The figures benchmarked reports compare.

``peer_figures``: one row per organisation-member who shared a profile or a funding history, with the
few figures a report needs (income, staff, shares of income, year founded, funding by year), sealed
under the member's own key like everything personal, so erasure destroys them with the key. Which
peer groups it is in (sector, postcode area, size band) is kept only as keyed digests ("tags").

``peer_groups``: for each group, the figures of the members in it who agree to benchmarking now (as
their consents allow: funding only where they agreed to share it), sealed together under the trust's
key for peer groups, so a report opens a few sealed values, not thousands; each group is kept in
parts, so a member's change rewrites one part of each of its groups, not the whole group. Kept by the
projector as profiles, consents and memberships change; a member who leaves or is erased is taken out
at once.

An individual who shared their well-being answers has a row too (domain/reports/wellbeing.py): its
``profile`` holds their four answers and their postcode area, sealed under their key, and its only
group is its ``area_tag`` (a digest under the group name "wellbeing-area", never equal to a business's
area tag), whose entries hold the answers of the individuals there who agree to the comparison."""

from sqlalchemy import JSON, Column, Integer, String, Table, Text, Uuid

from projections.core.tables import kept, metadata

peer_figures = kept(
    Table(
        "peer_figures",
        metadata,
        Column("member_id", Uuid, primary_key=True),
        Column("sector_tag", String(32)),
        Column("area_tag", String(32)),
        Column("size_tag", String(32)),
        Column(
            "profile", Text
        ),  # sealed (member's key): the latest organisation profile's figures, or well-being answers
        Column("funding", Text),  # sealed (member's key): the latest funding history, summed by year
        Column("compared", Text),  # sealed (member's key): what benchmarking uses of it now; NULL: nothing
        Column("in_groups", JSON, nullable=False),  # the tags of the peer_groups that hold its figures now
    )
)

peer_groups = Table(
    "peer_groups",
    metadata,
    Column("tag", String(32), primary_key=True),
    Column("bucket", Integer, primary_key=True),  # a group's members in BUCKETS parts (by id): one changes at a time
    Column("figures", Text, nullable=False),  # sealed (peer-group key): {member id: what benchmarking may use}
)
