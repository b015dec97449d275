"""Evasion rules (BR9xx): hidden characters and look-alike letters."""
