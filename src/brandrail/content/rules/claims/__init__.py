"""Claims rules (BR2xx)."""
