"""Consents and the access model: each consent, the validity intervals of who could see what
on both time axes, every read by an organisation, what the API may list, and consents whose
audience lies outside the notice."""
