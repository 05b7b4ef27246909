"""What every part of the trust stands on, and which imports nothing else of the trust: the
aggregate base, errors that speak in sentences, the recording clock, actors, short texts and
evidence references, the catalogue of purposes and notices, and the ports the read side
implements."""
