"""What the scheduler reads: the dated promises not yet kept, and whether a scheduler is acting."""
