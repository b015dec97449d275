"""Personal-data rules (PV1xx)."""
