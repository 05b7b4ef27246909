"""A store recorded by an earlier version of the trust, and the audit questions asked of it.

``before-parts/`` holds a SQLite store with the demo history (`datatrust demo`), its keyring
and master key, made at commit d449eda, before the domain moved into one folder per part
(issue 14): every event in it names its class by the old module path (``domain.consents:Consent.Granted``).
``answers.json`` holds what that version answered to the questions in ``questions.py``.
Remake both only on purpose: ``python -m tests.recorded.make`` (it refuses to overwrite).
"""
