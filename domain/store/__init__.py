"""Tables the trust keeps beside its event log, for what is operational rather than history:
the writer lock and engine settings, requests handled at most once, staff sign-in secrets and
guess counters, announcement deliveries, the scheduler's ledger of kept promises and its lease.

It may touch the kernel only; parts use these tables through their own commands."""
