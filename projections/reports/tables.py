"""The figures a benchmarked report compares, one row per organisation-member who shared a profile
or a funding history: the few figures a report needs (income, staff, shares of income, funding by
year), sealed under the member's own key like everything personal, so erasure destroys them with the
key. Which peer groups a member is in (sector, postcode area, size band) is kept only as keyed
digests: rows of one group can be found together, but nobody reading the table learns the group."""

from sqlalchemy import Column, String, Table, Text, Uuid

from projections.core.tables import metadata

peer_figures = Table(
    "peer_figures",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("sector_tag", String(32), index=True),
    Column("area_tag", String(32), index=True),
    Column("size_tag", String(32), index=True),
    Column("profile", Text),  # sealed: the figures of the latest organisation profile
    Column("funding", Text),  # sealed: the latest funding history, summed by year
)
