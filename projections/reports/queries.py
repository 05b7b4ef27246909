"""Reading a benchmarked report's figures: the member's own (opened with their key) and, for each of
their peer groups, the figures of everyone in it who agrees to benchmarking now (one sealed value per
group, kept by handlers.py), as they stand on the day asked."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

import numpy as np
from sqlalchemy import Connection, func, select, tuple_

from domain.reports import wellbeing
from domain.reports.figures import FIGURES, GROUPS, figure_rows, figures_on
from domain.sealing.vault import SEAL_PREFIX, Vault
from projections.reports.tables import peer_figures, peer_groups
from projections.reports.tags import group_key, open_group

Figures = dict[str, float | None]
RowsOf = Callable[[list[tuple[list, dict | None]], date], np.ndarray]  # a group's entries as rows of figures


def benchmark_figures(
    conn: Connection, vault: Vault, member_id: UUID, at: datetime, cache: "OpenedParts | None" = None
) -> tuple[Figures, dict[str, str | None], dict[str, tuple[int, dict[str, np.ndarray]]]] | None:
    """(the member's own figures, the values of their groups, each group's size and its figures figure
    by figure: theirs among them),
    or None unless the member agrees to benchmarking now with a profile shared."""
    row = conn.execute(select(peer_figures).where(peer_figures.c.member_id == member_id)).first()
    key = vault.key_for(conn, member_id)
    if row is None or row.compared is None or key is None:
        return None
    mine = vault.open(key, member_id, row.compared)
    if mine is None or not _in_force(mine, at):  # its consent ran out: no longer compared, so no report
        return None
    kept = vault.open(key, member_id, row.profile) or {}
    if wellbeing.CATEGORY in kept:  # an individual's answers: compared in words in the chat, not here
        return None
    groups = kept.get("groups", {})
    tags = {group: getattr(row, f"{group}_tag") for group, _title in GROUPS}
    wanted = [tag for tag in tags.values() if tag]
    parts = opened_parts(conn, vault, wanted, at, cache if cache is not None else OpenedParts())
    peers = {group: _columns(parts.get(tag, []) if tag else [], at) for group, tag in tags.items()}
    return _figures(mine, at), groups, peers


def wellbeing_figures(
    conn: Connection, vault: Vault, member_id: UUID, at: datetime, cache: "OpenedParts | None" = None
) -> tuple[Figures, str | None, tuple[int, dict[str, np.ndarray]]] | None:
    """(an individual's own well-being answers, their postcode area, how many in its group agree now
    and their answers question by question: theirs among them), or None unless they shared answers
    and agree to the comparison now. Without an area the group is empty (0, {})."""
    row = conn.execute(select(peer_figures).where(peer_figures.c.member_id == member_id)).first()
    key = vault.key_for(conn, member_id)
    if row is None or row.compared is None or key is None:
        return None
    mine = vault.open(key, member_id, row.compared)
    kept = vault.open(key, member_id, row.profile) if row.profile else None
    if mine is None or kept is None or wellbeing.CATEGORY not in kept or not _in_force(mine, at):
        return None
    own = {code: value for (code, _lower), value in zip(wellbeing.QUESTIONS, mine["figures"], strict=True)}
    area = kept.get("groups", {}).get("area")
    if not row.area_tag:
        return own, area, (0, {})
    cache = cache if cache is not None else OpenedParts()
    parts = opened_parts(conn, vault, [row.area_tag], at, cache, wellbeing.answer_rows)
    codes = [code for code, _lower in wellbeing.QUESTIONS]
    return own, area, _columns(parts.get(row.area_tag, []), at, codes)


Part = tuple[np.ndarray, np.ndarray]  # one row of figures per member (figure_rows), and until when (epoch seconds)


class OpenedParts:
    """The parts of peer groups a process has opened lately, as numbers, each with the version it
    opened (every sealing draws a fresh nonce, so a part's first characters change whenever it does)
    and the year its figures were computed for. A report then opens only the parts that changed
    since, not a whole group's thousands of entries each time. It holds figures without member ids,
    and a part that changed (a withdrawal, an erasure) is replaced the next time its group is read."""

    def __init__(self, most: int = 4096) -> None:
        self.most = most
        self.parts: OrderedDict[tuple[str, int], tuple[str, int, Part]] = OrderedDict()
        self.lock = threading.Lock()  # a web worker's threads share it

    def get(self, tag: str, bucket: int, version: str, year: int) -> Part | None:
        with self.lock:
            found = self.parts.get((tag, bucket))
            if found is None or found[:2] != (version, year):
                return None
            self.parts.move_to_end((tag, bucket))
            return found[2]

    def put(self, tag: str, bucket: int, version: str, year: int, part: Part) -> None:
        with self.lock:
            self.parts[(tag, bucket)] = (version, year, part)
            self.parts.move_to_end((tag, bucket))
            while len(self.parts) > self.most:
                self.parts.popitem(last=False)


VERSION = len(SEAL_PREFIX) + 16  # the prefix and the nonce: different for every sealing
FOREVER = float("inf")


def opened_parts(
    conn: Connection, vault: Vault, tags: list[str], at: datetime, cache: OpenedParts, rows_of: RowsOf = figure_rows
) -> dict[str, list[Part]]:
    """Each group's parts: their versions read first, then only the parts not opened already
    (``rows_of``: a business's figures, or an individual's well-being answers: each group holds one kind)."""
    g, year = peer_groups.c, at.year
    found: dict[str, list[Part]] = {tag: [] for tag in tags}
    missing = []
    versions = select(g.tag, g.bucket, func.substr(g.figures, 1, VERSION)).where(g.tag.in_(tags))
    for tag, bucket, version in conn.execute(versions):
        part = cache.get(tag, bucket, version, year)
        if part is None:
            missing.append((tag, bucket))
        else:
            found[tag].append(part)
    if missing:
        key = group_key(vault)
        wanted = select(g.tag, g.bucket, g.figures).where(tuple_(g.tag, g.bucket).in_(missing))
        for tag, bucket, sealed in conn.execute(wanted):
            entries = list(open_group(vault, tag, bucket, sealed, key).values())
            rows = rows_of([(e["figures"], e["funding"]) for e in entries], at.date())
            until = np.array(
                [FOREVER if e["until"] is None else datetime.fromisoformat(e["until"]).timestamp() for e in entries]
            )
            cache.put(tag, bucket, sealed[:VERSION], year, (rows, until))
            found[tag].append((rows, until))
    return found


def _columns(parts: list[Part], at: datetime, codes: list[str] | None = None) -> tuple[int, dict[str, np.ndarray]]:
    """A group's size now (consents that ran out left out) and its figures, figure by figure (``codes``:
    the columns' names, FIGURES' by default)."""
    if not parts:
        return 0, {}
    rows = np.concatenate([rows for rows, _until in parts])
    in_force = rows[np.concatenate([until for _rows, until in parts]) > at.timestamp()]
    codes = codes if codes is not None else [figure.code for figure in FIGURES]
    columns = {code: in_force[:, n] for n, code in enumerate(codes)}
    return len(in_force), {code: column[~np.isnan(column)] for code, column in columns.items()}


def _in_force(entry: dict, at: datetime) -> bool:
    return entry["until"] is None or datetime.fromisoformat(entry["until"]) > at


def _figures(entry: dict, at: datetime) -> Figures:
    return figures_on(entry["figures"], entry["funding"], at.date())
