"""Terms rules (BR1xx)."""
