"""Disclosures rules (BR3xx)."""
