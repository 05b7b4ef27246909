"""Reading a benchmarked report's figures: the member's own (opened with their key) and, for each of
their peer groups, the figures of everyone in it who agrees to benchmarking now (one sealed value per
group, kept by handlers.py), as they stand on the day asked."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, select

from domain.reports.figures import GROUPS, columns_on, figures_on
from domain.sealing.vault import Vault
from projections.reports.tables import peer_figures, peer_groups
from projections.reports.tags import group_key, open_group

Figures = dict[str, float | None]


def benchmark_figures(
    conn: Connection, vault: Vault, member_id: UUID, at: datetime
) -> tuple[Figures, dict[str, str | None], dict[str, tuple[int, dict[str, list[float]]]]] | None:
    """(the member's own figures, the values of their groups, each group's size and its figures figure
    by figure: theirs among them),
    or None unless the member agrees to benchmarking now with a profile shared."""
    row = conn.execute(select(peer_figures).where(peer_figures.c.member_id == member_id)).first()
    key = vault.keys_for(conn, [member_id]).get(member_id)
    if row is None or row.compared is None or key is None:
        return None
    mine = vault.open(key, member_id, row.compared)
    if mine is None or not _in_force(mine, at):  # its consent ran out: no longer compared, so no report
        return None
    groups = (vault.open(key, member_id, row.profile) or {}).get("groups", {})
    tags = {group: getattr(row, f"{group}_tag") for group, _title in GROUPS}
    wanted = [tag for tag in tags.values() if tag]
    parts: dict[str, list[dict]] = {tag: [] for tag in wanted}
    shared_key = group_key(vault)
    query = select(peer_groups.c.tag, peer_groups.c.bucket, peer_groups.c.figures).where(peer_groups.c.tag.in_(wanted))
    for tag, bucket, sealed in conn.execute(query):
        parts[tag].extend(open_group(vault, tag, bucket, sealed, shared_key).values())
    peers = {}
    for group, tag in tags.items():
        in_force = [(e["figures"], e["funding"]) for e in parts.get(tag or "", []) if _in_force(e, at)]
        peers[group] = (len(in_force), columns_on(in_force, at.date()))
    return _figures(mine, at), groups, peers


def _in_force(entry: dict, at: datetime) -> bool:
    return entry["until"] is None or datetime.fromisoformat(entry["until"]) > at


def _figures(entry: dict, at: datetime) -> Figures:
    return figures_on(entry["figures"], entry["funding"], at.date())
