"""Members: joining (on paper, on the web, in the chat), confirming, their profile and
contact, leaving and erasure; member reference codes; the sealed link between a chat and its member.

model.py, codes.py and chat_links.py are the records; commands.py and chat.py the commands.
It stands on the kernel, the store and sealing, and uses keys (to finish an erasure's purge)."""
