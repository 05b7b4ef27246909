"""The read model of staff surveys. Nothing personal and nothing about who answered: the
number of answers only (no times, no order), the release recorded at the close and the free
text a trustee released, which are the trust's own anonymised, reviewed text."""

from sqlalchemy import JSON, Column, Integer, String, Table, Text, Uuid

from projections.core.tables import Time, metadata

staff_surveys = Table(
    "staff_surveys",
    metadata,
    Column("survey_id", Uuid, primary_key=True),
    Column("member_id", Uuid, nullable=False, index=True),  # the business member asking
    Column("title", Text, nullable=False),
    Column("status", String(20), nullable=False, index=True),  # open | closed
    Column("questions", JSON, nullable=False),
    Column("codes_issued", Integer, nullable=False),
    Column("answered", Integer, nullable=False),
    Column("opened_at", Time, nullable=False),
    Column("closed_at", Time),
    Column("result", JSON),  # the Release, as recorded at the close
    Column("free_text", JSON),  # released (reviewed) texts per question; None until then
)
