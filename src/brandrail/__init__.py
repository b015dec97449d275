"""brandrail."""
