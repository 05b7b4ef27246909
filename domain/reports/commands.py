"""The rules benchmarked reports are published under: the members' live values (domain/governance)."""

from domain.governance.live_rules import RuleCommands
from domain.reports.peers import DisclosureRules


class ReportCommands:
    def __init__(self, rules: RuleCommands) -> None:
        self.rules = rules

    def disclosure_rules(self) -> DisclosureRules:
        live = self.rules.live_rules("min-cell-size", "dominance-n", "dominance-k", "p-percent")
        return DisclosureRules(
            min_cell=live["min-cell-size"].value,
            dominance_n=live["dominance-n"].value,
            dominance_k=live["dominance-k"].value,
            p_percent=live["p-percent"].value,
        )
