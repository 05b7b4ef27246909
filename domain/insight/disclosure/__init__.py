"""What an organisation may see of a panel's answers: counts and shares with small cells
withheld (release.py, the rules in the trust's words) and the cells that must be withheld too so
none can be worked out from the others (suppression.py). Pure functions: no storage."""
