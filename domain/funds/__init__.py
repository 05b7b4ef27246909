"""Funds that find the members who want to hear (issue 17): an approved funder, social lender or social
investor publishes a fund; the trust tells the organisation-members it fits who agreed to hear of funds,
and each may share its application pack with that funder in one step."""
