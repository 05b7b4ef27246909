"""What members get back (issue 17): reports that compare a member with its peers, under disclosure
control (peers.py). The report itself, funds and the surplus are built on it."""
