"""Channel limit rules (BR4xx)."""
