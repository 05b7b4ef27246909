"""Writing many rows at once, the way each engine takes them fastest.

A few rows (a command's) go through SQLAlchemy's insert. Many (a rebuild's batch) skip its
per-row machinery: each value goes through its column type's own bind processor (the same
conversion SQLAlchemy makes: UTC times, UUIDs, JSON), then PostgreSQL takes the rows by ``COPY``
(psycopg 3's ``cursor.copy``) and SQLite by the driver's ``executemany``, on the connection's own
transaction.
"""

from collections.abc import Sequence

from psycopg import sql
from sqlalchemy import Connection, Insert, Table, insert

MANY = 200  # below this, SQLAlchemy's insert: a command's few rows gain nothing from the rest


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict]) -> None:
    """Insert ``rows`` (dicts by column name; a column no row names takes its default)."""
    if len(rows) < MANY:
        if len(rows) == 1:
            connection.execute(_insert(table), rows[0])
        elif rows:
            connection.execute(_insert(table), list(rows))
        return
    shapes: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        shapes.setdefault(tuple(row), []).append(row)
    for names, alike in shapes.items():
        _write(connection, table, names, alike)


_INSERTS: dict[Table, Insert] = {}


def _insert(table: Table) -> Insert:
    """A table's insert, built once: building it anew (its cache key) costs about half of running it."""
    if table not in _INSERTS:
        _INSERTS[table] = insert(table)
    return _INSERTS[table]


def _write(connection: Connection, table: Table, names: tuple[str, ...], rows: list[dict]) -> None:
    dialect = connection.dialect
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    values = [
        tuple(
            value if process is None else process(value)
            for process, value in zip(processors, row.values(), strict=True)
        )
        for row in rows
    ]
    if dialect.name == "postgresql":
        copying = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
        )
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(copying) as copy:
            for each in values:
                copy.write_row(each)
    else:  # the statement SQLAlchemy compiles for these columns, its positional marks in its own order
        statement = insert(table).compile(dialect=dialect, column_keys=list(names))
        order = [names.index(name) for name in statement.positiontup or ()]
        connection.exec_driver_sql(str(statement), [tuple(each[i] for i in order) for each in values])
