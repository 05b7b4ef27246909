"""The trustees' questions: who could see a member's data, when and why; what an organisation
could see; a member's history; who read their data; the facts recorded late."""
