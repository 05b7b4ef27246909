"""The caseworkers' queue of members' requests for help: messages sealed under each member's
key (opened only for the page shown), the audit facts in the member's timeline."""
