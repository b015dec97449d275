"""Commands of the goals pillar (registered on brandrail.cli._app)."""
