"""What members get back: the figures benchmarked reports compare, kept sealed (see tables.py)."""
