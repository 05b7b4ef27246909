"""The rules' live values, read from the history, and the change a passed vote makes."""

from uuid import UUID

from domain.governance.rules import RuleSetting, TrustRules, rule
from domain.kernel.errors import NotFound
from domain.store.application import TrustApplication


class RuleCommands:
    def __init__(self, app: TrustApplication) -> None:
        self.app = app

    def live_rule(self, code: str) -> RuleSetting:
        """The value a rule has now, and which vote set it (if any) and when."""
        return self.live_rules(code)[code]

    def live_rules(self, *codes: str) -> dict[str, RuleSetting]:
        """Several rules' live values, read from the history at once."""
        latest = {code: RuleSetting(code, rule(code).default, None, None) for code in codes}
        for change in self.app.events.get(TrustRules.create_id()):
            if isinstance(change, TrustRules.Changed) and change.code in latest:
                latest[change.code] = RuleSetting(change.code, change.value, UUID(change.proposal_id), change.timestamp)
        return latest

    def change_rule(self, code: str, value: int, proposal_id: UUID, actor: str) -> TrustRules:
        """Within a command: the rule change a passed proposal makes. The caller saves the result."""
        try:
            record = self.app.load(TrustRules.create_id(), TrustRules, NotFound)
        except NotFound:
            record = TrustRules()
        record.change(code, value, proposal_id, actor)
        return record
