"""Renderers for check results: text (terminal), json, sarif, github (workflow commands) and html.

Each renderer takes a :class:`CheckRun` — the results of one run with their documents and the policy — so
the same object produces every format.
"""

from brandrail.report.model import JSON_SCHEMA_VERSION, CheckRun

__all__ = ["JSON_SCHEMA_VERSION", "CheckRun"]
