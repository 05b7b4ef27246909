"""The store: the trust's one event log and the application that records to it (one
transaction per command under the writer lock: application.py), and the tables kept beside
the log for what is operational rather than history: requests handled at most once, staff
sign-in secrets and guess counters, organisation portal sessions ended, announcement
deliveries, the scheduler's ledger of kept promises and its lease.

It stands on the kernel and sealing; every part stands on it."""
