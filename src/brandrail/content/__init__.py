"""Deterministic content rules (terms, claims, disclosures, channel limits, personal data, inclusive language).

Rules live one per file under :mod:`brandrail.content.rules`, grouped by family; importing that package
registers them all.
"""
