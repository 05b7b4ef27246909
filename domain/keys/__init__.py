"""The keys that wrap member keys, as commands: rotating them (so an erased member's key version
can be destroyed), destroying retired versions, and finishing the purge an erasure leaves for later.

It uses sealing (the vault and its tables) and the store."""
