"""What every read model stands on: the shared metadata and UTC times, the handler registry
(by event class), the projector that applies events in the command's own transaction, rebuild
and catch-up, interval arithmetic, sealed personal data, plain wording, and finding records
by id or prefix. It knows no part: the read facade (views.py) wires the parts in."""
