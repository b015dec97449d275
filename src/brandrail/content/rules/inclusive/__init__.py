"""Inclusive and offensive language rules (BR6xx)."""
