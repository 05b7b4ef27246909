"""What every part of the trust stands on: the application base (one event log, one
transaction per command under the writer lock), the aggregate base, errors that speak in
sentences, the recording clock, actors, short texts and evidence references, the catalogue
of purposes and notices, and the ports the read side implements.

It may touch nothing else in domain/: every part imports the kernel, never the other way round."""
