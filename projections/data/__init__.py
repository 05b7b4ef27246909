"""The data members share: only that they shared it (category, version, fields, channel) reaches a
read model, in each member's history; the values stay sealed in the log (domain/data)."""
