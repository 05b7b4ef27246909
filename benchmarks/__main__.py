"""Every benchmark, on SQLite and PostgreSQL: `python -m benchmarks` (or `make bench`)."""

import time
from copy import copy

from benchmarks import (
    announce_channels,
    benchmark_report,
    bot_announce,
    bot_updates,
    concurrent_grants,
    grants,
    pack,
    panel_draw,
    queries,
    rebuild,
    rotation,
    scheduler_plan,
    sms_messages,
    suspension,
    web,
)
from benchmarks.common import databases, parser, print_table

BENCHMARKS = {
    "grants": grants,
    "concurrent-grants": concurrent_grants,
    "queries": queries,
    "rebuild": rebuild,
    "web-registrations": web.Registrations,
    "web-api": web.Api,
    "bot-announce": bot_announce,
    "bot-updates": bot_updates,
    "announce-channels": announce_channels,
    "panel-draw": panel_draw,
    "scheduler-plan": scheduler_plan,
    "sms-messages": sms_messages,
    "pack": pack,
    "benchmark-report": benchmark_report,
    "suspension": suspension,
    "rotation": rotation,
}


def main() -> None:
    options = parser(__doc__)
    options.add_argument("--only", choices=list(BENCHMARKS), action="append", help="run only these (repeatable)")
    for benchmark in BENCHMARKS.values():
        benchmark.add_options(options)
    args = options.parse_args()
    chosen = args.only or list(BENCHMARKS)
    tables = {}
    for database in databases(args):
        tables[database] = []
        for name in chosen:
            started = time.perf_counter()
            tables[database] += BENCHMARKS[name].run(database, copy(args))
            print(f"[{database}] {name} took {time.perf_counter() - started:.0f} s", flush=True)
    for database, results in tables.items():
        print_table(database, results)


if __name__ == "__main__":
    main()
