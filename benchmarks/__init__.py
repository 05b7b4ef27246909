"""The performance harness (not part of the test run).

Every benchmark measures the trust and a raw baseline on the same database in
the same run, and reports the ratio, because machines are noisy:

    python -m benchmarks                      # everything, SQLite and PostgreSQL
    python -m benchmarks --db sqlite --members 2000   # a quick run
    python -m benchmarks.grants --db postgres
    python -m benchmarks.queries --db sqlite
    python -m benchmarks.rebuild --db both

Results are written to docs/performance.md by hand, from what this prints.
"""
